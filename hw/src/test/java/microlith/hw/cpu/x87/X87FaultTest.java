package microlith.hw.cpu.x87;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Vectors;
import microlith.hw.cpu.x87.Float80;
import microlith.hw.cpu.x87.X87State;
import org.junit.jupiter.api.Test;

/** Faults and pending exceptions around x87 instructions. */
class X87FaultTest {
    @Test
    void faultingStoreLeavesTheStackUnchanged() {
        CpuFixture fx = new CpuFixture();
        X87State s = fx.core.x87;
        s.push(Float80.ONE);
        fx.setPte(CpuFixture.DATA, 0); // not present
        fx.core.r[Cpu.RSI] = CpuFixture.DATA;
        fx.code("dd 1e"); // FSTP qword [rsi]
        CpuException e = fx.stepCatching();
        assertThat(e).isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.PF);
        assertThat(s.top).isEqualTo(7);
        assertThat(s.isEmpty(0)).isFalse();
        assertThat(s.st(0)).isEqualTo(Float80.ONE);
        assertThat(fx.cpu.rip()).isEqualTo(CpuFixture.CODE);
    }

    @Test
    void unmaskedExceptionIsDeliveredOnTheNextWaitingInstruction() {
        CpuFixture fx = new CpuFixture();
        X87State s = fx.core.x87;
        s.cw = 0x037B; // ZE unmasked
        s.push(Float80.POS_ZERO);
        s.push(Float80.ONE);
        fx.code("d8 f1 9b"); // FDIV ST(0), ST(1); FWAIT
        assertThat(fx.stepCatching()).isNull();
        assertThat(s.statusWord() & 0x8084).isEqualTo(0x8084); // B, ES, ZE
        assertThat(s.st(0)).as("destination unchanged").isEqualTo(Float80.ONE);
        CpuException e = fx.stepCatching();
        assertThat(e).isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.MF);
        fx.code("db e2"); // FNCLEX does not wait and clears the flags
        assertThat(fx.stepCatching()).isNull();
        assertThat(s.statusWord() & 0x80FF).isZero();
    }

    @Test
    void fnstswAxAndControlWord() {
        CpuFixture fx = new CpuFixture();
        fx.core.r[Cpu.RAX] = 0xFFFF_FFFF_FFFF_FFFFL;
        fx.code("db e3 d9 e8 df e0"); // FNINIT; FLD1; FNSTSW AX
        for (int k = 0; k < 3; k++) {
            assertThat(fx.stepCatching()).isNull();
        }
        assertThat(fx.core.r[Cpu.RAX]).isEqualTo(0xFFFF_FFFF_FFFF_3800L);
    }
}

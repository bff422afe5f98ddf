package microlith.hw.cpu.integer;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Vectors;
import microlith.hw.mmu.PageTableEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A read-modify-write instruction whose store faults (a read-only page: what a
 * copy-on-write page looks like) changes nothing: not memory, not its registers, not
 * RFLAGS. The last matters because the kernel restarts the instruction with the flags of
 * the exception frame: ADC would otherwise see the carry its own failed attempt produced.
 */
class MemoryWriteFaultTest {
    private static final long FLAGS = 0x203; // IF, CF and the always-one bit

    @ParameterizedTest
    @ValueSource(strings = {
        "48 11 06",       // adc [rsi], rax
        "48 19 06",       // sbb [rsi], rax
        "48 01 06",       // add [rsi], rax
        "48 83 06 7f",    // add qword [rsi], 0x7f
        "48 83 1e 01",    // sbb qword [rsi], 1
        "48 0f c1 06",    // xadd [rsi], rax
        "48 0f b1 1e",    // cmpxchg [rsi], rbx
        "48 0f ab 06",    // bts [rsi], rax
        "48 0f ba 36 05", // btr qword [rsi], 5
        "48 d1 26",       // shl qword [rsi], 1
        "48 ff 06",       // inc qword [rsi]
        "48 f7 1e",       // neg qword [rsi]
    })
    void aFaultingStoreLeavesFlagsRegistersAndMemoryAlone(String hex) {
        CpuFixture fx = new CpuFixture();
        fx.toUser();
        fx.mem.write64(CpuFixture.DATA, 0xffffffffffffff80L);
        fx.setPte(CpuFixture.DATA, CpuFixture.DATA | PageTableEntry.P | PageTableEntry.US);
        Cpu cpu = fx.cpu;
        cpu.setReg(Cpu.RSI, CpuFixture.DATA);
        cpu.setReg(Cpu.RAX, 0x1234);
        cpu.setReg(Cpu.RBX, 0x5678);
        cpu.setRflags(FLAGS);
        fx.code(hex);
        CpuException e = fx.stepCatching();
        assertThat(e).isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.PF);
        assertThat(cpu.rflags()).as("rflags").isEqualTo(FLAGS);
        assertThat(cpu.reg(Cpu.RAX)).isEqualTo(0x1234);
        assertThat(cpu.reg(Cpu.RBX)).isEqualTo(0x5678);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE);
        assertThat(fx.mem.read64(CpuFixture.DATA)).isEqualTo(0xffffffffffffff80L);
    }

    @Test
    void theRestartedAdcSeesTheOriginalCarry() {
        CpuFixture fx = new CpuFixture();
        fx.toUser();
        fx.mem.write64(CpuFixture.DATA, -1L);
        fx.setPte(CpuFixture.DATA, CpuFixture.DATA | PageTableEntry.P | PageTableEntry.US);
        Cpu cpu = fx.cpu;
        cpu.setReg(Cpu.RSI, CpuFixture.DATA);
        cpu.setReg(Cpu.RAX, 0);
        cpu.setRflags(0x202); // CF clear: adc [rsi], rax must store -1 and leave CF clear
        fx.code("48 11 06");
        assertThat(fx.stepCatching()).isNotNull();
        fx.setPte(CpuFixture.DATA, CpuFixture.DATA | CpuFixture.USER_PAGE);
        fx.cpu.mmu().flushAll();
        assertThat(fx.stepCatching()).isNull();
        assertThat(fx.mem.read64(CpuFixture.DATA)).isEqualTo(-1L);
        assertThat(cpu.rflags() & 1).isZero();
    }
}

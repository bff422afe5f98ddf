package microlith.hw.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.mmu.PageTableEntry;
import org.junit.jupiter.api.Test;

/**
 * KCALL at CPL 3 runs a server's Java routine only on the physical page registered as its
 * text, at CPL 3, with user rights for memory and port I/O; anywhere else it is #UD.
 */
class UserJavaCallTest {
    private final CpuFixture fx = new CpuFixture();
    private final Cpu cpu = fx.cpu;

    @Test
    void aRegisteredServerPageRunsItsRoutineAtCpl3() {
        int[] seen = {-1, -1};
        cpu.javaCallGate().registerUserFrame(CpuFixture.CODE, (id, c) -> {
            seen[0] = id;
            seen[1] = c.cpl();
        });
        fx.code("0f 0a 07 00 00 00");
        fx.toUser();
        cpu.stepRaw();
        assertThat(seen).containsExactly(7, 3);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE + 6);
        assertThat(cpu.cpl()).isEqualTo(3);
    }

    @Test
    void anUnregisteredPageOrAnotherFrameIsUd() {
        cpu.javaCallGate().registerUserFrame(CpuFixture.DATA, (id, c) -> { });
        fx.code("0f 0a 07 00 00 00");
        fx.toUser();
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.UD);
    }

    @Test
    void serverTextAtCpl0IsNotKernelText() {
        cpu.javaCallGate().registerUserFrame(CpuFixture.CODE, (id, c) -> { });
        fx.code("0f 0a 07 00 00 00");
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.UD);
    }

    @Test
    void theRoutinesMemoryAccessesAreUserAccesses() {
        fx.setPte(CpuFixture.DATA, CpuFixture.DATA | PageTableEntry.P | PageTableEntry.RW); // supervisor page
        cpu.javaCallGate().registerUserFrame(CpuFixture.CODE, (id, c) -> c.read64(CpuFixture.DATA));
        fx.code("0f 0a 01 00 00 00");
        fx.toUser();
        CpuException e = fx.stepCatching();
        assertThat(e.vector).isEqualTo(Vectors.PF);
        assertThat(e.errorCode & Vectors.PF_U).isNotZero();
        assertThat(cpu.rip()).as("the fault is at the KCALL").isEqualTo(CpuFixture.CODE);
    }

    @Test
    void theRoutinesPortIoIsCheckedAgainstTheIoBitmap() {
        fx.installDescriptorTables();
        fx.allowPort(0x80);
        int[] got = new int[1];
        cpu.javaCallGate().registerUserFrame(CpuFixture.CODE, (id, c) -> got[0] = c.in(id, 1));
        fx.code("0f 0a 80 00 00 00");
        fx.toUser();
        cpu.stepRaw();
        assertThat(got[0]).isEqualTo(0xff);
        fx.code("0f 0a 81 00 00 00");
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.GP);
    }

    @Test
    void aNestedRunContinuesUntilDoneWithTheBoardSlicing() {
        int[] slices = {0};
        cpu.setBoard(() -> {
            slices[0]++;
            cpu.run(1);
            return true;
        });
        fx.code("90 90 90 90 90");
        long before = fx.core.perf.instructions;
        boolean done = cpu.runNested(() -> fx.core.perf.instructions - before >= 3);
        assertThat(done).isTrue();
        assertThat(slices[0]).isEqualTo(3);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE + 3);
        assertThat(cpu.nesting()).isZero();
    }

    @Test
    void aNestedRunReportsAStoppingMachine() {
        cpu.setBoard(() -> false);
        assertThat(cpu.runNested(() -> false)).isFalse();
    }
}

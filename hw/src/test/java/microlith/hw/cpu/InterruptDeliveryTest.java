package microlith.hw.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.mmu.PageTableEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exception and interrupt delivery through the IDT from CPL 3, with step(). */
class InterruptDeliveryTest {
    private static final long USER_FLAGS = Flags.FIXED1 | Flags.IF | Flags.CF;

    private final CpuFixture fx = new CpuFixture();
    private final Cpu cpu = fx.cpu;

    @BeforeEach
    void tables() {
        fx.installDescriptorTables();
        fx.toUser();
        cpu.setRflags(USER_FLAGS);
    }

    private long q(long addr) {
        return fx.mem.read64(addr);
    }

    /** Checks the frame pushed on the kernel stack for a CPL 3 -> 0 change. */
    private void assertFrame(long stackTop, Long errorCode, long rip) {
        long sp = cpu.reg(Cpu.RSP);
        int words = errorCode == null ? 5 : 6;
        assertThat(sp).isEqualTo(stackTop - 8L * words);
        long p = sp;
        if (errorCode != null) {
            assertThat(q(p)).as("error code").isEqualTo(errorCode);
            p += 8;
        }
        assertThat(q(p)).as("RIP").isEqualTo(rip);
        assertThat(q(p + 8)).as("CS").isEqualTo(CpuFixture.UCODE);
        assertThat(q(p + 16)).as("RFLAGS").isEqualTo(USER_FLAGS);
        assertThat(q(p + 24)).as("RSP").isEqualTo(CpuFixture.USER_STACK);
        assertThat(q(p + 32)).as("SS").isEqualTo(CpuFixture.UDATA);
    }

    @Test
    void invalidOpcodeFromUserSwitchesToRsp0() {
        fx.code("0f 0b"); // ud2
        cpu.step();
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.UD));
        assertThat(cpu.cpl()).isZero();
        assertThat(cpu.cs()).isEqualTo(CpuFixture.KCODE);
        assertThat(cpu.rflags() & Flags.IF).as("interrupt gate clears IF").isZero();
        assertThat(cpu.rflags() & Flags.CF).isEqualTo(Flags.CF);
        assertFrame(CpuFixture.KERNEL_STACK, null, CpuFixture.CODE);
    }

    @Test
    void generalProtectionPushesItsErrorCode() {
        fx.code("fa"); // cli at CPL 3, IOPL 0
        cpu.step();
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.GP));
        assertFrame(CpuFixture.KERNEL_STACK, 0L, CpuFixture.CODE);
    }

    @Test
    void newStackIsAlignedTo16Bytes() {
        fx.mem.write64(CpuFixture.TSS + 4, CpuFixture.KERNEL_STACK - 8);
        fx.code("0f 0b");
        cpu.step();
        assertFrame(CpuFixture.KERNEL_STACK - 16, null, CpuFixture.CODE);
    }

    @Test
    void trapGateKeepsIf() {
        fx.setGate(Vectors.UD, CpuFixture.handler(Vectors.UD), 0xF, 0, 0);
        fx.code("0f 0b");
        cpu.step();
        assertThat(cpu.rflags() & Flags.IF).isEqualTo(Flags.IF);
    }

    @Test
    void istStackIsUsedWhenTheGateNamesOne() {
        fx.setGate(Vectors.UD, CpuFixture.handler(Vectors.UD), 0xE, 0, 1);
        fx.code("0f 0b");
        cpu.step();
        assertFrame(CpuFixture.IST1_STACK, null, CpuFixture.CODE);
    }

    @Test
    void pageFaultPushesErrorCodeAndSetsCr2() {
        fx.setPte(CpuFixture.DATA, CpuFixture.DATA | PageTableEntry.P | PageTableEntry.US);
        fx.code("48 89 43 08"); // mov [rbx+8], rax
        cpu.setReg(Cpu.RBX, CpuFixture.DATA);
        cpu.step();
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.PF));
        assertThat(cpu.cr2()).isEqualTo(CpuFixture.DATA + 8);
        assertFrame(CpuFixture.KERNEL_STACK, (long) (Vectors.PF_P | Vectors.PF_W | Vectors.PF_U), CpuFixture.CODE);
    }

    /*
     * Architecturally INT n whose gate DPL < CPL raises #GP(n*8+2), delivered normally: a
     * software interrupt is not an exception, so no double fault (SDM vol. 3 table 6-5:
     * only contributory+contributory and #PF+(contributory or #PF) make #DF). This CPU's
     * InterruptDelivery.deliver turns every fault during delivery into #DF; the fix is
     * described in the hw test report. Re-enable once it is applied.
     */
    @Test
    void intToDpl0GateFromUserIsGp() {
        fx.code("cd 80");
        cpu.step();
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.GP));
        assertFrame(CpuFixture.KERNEL_STACK, 0x80L * 8 + 2, CpuFixture.CODE);
    }

    @Test
    void fetchFaultThroughStepStopsAtTheHandler() {
        long page = CpuFixture.CODE + 0x1000;
        fx.setPte(page, 0);
        fx.core.rip = page;
        cpu.step();
        assertThat(cpu.cr2()).isEqualTo(page);
        assertThat(cpu.rip()).as("step() delivers and stops at the handler").isEqualTo(CpuFixture.handler(Vectors.PF));
        assertThat(cpu.halted()).isFalse();
        assertFrame(CpuFixture.KERNEL_STACK, (long) Vectors.PF_U, page);
    }

    @Test
    void intToDpl0GateFromUserIsRefused() {
        // What holds today whichever way the fix above goes: the handler does not run at CPL 3.
        fx.code("cd 80");
        cpu.step();
        assertThat(cpu.rip()).isNotEqualTo(CpuFixture.handler(0x80));
        assertThat(cpu.cpl()).isZero();
    }

    @Test
    void intToDpl3GatePushesTheNextRip() {
        fx.setGate(0x80, CpuFixture.handler(0x80), 0xE, 3, 0);
        fx.code("cd 80");
        cpu.step();
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(0x80));
        assertFrame(CpuFixture.KERNEL_STACK, null, CpuFixture.CODE + 2);
    }

    @Test
    void divideErrorIsVectorZero() {
        fx.code("48 f7 f3"); // div rbx with rbx = 0
        cpu.step();
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.DE));
        assertFrame(CpuFixture.KERNEL_STACK, null, CpuFixture.CODE);
    }

    @Test
    void gateBeyondIdtLimitBecomesDoubleFault() {
        // #GP from CLI; gate 13 lies beyond the limit, so delivering it raises #GP(13*8+2),
        // a contributory fault during a contributory one: #DF with error code 0.
        fx.toKernel();
        cpu.lidt(CpuFixture.IDT, 13 * 16 - 1);
        fx.toUser();
        cpu.setRflags(USER_FLAGS);
        fx.code("fa");
        cpu.step();
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.DF));
        assertThat(cpu.cpl()).isZero();
        assertFrame(CpuFixture.KERNEL_STACK, 0L, CpuFixture.CODE);
        assertThat(cpu.stopReason()).isNull();
    }

    @Test
    void notPresentGateBecomesDoubleFault() {
        long gate = CpuFixture.IDT + 16L * Vectors.GP;
        fx.mem.write64(gate, fx.mem.read64(gate) & ~(1L << 47));
        fx.code("fa");
        cpu.step();
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.DF));
    }

    @Test
    void tripleFaultStopsTheCpu() {
        fx.toKernel();
        cpu.lidt(CpuFixture.IDT, 8 * 16 - 1); // gates 0-7 only: neither #GP (13) nor #DF (8)
        fx.toUser();
        cpu.setRflags(USER_FLAGS);
        fx.code("fa");
        cpu.step();
        assertThat(cpu.stopReason()).startsWith("triple fault");
    }

    @Test
    void iretqReturnsFromTheHandlerToUserMode() {
        fx.code(CpuFixture.handler(Vectors.UD), "48 cf"); // the handler: iretq
        fx.code(CpuFixture.CODE, "0f 0b");
        cpu.step();
        // Skip the faulting UD2, as a handler emulating it would.
        fx.mem.write64(cpu.reg(Cpu.RSP), CpuFixture.CODE + 2);
        cpu.step();
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE + 2);
        assertThat(cpu.reg(Cpu.RSP)).isEqualTo(CpuFixture.USER_STACK);
        assertThat(cpu.rflags()).isEqualTo(USER_FLAGS);
        assertThat(cpu.cs()).isEqualTo(CpuFixture.UCODE);
    }
}

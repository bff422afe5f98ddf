package microlith.hw.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SYSCALL and SYSRET in 64-bit mode (AMD APM vol. 3 "SYSCALL", "SYSRET"; Intel SDM). */
class SyscallSysretTest {
    private static final long ENTRY = 0x60800;
    private static final long STAR = 0x0020_0010_0000_0000L; // SYSRET base 0x20, SYSCALL CS 0x10
    private static final long SFMASK = Flags.IF | Flags.DF | Flags.TF | Flags.AC;

    private final CpuFixture fx = new CpuFixture();
    private final Cpu cpu = fx.cpu;

    @BeforeEach
    void msrs() {
        cpu.wrmsr(Msr.EFER, cpu.rdmsr(Msr.EFER) | Msr.EFER_SCE);
        cpu.wrmsr(Msr.STAR, STAR);
        cpu.wrmsr(Msr.LSTAR, ENTRY);
        cpu.wrmsr(Msr.SFMASK, SFMASK);
    }

    @Test
    void syscallEntersTheKernel() {
        fx.code("0f 05");
        fx.toUser();
        long userFlags = Flags.FIXED1 | Flags.IF | Flags.DF | Flags.CF | Flags.ZF | Flags.AC | Flags.OF;
        cpu.setRflags(userFlags | Flags.RF);
        cpu.stepRaw();
        assertThat(cpu.reg(Cpu.RCX)).as("RCX = next RIP").isEqualTo(CpuFixture.CODE + 2);
        assertThat(cpu.reg(Cpu.R11)).as("R11 = RFLAGS (RF clear)").isEqualTo(userFlags);
        assertThat(cpu.rip()).isEqualTo(ENTRY);
        assertThat(cpu.cpl()).isZero();
        assertThat(cpu.cs()).isEqualTo(0x10);
        assertThat(cpu.ss()).isEqualTo(0x18);
        assertThat(cpu.rflags()).isEqualTo((userFlags & ~SFMASK) | Flags.FIXED1);
        assertThat(cpu.reg(Cpu.RSP)).as("SYSCALL does not switch stacks").isEqualTo(CpuFixture.USER_STACK);
    }

    @Test
    void syscallWithLazyFlagsSavesTheComputedFlags() {
        fx.code("48 39 d8 0f 05"); // cmp rax, rbx; syscall
        fx.toUser();
        cpu.setRflags(Flags.FIXED1);
        cpu.setReg(Cpu.RAX, 1);
        cpu.setReg(Cpu.RBX, 2);
        cpu.stepRaw();
        cpu.stepRaw();
        // 1 - 2: CF, SF, AF, PF (0xff has even parity) set.
        assertThat(cpu.reg(Cpu.R11)).isEqualTo(Flags.FIXED1 | Flags.CF | Flags.SF | Flags.AF | Flags.PF);
    }

    @Test
    void syscallAndSysretAreUndefinedWithoutSce() {
        cpu.wrmsr(Msr.EFER, cpu.rdmsr(Msr.EFER) & ~Msr.EFER_SCE);
        fx.code("0f 05");
        fx.toUser();
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.UD);
        assertThat(cpu.cpl()).isEqualTo(3);
        fx.toKernel();
        fx.code("48 0f 07");
        cpu.setReg(Cpu.RCX, CpuFixture.CODE);
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.UD);
        assertThat(cpu.cpl()).isZero();
    }

    @Test
    void sysretAtCpl3IsGp() {
        fx.code("48 0f 07");
        fx.toUser();
        cpu.setReg(Cpu.RCX, CpuFixture.CODE);
        CpuException e = fx.stepCatching();
        assertThat(e.vector).isEqualTo(Vectors.GP);
        assertThat(e.errorCode).isZero();
    }

    @Test
    void sysretToNonCanonicalRipFaultsInTheKernelWithNoStateChange() {
        fx.code("48 0f 07");
        long kflags = Flags.FIXED1 | Flags.ZF;
        cpu.setRflags(kflags);
        cpu.setReg(Cpu.RCX, 0x0000800000000000L);
        cpu.setReg(Cpu.R11, Flags.FIXED1 | Flags.IF);
        CpuException e = fx.stepCatching();
        assertThat(e.vector).isEqualTo(Vectors.GP);
        assertThat(e.errorCode).isZero();
        assertThat(cpu.cpl()).isZero();
        assertThat(cpu.cs()).isEqualTo(CpuFixture.KCODE);
        assertThat(cpu.ss()).isEqualTo(CpuFixture.KDATA);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE);
        assertThat(cpu.rflags()).isEqualTo(kflags);
    }

    @Test
    void sysretReturnsToUserMode() {
        fx.code("48 0f 07");
        long userRip = CpuFixture.CODE + 0x100;
        cpu.setReg(Cpu.RCX, userRip);
        // RF set and bit 1 clear in R11: SYSRET clears RF and forces bit 1.
        cpu.setReg(Cpu.R11, Flags.RF | Flags.IF | Flags.CF | Flags.OF);
        cpu.stepRaw();
        assertThat(cpu.rip()).isEqualTo(userRip);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.cs()).isEqualTo(0x20 + 16 | 3).isEqualTo(CpuFixture.UCODE);
        assertThat(cpu.ss()).isEqualTo(0x20 + 8 | 3).isEqualTo(CpuFixture.UDATA);
        assertThat(cpu.rflags()).isEqualTo(Flags.FIXED1 | Flags.IF | Flags.CF | Flags.OF);
    }

    @Test
    void syscallThenSysretRoundTrip() {
        fx.code("0f 05");
        fx.code(ENTRY, "48 0f 07");
        fx.core.rip = CpuFixture.CODE;
        fx.toUser();
        long flags = Flags.FIXED1 | Flags.IF | Flags.SF;
        cpu.setRflags(flags);
        cpu.stepRaw();
        assertThat(cpu.cpl()).isZero();
        assertThat(cpu.rflags() & Flags.IF).isZero();
        cpu.stepRaw();
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE + 2);
        assertThat(cpu.rflags()).isEqualTo(flags);
    }
}

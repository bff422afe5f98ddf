package microlith.hw.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import microlith.hw.io.PortDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Privileged instructions at CPL 3, I/O permission, MSR checks and the KCALL gate. */
class PrivilegedTest {
    private final CpuFixture fx = new CpuFixture();
    private final Cpu cpu = fx.cpu;

    private void assertGp(CpuException e, long errorCode) {
        assertThat(e).as("expected #GP").isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.GP);
        assertThat(e.errorCode).isEqualTo(errorCode);
    }

    @ParameterizedTest(name = "{0} ({1}) at CPL 3 is #GP(0)")
    @CsvSource({
        "hlt, f4",
        "cli, fa",
        "sti, fb",
        "in al imm8, e4 20",
        "out imm8 al, e6 20",
        "in al dx, ec",
        "out dx al, ee",
        "in eax dx, ed",
        "insb, 6c",
        "outsb, 6e",
        "mov rax cr0, 0f 20 c0",
        "mov cr0 rax, 0f 22 c0",
        "mov rax cr3, 0f 20 d8",
        "mov cr3 rax, 0f 22 d8",
        "mov rax cr4, 0f 20 e0",
        "mov cr4 rax, 0f 22 e0",
        "rdmsr, 0f 32",
        "wrmsr, 0f 30",
        "lgdt, 0f 01 10",
        "lidt, 0f 01 18",
        "ltr, 0f 00 d8",
        "invlpg, 0f 01 38",
        "swapgs, 0f 01 f8",
        "clts, 0f 06",
        "wbinvd, 0f 09",
        "sysret, 48 0f 07",
    })
    void privilegedAtCpl3(String name, String hex) {
        fx.installDescriptorTables();
        cpu.wrmsr(Msr.EFER, cpu.rdmsr(Msr.EFER) | Msr.EFER_SCE);
        fx.code(hex);
        fx.toUser();
        cpu.setRflags(Flags.FIXED1 | Flags.IF); // IOPL 0
        cpu.setReg(Cpu.RAX, CpuFixture.DATA);
        cpu.setReg(Cpu.RCX, Msr.LSTAR);
        cpu.setReg(Cpu.RDX, 0x20);
        cpu.setReg(Cpu.RSI, CpuFixture.DATA);
        cpu.setReg(Cpu.RDI, CpuFixture.DATA);
        long cr3 = fx.core.cr3;
        assertGp(fx.stepCatching(), 0);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(fx.core.cr3).isEqualTo(cr3);
        assertThat(cpu.rflags() & Flags.IF).isEqualTo(Flags.IF);
    }

    @Test
    void cliAndStiAreAllowedWhenIoplIs3() {
        fx.code("fa fb");
        fx.toUser();
        cpu.setRflags(Flags.FIXED1 | Flags.IF | Flags.IOPL);
        cpu.stepRaw();
        assertThat(cpu.rflags() & Flags.IF).isZero();
        cpu.stepRaw();
        assertThat(cpu.rflags() & Flags.IF).isEqualTo(Flags.IF);
    }

    /** A port device that answers reads with a marker and records writes. */
    private final List<String> portLog = new ArrayList<>();

    private void registerPorts() {
        fx.io.register(0x80, 0x83, new PortDevice() {
            @Override
            public int in(int port, int size) {
                portLog.add("in " + Integer.toHexString(port) + "/" + size);
                return 0x5a5a5a5a;
            }

            @Override
            public void out(int port, int size, int value) {
                portLog.add("out " + Integer.toHexString(port) + "/" + size + "=" + Integer.toHexString(value));
            }
        });
    }

    @Test
    void ioBitmapAllowsOnlyClearedPorts() {
        registerPorts();
        fx.installDescriptorTables();
        fx.allowPort(0x80);
        fx.toUser();
        cpu.setRflags(Flags.FIXED1);
        fx.code("e4 80"); // in al, 0x80
        cpu.stepRaw();
        assertThat(cpu.reg(Cpu.RAX) & 0xff).isEqualTo(0x5a);
        fx.code("e6 80"); // out 0x80, al
        cpu.stepRaw();
        fx.code("e4 81"); // denied
        assertGp(fx.stepCatching(), 0);
        fx.code("66 e5 80"); // in ax, 0x80 needs the bits of 0x80 and 0x81
        assertGp(fx.stepCatching(), 0);
        fx.allowPort(0x81);
        cpu.setReg(Cpu.RDX, 0x80);
        fx.code("66 ed"); // in ax, dx
        cpu.stepRaw();
        assertThat(cpu.reg(Cpu.RAX) & 0xffff).isEqualTo(0x5a5a);
        assertThat(portLog).containsExactly("in 80/1", "out 80/1=5a", "in 80/2");
    }

    @Test
    void ioplThreeBypassesTheBitmap() {
        registerPorts();
        fx.installDescriptorTables();
        fx.toUser();
        cpu.setRflags(Flags.FIXED1 | Flags.IOPL);
        fx.code("e4 82");
        cpu.stepRaw();
        assertThat(portLog).containsExactly("in 82/1");
    }

    @Test
    void iretqToCpl0FromCpl3IsGpWithTheSelector() {
        fx.installDescriptorTables();
        fx.toUser();
        long sp = CpuFixture.USER_STACK - 40;
        cpu.setReg(Cpu.RSP, sp);
        fx.mem.write64(sp, CpuFixture.CODE + 0x100);
        fx.mem.write64(sp + 8, CpuFixture.KCODE);
        fx.mem.write64(sp + 16, Flags.FIXED1);
        fx.mem.write64(sp + 24, CpuFixture.KERNEL_STACK);
        fx.mem.write64(sp + 32, CpuFixture.KDATA);
        fx.code("48 cf");
        assertGp(fx.stepCatching(), CpuFixture.KCODE);
        assertThat(cpu.cpl()).isEqualTo(3);
    }

    @Test
    void iretqFromKernelToUser() {
        fx.installDescriptorTables();
        long sp = CpuFixture.KERNEL_STACK - 40;
        cpu.setReg(Cpu.RSP, sp);
        fx.mem.write64(sp, CpuFixture.CODE + 0x100);
        fx.mem.write64(sp + 8, CpuFixture.UCODE);
        fx.mem.write64(sp + 16, Flags.FIXED1 | Flags.IF | Flags.CF);
        fx.mem.write64(sp + 24, CpuFixture.USER_STACK - 8);
        fx.mem.write64(sp + 32, CpuFixture.UDATA);
        fx.code("48 cf");
        cpu.stepRaw();
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE + 0x100);
        assertThat(cpu.cs()).isEqualTo(CpuFixture.UCODE);
        assertThat(cpu.ss()).isEqualTo(CpuFixture.UDATA);
        assertThat(cpu.reg(Cpu.RSP)).isEqualTo(CpuFixture.USER_STACK - 8);
        assertThat(cpu.rflags()).isEqualTo(Flags.FIXED1 | Flags.IF | Flags.CF);
    }

    @Test
    void wrmsrOfNonCanonicalLstarIsGp() {
        fx.code("0f 30");
        cpu.setReg(Cpu.RCX, Msr.LSTAR & 0xffffffffL);
        cpu.setReg(Cpu.RDX, 0x00008000L);
        cpu.setReg(Cpu.RAX, 0);
        assertGp(fx.stepCatching(), 0);
        assertThat(cpu.rdmsr(Msr.LSTAR)).isZero();
        cpu.setReg(Cpu.RDX, 0xffff8000L);
        cpu.stepRaw();
        assertThat(cpu.rdmsr(Msr.LSTAR)).isEqualTo(0xffff800000000000L);
    }

    @Test
    void rdmsrOfUnknownMsrIsGp() {
        fx.code("0f 32");
        cpu.setReg(Cpu.RCX, 0x1234);
        assertGp(fx.stepCatching(), 0);
    }

    @Test
    void kcallOnlyFromRegisteredKernelText() {
        List<Integer> calls = new ArrayList<>();
        cpu.javaCallGate().install((id, c) -> calls.add(id));
        fx.code("0f 0a 07 00 00 00");
        fx.toUser();
        assertThat(fx.stepCatching().vector).as("CPL 3").isEqualTo(Vectors.UD);
        fx.toKernel();
        assertThat(fx.stepCatching().vector).as("CPL 0 outside text").isEqualTo(Vectors.UD);
        cpu.javaCallGate().addTextRange(CpuFixture.CODE, CpuFixture.CODE + 0x1000);
        fx.toUser();
        assertThat(fx.stepCatching().vector).as("CPL 3 inside text").isEqualTo(Vectors.UD);
        fx.toKernel();
        cpu.stepRaw();
        assertThat(calls).containsExactly(7);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.CODE + 6);
        assertThat(calls).hasSize(1);
    }
}

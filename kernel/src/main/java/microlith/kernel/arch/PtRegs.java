package microlith.kernel.arch;

import microlith.hw.cpu.Cpu;

/**
 * The saved user registers at the top of a task's kernel stack, laid out as Linux's
 * struct pt_regs on x86-64. The last five words are exactly the frame the CPU pushes on
 * an interrupt (RIP, CS, RFLAGS, RSP, SS), and orig_rax sits where an exception's error
 * code lands, so one layout serves syscalls, exceptions and interrupts.
 *
 * <pre>
 *  +0 r15   +8 r14  +16 r13  +24 r12  +32 rbp  +40 rbx  +48 r11  +56 r10
 * +64 r9   +72 r8   +80 rax  +88 rcx  +96 rdx +104 rsi +112 rdi
 * +120 orig_rax (syscall number, or exception error code, or -1)
 * +128 rip +136 cs +144 rflags +152 rsp +160 ss          (size 168)
 * </pre>
 */
public final class PtRegs {
    public static final int R15 = 0, R14 = 8, R13 = 16, R12 = 24, RBP = 32, RBX = 40, R11 = 48, R10 = 56;
    public static final int R9 = 64, R8 = 72, RAX = 80, RCX = 88, RDX = 96, RSI = 104, RDI = 112;
    public static final int ORIG_RAX = 120, RIP = 128, CS = 136, RFLAGS = 144, RSP = 152, SS = 160;
    public static final int SIZE = 168;

    /** pt_regs slot for each CPU register number (RAX..R15); RSP is in the hardware frame. */
    static final int[] SLOT = {RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15};

    private PtRegs() {
    }

    /** Stores all general registers except RSP into the pt_regs at regs. */
    public static void saveGprs(Cpu cpu, long regs) {
        for (int n = 0; n < 16; n++) {
            if (n != Cpu.RSP) {
                cpu.write64(regs + SLOT[n], cpu.reg(n));
            }
        }
    }

    /** Loads all general registers except RSP from the pt_regs at regs. */
    public static void restoreGprs(Cpu cpu, long regs) {
        for (int n = 0; n < 16; n++) {
            if (n != Cpu.RSP) {
                cpu.setReg(n, cpu.read64(regs + SLOT[n]));
            }
        }
    }

    public static long get(Cpu cpu, long regs, int slot) {
        return cpu.read64(regs + slot);
    }

    public static void set(Cpu cpu, long regs, int slot, long v) {
        cpu.write64(regs + slot, v);
    }

    /** Syscall argument n (0-5) in the Linux order RDI, RSI, RDX, R10, R8, R9. */
    public static long arg(Cpu cpu, long regs, int n) {
        switch (n) {
            case 0: return cpu.read64(regs + RDI);
            case 1: return cpu.read64(regs + RSI);
            case 2: return cpu.read64(regs + RDX);
            case 3: return cpu.read64(regs + R10);
            case 4: return cpu.read64(regs + R8);
            default: return cpu.read64(regs + R9);
        }
    }
}

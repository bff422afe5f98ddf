package microlith.kernel.ipc;

import microlith.hw.cpu.Cpu;

/**
 * The kernel-mode register state of the Java code that lends the CPU to a server: the
 * callee-visible part of a context switch (Linux's switch_to keeps it on the kernel
 * stack). Restored once the server has answered, so the caller continues where it was.
 */
final class CpuState {
    private final long[] gpr = new long[16];
    private final long rip;
    private final long rflags;
    private final long cr3;

    CpuState(Cpu cpu) {
        for (int i = 0; i < 16; i++) {
            gpr[i] = cpu.reg(i);
        }
        rip = cpu.rip();
        rflags = cpu.rflags();
        cr3 = cpu.cr3();
    }

    long cr3() {
        return cr3;
    }

    void restore(Cpu cpu) {
        for (int i = 0; i < 16; i++) {
            cpu.setReg(i, gpr[i]);
        }
        cpu.setRflags(rflags);
        cpu.setRip(rip);
    }
}

package microlith.server;

import microlith.hw.cpu.Cpu;
import microlith.server.abi.Ipc;

/**
 * System calls from Java running at CPL 3. A C program would execute SYSCALL; this code
 * does exactly that: it loads the arguments into the registers the Linux ABI names, points
 * RIP at the trampoline in the server's text ({@code syscall; KCALL RESUME}) and runs the
 * CPU until the trampoline's KCALL brings control back. The core sees an ordinary SYSCALL
 * from ring 3: entry through MSR_LSTAR, SYSRET back, every event counted.
 */
final class Syscalls {
    /** The machine stopped (power off, a stop request) while the call was in the core. */
    static final class Stopped extends Error {
        Stopped() {
            super("machine stopped", null, false, false);
        }
    }

    private static final int[] ARGS = {Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.R10, Cpu.R8, Cpu.R9};
    private static final int[] CLOBBERED = {Cpu.RAX, Cpu.RCX, Cpu.R11, Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.R10, Cpu.R8, Cpu.R9};

    private final Cpu cpu;
    private boolean resumed;

    Syscalls(Cpu cpu) {
        this.cpu = cpu;
    }

    /** The trampoline's KCALL RESUME: the system call is back in ring 3. */
    void resume() {
        resumed = true;
        cpu.requestYield();
    }

    long call(long nr, long... args) {
        long rip = cpu.rip();
        long[] saved = new long[CLOBBERED.length];
        for (int i = 0; i < CLOBBERED.length; i++) {
            saved[i] = cpu.reg(CLOBBERED[i]);
        }
        cpu.setReg(Cpu.RAX, nr);
        for (int i = 0; i < ARGS.length; i++) {
            cpu.setReg(ARGS[i], i < args.length ? args[i] : 0);
        }
        cpu.setRip(Ipc.TEXT + Ipc.TRAMPOLINE);
        boolean wasResumed = resumed;
        resumed = false;
        boolean ok = cpu.runNested(() -> resumed);
        resumed = wasResumed;
        if (!ok) {
            throw new Stopped();
        }
        long r = cpu.reg(Cpu.RAX);
        for (int i = 0; i < CLOBBERED.length; i++) {
            cpu.setReg(CLOBBERED[i], saved[i]);
        }
        cpu.setRip(rip);
        return r;
    }
}

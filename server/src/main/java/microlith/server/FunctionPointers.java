package microlith.server;

import java.util.ArrayList;
import java.util.List;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.mmu.Mmu;
import microlith.module.api.KernelFunction;
import microlith.server.abi.Ipc;

/**
 * Function pointers in a server, as a C server would have them. {@link #address} gives a
 * module function one of the text page's stubs ({@code KCALL FN_BASE+k; RET}); {@link #call}
 * calls through any address the way {@code call *%rax} does: it pushes the address of
 * {@code fn_return} on the server's stack, jumps, and runs the CPU nested until that
 * returns. Everything happens at CPL 3 in the server's address space, so a pointer to the
 * server's own stub runs that function, and any other address runs what is mapped there
 * for the server, or faults: a user fault in the server, which the core answers by killing
 * it. Nothing a server calls can be kernel code.
 */
final class FunctionPointers {
    private static final int[] ARGS = {Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.RCX, Cpu.R8, Cpu.R9};
    private static final int RED_ZONE = 128;

    /** One call in progress. */
    private static final class Frame {
        boolean returned;
        long result;
    }

    private final Cpu cpu;
    private final Object self;
    private final java.util.function.LongSupplier deadline;
    private final java.util.function.Supplier<Error> expired;
    private final List<KernelFunction> functions = new ArrayList<>();
    private final java.util.ArrayDeque<Frame> frames = new java.util.ArrayDeque<>();

    /**
     * self: the server's routines, registered with the CPU's gate for as long as the server
     * lives; deadline: the request's (0: none); expired: the watchdog's error, thrown when
     * called code runs past the deadline.
     */
    FunctionPointers(Cpu cpu, Object self, java.util.function.LongSupplier deadline,
                     java.util.function.Supplier<Error> expired) {
        this.cpu = cpu;
        this.self = self;
        this.deadline = deadline;
        this.expired = expired;
    }

    /** The stub address of fn, or 0 when the text page's stubs are all taken. */
    long address(KernelFunction fn) {
        if (functions.size() >= Ipc.FN_STUBS) {
            return 0;
        }
        functions.add(fn);
        return Ipc.TEXT + Ipc.FN_STUB_BASE + 16L * (functions.size() - 1);
    }

    /** KCALL FN_BASE+k: runs function k with the registers' arguments; its result goes to RAX. */
    void stub(int k, Cpu c) {
        if (k < 0 || k >= functions.size()) {
            throw CpuException.ud();
        }
        c.setReg(Cpu.RAX, functions.get(k).call(c.reg(Cpu.RDI), c.reg(Cpu.RSI), c.reg(Cpu.RDX), c.reg(Cpu.RCX),
            c.reg(Cpu.R8), c.reg(Cpu.R9)));
    }

    /** KCALL FN_RETURN: the code called through a pointer has returned. */
    void returned(Cpu c) {
        Frame f = frames.peek();
        if (f == null) {
            throw CpuException.ud();
        }
        f.result = c.reg(Cpu.RAX);
        f.returned = true;
        c.requestYield();
    }

    /**
     * Calls the code at fn and returns its RAX. If the server dies meanwhile (the code
     * faulted), its Java code unwinds with {@link Syscalls.Stopped} and nothing is restored:
     * the core has moved on. Past the request's deadline the watchdog's error is thrown.
     */
    long call(long fn, long... args) {
        long until = deadline.getAsLong();
        long textFrame = cpu.mmu().translate(Ipc.TEXT, Mmu.EXEC, true);
        long[] gpr = new long[16];
        for (int i = 0; i < 16; i++) {
            gpr[i] = cpu.reg(i);
        }
        long rip = cpu.rip();
        long rflags = cpu.rflags();
        long sp = ((cpu.reg(Cpu.RSP) - RED_ZONE) & ~0xFL) - 8;
        cpu.write64(sp, Ipc.TEXT + Ipc.FN_RETURN_AT);
        cpu.setReg(Cpu.RSP, sp);
        for (int i = 0; i < ARGS.length; i++) {
            cpu.setReg(ARGS[i], i < args.length ? args[i] : 0);
        }
        cpu.setRip(fn);
        Frame f = new Frame();
        frames.push(f);
        boolean ran;
        try {
            ran = cpu.runNested(() -> f.returned || cpu.javaCallGate().userRoutines(textFrame) != self
                || until != 0 && cpu.perf.cycles() > until);
        } finally {
            frames.pop();
        }
        if (!ran || cpu.javaCallGate().userRoutines(textFrame) != self) {
            // The machine stops, or the server died of what it called: its Java code just
            // unwinds, and the run this request is nested in ends at once (the nested run
            // above took the yield that announced the death).
            cpu.requestYield();
            throw new Syscalls.Stopped();
        }
        for (int i = 0; i < 16; i++) {
            cpu.setReg(i, gpr[i]);
        }
        cpu.setRflags(rflags);
        cpu.setRip(rip);
        if (!f.returned) {
            throw expired.get();
        }
        return f.result;
    }
}

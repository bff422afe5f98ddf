package microlith.kernel.arch;

import java.util.ArrayDeque;
import java.util.Deque;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.JavaCallGate;
import microlith.hw.cpu.Vectors;
import microlith.hw.mmu.Mmu;

/**
 * Calls a function pointer read from kernel memory, as compiled kernel code does with
 * {@code call *%rax}: whatever address is stored runs, at CPL 0, with the arguments in
 * RDI, RSI, RDX, RCX, R8, R9 and the result in RAX.
 *
 * <p>Every Java entry point in the kernel or a module is a stub {@code KCALL id; RET}
 * (bytes {@code 0F 0A id32 C3}) in kernel or module text. When the pointer leads to one,
 * the call fetches those bytes through the MMU with the execute check, exactly as the CPU
 * would, and runs the routine, counting the two instructions: the fast path every file
 * operation takes.
 *
 * <p>Anywhere else the CPU itself runs the code: the kernel pushes the address of
 * {@code x86_call_return} ({@code KCALL x86_call_return}) on the kernel stack, jumps to the
 * pointer, and runs the machine nested until that returns (the migrating-thread mechanism
 * the IPC core uses). So a pointer to x86 code in user memory executes in ring 0 unless
 * SMEP refuses the fetch, one to kernel data executes unless its page is NX, and a wild
 * one faults: each a CPU exception at CPL 0, delivered through the IDT, whose handler logs
 * the oops and calls {@link #abortCurrent}. The call then ends in a {@link Fault} that is
 * already reported, and the task that made it is killed on its way out, as Linux's oops
 * kills it. Code that runs past the watchdog's budget is stopped the same way.
 */
public final class IndirectCall {
    private static final int[] ARGS = {Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.RCX, Cpu.R8, Cpu.R9};
    /** Bytes left untouched below the caller's stack pointer (the SysV red zone). */
    private static final int RED_ZONE = 128;

    /** An oops in a call through a bad pointer. */
    public static final class Fault extends RuntimeException {
        public final long address;
        /** The oops is already in the log (a CPU exception handled through the IDT). */
        public final boolean reported;

        public Fault(long address, String message) {
            this(address, message, false);
        }

        Fault(long address, String message, boolean reported) {
            super(message, null, false, false);
            this.address = address;
            this.reported = reported;
        }
    }

    /** What the kernel does when x86 code called through a pointer has to be stopped. */
    public interface Abort {
        /** Logs the soft lockup of code at rip and marks the current task to die (SIGKILL). */
        void softLockup(long rip);
    }

    /** One x86 call in progress; nested calls stack up. */
    private static final class Frame {
        boolean returned;
        boolean aborted;
        long result;
    }

    private final Cpu cpu;
    private final JavaCallGate.Routines routines;
    /** Whether an address lies in text where KCALL is allowed (kernel or module text). */
    private final java.util.function.LongPredicate isText;
    private final long returnStub;
    private final long budget;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private Abort abort = rip -> { };

    /**
     * returnStub: the address of {@code x86_call_return} in kernel text; budget: the
     * simulated cycles x86 code may run per call (the module watchdog's).
     */
    public IndirectCall(Cpu cpu, JavaCallGate.Routines routines, java.util.function.LongPredicate isText,
                        long returnStub, long budget) {
        this.cpu = cpu;
        this.routines = routines;
        this.isText = isText;
        this.returnStub = returnStub;
        this.budget = budget;
    }

    public void setAbort(Abort a) {
        this.abort = a;
    }

    public long call(long fn, long a0, long a1, long a2, long a3, long a4, long a5) {
        long[] args = {a0, a1, a2, a3, a4, a5};
        long pa;
        try {
            pa = cpu.mmu().translate(fn, Mmu.EXEC, false);
        } catch (CpuException e) {
            // Not executable here: the CPU's own fetch raises the fault, through the IDT.
            return runMachineCode(fn, args);
        }
        if ((pa & 0xfff) <= 0xff8 && cpu.memory().read8(pa) == 0x0F && cpu.memory().read8(pa + 1) == 0x0A
            && cpu.memory().read8(pa + 6) == 0xC3 && isText.test(fn)) {
            return callStub(fn, cpu.memory().read32(pa + 2), args);
        }
        return runMachineCode(fn, args);
    }

    /** The KCALL stub's two instructions, done here: the routine runs with the arguments in registers. */
    private long callStub(long fn, int id, long[] args) {
        long[] saved = new long[ARGS.length + 1];
        for (int i = 0; i < ARGS.length; i++) {
            saved[i] = cpu.reg(ARGS[i]);
            cpu.setReg(ARGS[i], args[i]);
        }
        saved[ARGS.length] = cpu.reg(Cpu.RAX);
        cpu.perf.instructions += 2;
        cpu.perf.javaCalls++;
        try {
            routines.call(id, cpu);
            return cpu.reg(Cpu.RAX);
        } catch (CpuException e) {
            if (e.vector == Vectors.PF) {
                throw new Fault(fn, String.format("BUG: unable to handle page fault for address: %016x",
                    e.faultAddress));
            }
            throw new Fault(fn, String.format("invalid opcode: 0000 [#1] at %016x (stale entry point)", fn));
        } finally {
            for (int i = 0; i < ARGS.length; i++) {
                cpu.setReg(ARGS[i], saved[i]);
            }
            cpu.setReg(Cpu.RAX, saved[ARGS.length]);
        }
    }

    /** Runs the code at fn on the CPU, at CPL 0 on the current kernel stack, until it returns. */
    private long runMachineCode(long fn, long[] args) {
        long[] gpr = new long[16];
        for (int i = 0; i < 16; i++) {
            gpr[i] = cpu.reg(i);
        }
        long rip = cpu.rip();
        long rflags = cpu.rflags();
        long sp = ((cpu.reg(Cpu.RSP) - RED_ZONE) & ~0xFL) - 8;
        Frame f = new Frame();
        frames.push(f);
        boolean ran;
        try {
            // The return address, as CALL pushes it: RSP + 8 is 16-byte aligned at the entry.
            cpu.write64(sp, returnStub);
            cpu.setReg(Cpu.RSP, sp);
            for (int i = 0; i < ARGS.length; i++) {
                cpu.setReg(ARGS[i], args[i]);
            }
            cpu.setRip(fn);
            long deadline = cpu.perf.cycles() + budget;
            ran = cpu.runNested(() -> f.returned || f.aborted || cpu.perf.cycles() > deadline);
        } catch (IllegalStateException e) {
            // No board to run on (the kernel outside a machine): nothing can execute there.
            ran = false;
            f.aborted = true;
        } finally {
            frames.pop();
            for (int i = 0; i < 16; i++) {
                cpu.setReg(i, gpr[i]);
            }
            cpu.setRflags(rflags);
            cpu.setRip(rip);
        }
        if (f.returned) {
            return f.result;
        }
        if (ran && !f.aborted) {
            abort.softLockup(fn);
        }
        throw new Fault(fn, String.format("BUG: call to %016x did not return", fn), true);
    }

    /** {@code x86_call_return}: the code called through a pointer has returned to the kernel. */
    public void returned(Cpu c) {
        Frame f = frames.peek();
        if (f == null) {
            // Reached without a call in progress: as undefined as the bytes are elsewhere.
            throw CpuException.ud();
        }
        f.result = c.reg(Cpu.RAX);
        f.returned = true;
        c.requestYield();
    }

    /**
     * A CPU exception at CPL 0 while code called through a pointer ran: that call is over
     * (its oops is logged by the caller). False if no such call was running.
     */
    public boolean abortCurrent() {
        Frame f = frames.peek();
        if (f == null || f.returned) {
            return false;
        }
        f.aborted = true;
        cpu.requestYield();
        return true;
    }
}

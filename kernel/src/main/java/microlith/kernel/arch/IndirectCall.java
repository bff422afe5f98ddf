package microlith.kernel.arch;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.mmu.Mmu;
import microlith.hw.cpu.JavaCallGate;

/**
 * Calls a function pointer read from kernel memory, as compiled kernel code does with
 * {@code call *%rax}: whatever address is stored runs.
 *
 * <p>Every Java entry point in the kernel or a module is a stub {@code KCALL id; RET}
 * (bytes {@code 0F 0A id32 C3}) at its address. The call fetches those bytes through the
 * MMU with the execute check, exactly as the CPU would, and runs the routine with the
 * arguments in RDI, RSI, RDX, RCX, R8, R9 and the result in RAX, counting the two
 * instructions. So a corrupted pointer runs whichever stub it now points at; a pointer to
 * unmapped, non-executable or non-stub memory is an oops ({@link Fault}). Pointers to
 * arbitrary x86 code would need a nested CPU run and are reported as a fault for now.
 */
public final class IndirectCall {
    private static final int[] ARGS = {Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.RCX, Cpu.R8, Cpu.R9};

    /** An oops in a call through a bad pointer. */
    public static final class Fault extends RuntimeException {
        public final long address;

        public Fault(long address, String message) {
            super(message, null, false, false);
            this.address = address;
        }
    }

    private final Cpu cpu;
    private final JavaCallGate.Routines routines;
    /** Whether an address lies in text where KCALL is allowed (kernel or module text). */
    private final java.util.function.LongPredicate isText;

    public IndirectCall(Cpu cpu, JavaCallGate.Routines routines, java.util.function.LongPredicate isText) {
        this.cpu = cpu;
        this.routines = routines;
        this.isText = isText;
    }

    public long call(long fn, long a0, long a1, long a2, long a3, long a4, long a5) {
        long pa;
        try {
            pa = cpu.mmu().translate(fn, Mmu.EXEC, false);
        } catch (CpuException e) {
            throw new Fault(fn, String.format("BUG: unable to handle page fault for address: %016x", fn));
        }
        if ((pa & 0xfff) > 0xff8 || cpu.memory().read8(pa) != 0x0F || cpu.memory().read8(pa + 1) != 0x0A
            || cpu.memory().read8(pa + 6) != 0xC3 || !isText.test(fn)) {
            throw new Fault(fn, String.format("invalid opcode: 0000 [#1] at %016x (not a kernel entry point)", fn));
        }
        int id = cpu.memory().read32(pa + 2);
        long[] saved = new long[ARGS.length + 1];
        long[] args = {a0, a1, a2, a3, a4, a5};
        for (int i = 0; i < ARGS.length; i++) {
            saved[i] = cpu.reg(ARGS[i]);
            cpu.setReg(ARGS[i], args[i]);
        }
        saved[ARGS.length] = cpu.reg(Cpu.RAX);
        cpu.perf.instructions += 2;
        cpu.perf.javaCalls++;
        try {
            routines.call(id, cpu);
        } catch (CpuException e) {
            throw new Fault(fn, String.format("invalid opcode: 0000 [#1] at %016x (stale entry point)", fn));
        }
        long result = cpu.reg(Cpu.RAX);
        for (int i = 0; i < ARGS.length; i++) {
            cpu.setReg(ARGS[i], saved[i]);
        }
        cpu.setReg(Cpu.RAX, saved[ARGS.length]);
        return result;
    }
}

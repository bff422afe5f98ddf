package microlith.kernel.entry;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.Vectors;
import microlith.kernel.arch.Idt;
import microlith.kernel.arch.IndirectCall;
import microlith.kernel.arch.IrqTable;
import microlith.kernel.arch.KernelText;
import microlith.kernel.arch.Pic;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.Vma;
import microlith.kernel.proc.ProcessManager;
import microlith.kernel.proc.SignalDelivery;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;
import microlith.kernel.time.Timers;

/**
 * Exception and interrupt handlers (Linux's arch/x86/kernel/traps.c and fault.c).
 *
 * <p>A fault in user mode becomes a signal, whose default action here kills the task,
 * logged in Linux's wording:
 * <pre>
 * hello[1]: segfault at 0 ip 0000000000401136 sp 00007ffffffde000 error 6 in hello[401000+1000]
 * traps: hello[1] general protection fault ip:401136 sp:7ffffffde000 error:0 in hello[401000+1000]
 * traps: hello[1] trap invalid opcode ip:401136 sp:7ffffffde000 error:0 in hello[401000+1000]
 * </pre>
 * A fault in kernel mode is an oops: the current task dies and the system goes on.
 */
public final class Traps {
    public static final int IRQ_BASE = 0x20;
    private static final int[] ERROR_CODE_VECTORS = {8, 10, 11, 12, 13, 14, 17, 21, 29, 30};

    private final Entry entry;
    private final long[] stubs = new long[48];
    private Printk log;
    private Clock clock;
    private Scheduler sched;
    private Pic pic;
    private IrqTable irqs;
    private Timers timers;
    private ProcessManager process;
    private KernelText text;
    private IndirectCall nestedCalls;

    public Traps(Entry entry) {
        this.entry = entry;
    }

    /** What the handlers work with once the kernel runs. */
    public void attach(Printk log, Clock clock, Scheduler sched, Pic pic, IrqTable irqs, Timers timers,
                       ProcessManager process, KernelText text) {
        this.log = log;
        this.clock = clock;
        this.sched = sched;
        this.pic = pic;
        this.irqs = irqs;
        this.timers = timers;
        this.process = process;
        this.text = text;
    }

    private static boolean hasErrorCode(int v) {
        for (int e : ERROR_CODE_VECTORS) {
            if (e == v) {
                return true;
            }
        }
        return false;
    }

    private static final String[] NAMES = {
        "divide_error", "debug", "nmi", "int3", "overflow", "bounds", "invalid_op", "device_not_available",
        "double_fault", "coproc_segment_overrun", "invalid_TSS", "segment_not_present", "stack_segment",
        "general_protection", "page_fault", "spurious", "coprocessor_error", "alignment_check", "machine_check",
        "simd_coprocessor_error", "virtualization", "control_protection", "reserved_22", "reserved_23",
        "reserved_24", "reserved_25", "reserved_26", "reserved_27", "hv_injection", "vmm_communication",
        "security", "reserved_31",
    };

    /** One stub per vector: {@code asm_exc_NAME: KCALL exception_entry(vector)}. */
    public void build(KernelText t) {
        for (int v = 0; v < 48; v++) {
            final int vector = v;
            final boolean err = v < 32 && hasErrorCode(v);
            String name = v < 32 ? "asm_exc_" + NAMES[v] : "asm_irq_" + (v - IRQ_BASE);
            stubs[v] = t.label(name);
            t.kcall(name, c -> entry.exceptionEntry(c, vector, err));
            // Never reached: the routine always leaves through an exit path.
            t.bytes(0x0F, 0x0B);
        }
    }

    public void installIdt(Cpu cpu, long idt) {
        for (int i = 0; i < Idt.BYTES; i += 8) {
            cpu.write64(idt + i, 0);
        }
        for (int v = 0; v < 48; v++) {
            // #BP and #OF may be raised by INT3/INTO from user mode (DPL 3); #DF gets IST1.
            int dpl = v == Vectors.BP || v == Vectors.OF ? 3 : 0;
            int ist = v == Vectors.DF ? 1 : 0;
            Idt.setGate(cpu, idt, v, stubs[v], dpl, ist);
        }
    }

    void irq(Cpu cpu, int line) {
        if (line == 7 && (pic.inService() & 0x80) == 0) {
            return; // spurious: no EOI
        }
        if (line == 0) {
            clock.jiffies++;
            sched.wakeExpired(clock.nanos());
            process.itimers.tick(clock.nanos(), sched.current());
            sched.needResched = true;
            timers.run(clock.jiffies);
        }
        irqs.handle(line); // a driver's line; the kernel's own lines have no handler there
        pic.eoi(line);
    }

    void userException(Cpu cpu, Task t, int vector, long error, long regs) {
        long ip = cpu.read64(regs + PtRegs.RIP);
        long sp = cpu.read64(regs + PtRegs.RSP);
        switch (vector) {
            case Vectors.PF: {
                long addr = cpu.cr2();
                boolean write = (error & Vectors.PF_W) != 0;
                boolean exec = (error & Vectors.PF_I) != 0;
                if (t.mm.handleFault(addr, write, exec)) {
                    // A copy-on-write break moved the page: drop the stale translation.
                    cpu.invlpg(addr);
                    return;
                }
                if (t.mm.outOfMemory) {
                    // The largest process dies (OomKiller); if that was someone else, the fault is retried.
                    process.oomKill(t);
                    return;
                }
                String msg = String.format("%s[%d]: segfault at %x ip %016x sp %016x error %x%s", t.comm, t.pid,
                    addr, ip, sp, error, where(t, ip));
                if (!process.signals.force(t, Signals.SIGSEGV,
                        (error & Vectors.PF_P) != 0 ? SignalDelivery.SEGV_ACCERR : SignalDelivery.SEGV_MAPERR, addr)) {
                    // Only a fault that kills is logged (Linux's show_unhandled_signals).
                    log.info(msg);
                }
                return;
            }
            case Vectors.GP:
                fatal(t, Signals.SIGSEGV, SignalDelivery.SI_KERNEL, 0, String.format(
                    "traps: %s[%d] general protection fault ip:%x sp:%x error:%x%s", t.comm, t.pid, ip, sp, error,
                    where(t, ip)));
                return;
            case Vectors.UD:
                fatal(t, Signals.SIGILL, 2 /* ILL_ILLOPN */, ip, String.format(
                    "traps: %s[%d] trap invalid opcode ip:%x sp:%x error:0%s", t.comm, t.pid, ip, sp, where(t, ip)));
                return;
            case Vectors.DE:
                fatal(t, Signals.SIGFPE, 1 /* FPE_INTDIV */, ip, String.format(
                    "traps: %s[%d] trap divide error ip:%x sp:%x error:0%s", t.comm, t.pid, ip, sp, where(t, ip)));
                return;
            case Vectors.BP:
            case Vectors.DB:
                process.signals.force(t, Signals.SIGTRAP, SignalDelivery.SI_KERNEL, ip);
                return;
            case Vectors.NP:
            case Vectors.SS:
                log.info("traps: %s[%d] %s ip:%x sp:%x error:%x%s", t.comm, t.pid, NAMES[vector], ip, sp, error,
                    where(t, ip));
                process.kill(t, Signals.SIGBUS);
                return;
            default:
                log.info("traps: %s[%d] trap %s ip:%x sp:%x error:%x%s", t.comm, t.pid,
                    vector < 32 ? NAMES[vector] : "vector " + vector, ip, sp, error, where(t, ip));
                process.kill(t, vector == Vectors.MF || vector == Vectors.XM ? Signals.SIGFPE : Signals.SIGSEGV);
        }
    }

    /** Raises a fault's signal; the message is logged only if the task dies of it. */
    private void fatal(Task t, int sig, int code, long addr, String message) {
        if (!process.signals.force(t, sig, code, addr)) {
            log.info(message);
        }
    }

    /** " in comm[start+len]" for the VMA holding ip, as show_signal_msg prints. */
    private static String where(Task t, long ip) {
        Vma v = t.mm == null ? null : t.mm.find(ip);
        if (v == null) {
            return "";
        }
        String name = v.name.isEmpty() ? t.comm : v.name.substring(v.name.lastIndexOf('/') + 1);
        return String.format(" in %s[%x+%x]", name, v.start, v.end - v.start);
    }

    /**
     * An exception at CPL 0 is a kernel bug: oops, kill the current task, carry on.
     * Returns true when it hit machine code the kernel was running through a function
     * pointer (arch/IndirectCall): that call is unwound first, and the task dies with
     * SIGKILL on its way back to user mode.
     */
    boolean kernelException(Cpu cpu, int vector, long error, long regs) {
        long ip = cpu.read64(regs + PtRegs.RIP);
        Task t = sched.current();
        // orig_ax is -1 for a vector without an error code; Linux's oops shows 0000 then.
        error = Math.max(0, error);
        if (vector == Vectors.PF) {
            PageFaultOops.show(log, cpu, cpu.cr2(), error, t == null ? 0 : t.uid());
        } else {
            log.emerg("%s: %s, error %x", Vectors.mnemonic(vector), vector < 32 ? NAMES[vector] : "vector", error);
        }
        log.emerg("Oops: %04x [#1] SMP", error);
        log.emerg("CPU: 0 PID: %d Comm: %s", t == null ? 0 : t.pid, t == null ? "swapper/0" : t.comm);
        log.emerg("RIP: 0010:%s", text.describe(ip));
        log.emerg("---[ end trace 0000000000000000 ]---");
        if (vector == Vectors.DF || t == null) {
            throw entry.panic("Fatal exception");
        }
        if (nestedCalls != null && nestedCalls.abortCurrent()) {
            killOnReturn(t);
            return true;
        }
        process.kill(t, Signals.SIGKILL);
        return false;
    }

    /** SIGKILL pending, acted on when the task next returns to user mode (after a call unwinds). */
    private static void killOnReturn(Task t) {
        long bit = 1L << (Signals.SIGKILL - 1);
        t.pending |= bit;
        t.sigMask &= ~bit;
    }

    /** The calls through function pointers a kernel fault may have to unwind. */
    public void setNestedCalls(IndirectCall calls) {
        this.nestedCalls = calls;
        calls.setAbort(this::softLockup);
    }

    /** Machine code called through a pointer ran past the watchdog's budget: stopped, and its task dies. */
    private void softLockup(long fn) {
        Task t = sched.current();
        log.emerg("watchdog: BUG: soft lockup - CPU#0 stuck for 1s! [%s:%d]", t == null ? "swapper/0" : t.comm,
            t == null ? 0 : t.pid);
        log.emerg("RIP: 0010:%s", text.describe(fn));
        if (t != null) {
            killOnReturn(t);
        }
    }
}

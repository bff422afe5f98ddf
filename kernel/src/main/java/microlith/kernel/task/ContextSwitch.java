package microlith.kernel.task;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.FpuState;
import microlith.hw.cpu.Msr;
import microlith.kernel.arch.Segments;
import microlith.kernel.mm.Pcid;

/**
 * Making a task the one that runs (Linux's switch_to and __switch_to): its address space
 * (CR3), its kernel stack (TSS.RSP0), its FS base, and its x87/SSE state, which is saved
 * with FXSAVE into the outgoing owner's area at the bottom of its kernel stack and
 * restored from the incoming task's.
 */
public final class ContextSwitch {
    private final Cpu cpu;
    private final Scheduler sched;
    private final long tss;
    private final Pcid pcid;
    /** The task whose x87/SSE state is in the CPU's registers. */
    private Task fpuOwner;
    /** The task whose ports are open in the TSS I/O bitmap. */
    private Task ioOwner;

    public ContextSwitch(Cpu cpu, Scheduler sched, long tss, Pcid pcid) {
        this.cpu = cpu;
        this.sched = sched;
        this.tss = tss;
        this.pcid = pcid;
    }

    /** Makes next the running task. */
    public void switchTo(Task next) {
        Task prev = sched.current();
        if (prev == next && pcid.loadedPml4() == next.mm.pml4) {
            return;
        }
        if (prev != null && prev != next && prev.state != Task.State.ZOMBIE) {
            prev.fsBase = cpu.rdmsr(Msr.FS_BASE);
            // A restartable sequence the task was in has lost the CPU (rseq_preempt).
            prev.rseqResume = prev.rseq != 0;
        }
        sched.setCurrent(next);
        if (!next.server) {
            // Servers never touch x87/SSE state: the FPU stays with its owner (lazy FPU).
            switchFpu(next);
        }
        if (pcid.loadedPml4() != next.mm.pml4) {
            cpu.writeCr(3, pcid.cr3For(next.mm.pml4));
        }
        switchIoBitmap(next);
        Segments.setRsp0(cpu, tss, next.kstackTop());
        cpu.wrmsr(Msr.FS_BASE, next.fsBase);
        if (prev != next) {
            cpu.perf.contextSwitches++;
        }
    }

    /**
     * The TSS I/O permission bitmap (after the 0x68-byte TSS, one bit per port, a clear bit
     * allows the port at CPL 3): the outgoing task's ports are closed again and the incoming
     * task's opened, so a server reaches exactly the ports it was granted.
     */
    private void switchIoBitmap(Task next) {
        if (ioOwner == next || ioOwner == null && next.ioPorts.isEmpty()) {
            return;
        }
        if (ioOwner != null) {
            setPorts(ioOwner, true);
        }
        setPorts(next, false);
        ioOwner = next.ioPorts.isEmpty() ? null : next;
        cpu.perf.ioBitmapReloads++;
    }

    /** The task's ports changed (request_region in a server): reload if it is the one running. */
    public void portsChanged(Task t, int first, int last, boolean allow) {
        if (ioOwner == t || sched.current() == t) {
            for (int p = first; p <= last; p++) {
                setPort(p, !allow);
            }
            ioOwner = t.ioPorts.isEmpty() ? null : t;
        }
    }

    private void setPorts(Task t, boolean deny) {
        for (int[] r : t.ioPorts) {
            for (int p = r[0]; p <= r[1]; p++) {
                setPort(p, deny);
            }
        }
    }

    private void setPort(int port, boolean deny) {
        long a = tss + Segments.TSS_SIZE + (port >>> 3);
        int b = cpu.read8(a);
        cpu.write8(a, deny ? b | 1 << (port & 7) : b & ~(1 << (port & 7)));
    }

    private void switchFpu(Task next) {
        if (fpuOwner == next) {
            return;
        }
        if (fpuOwner != null && fpuOwner.state != Task.State.ZOMBIE) {
            FpuState.save(cpu, fpuOwner.fpuArea());
        }
        FpuState.restore(cpu, next.fpuArea());
        fpuOwner = next;
    }

    /** A fresh x87/SSE state (after execve, or for a new task) for t, which must be current. */
    public void resetFpu(Task t) {
        FpuState.reset(cpu);
        FpuState.save(cpu, t.fpuArea());
        fpuOwner = t;
    }

    /** fork: the child starts with the parent's (current) register state. */
    public void copyFpu(Task parent, Task child) {
        if (fpuOwner == parent) {
            FpuState.save(cpu, child.fpuArea());
        } else {
            for (int off = 0; off < FpuState.AREA_BYTES; off += 8) {
                cpu.write64(child.fpuArea() + off, cpu.read64(parent.fpuArea() + off));
            }
        }
    }
}

package microlith.kernel.task;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.FpuState;
import microlith.hw.cpu.Msr;
import microlith.kernel.arch.Segments;

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
    /** The task whose x87/SSE state is in the CPU's registers. */
    private Task fpuOwner;

    public ContextSwitch(Cpu cpu, Scheduler sched, long tss) {
        this.cpu = cpu;
        this.sched = sched;
        this.tss = tss;
    }

    /** Makes next the running task. */
    public void switchTo(Task next) {
        Task prev = sched.current();
        if (prev == next && cpu.cr3() == next.mm.pml4) {
            return;
        }
        if (prev != null && prev != next && prev.state != Task.State.ZOMBIE) {
            prev.fsBase = cpu.rdmsr(Msr.FS_BASE);
        }
        sched.setCurrent(next);
        switchFpu(next);
        if (cpu.cr3() != next.mm.pml4) {
            cpu.writeCr(3, next.mm.pml4);
        }
        Segments.setRsp0(cpu, tss, next.kstackTop());
        cpu.wrmsr(Msr.FS_BASE, next.fsBase);
        if (prev != next) {
            cpu.perf.contextSwitches++;
        }
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

package microlith.kernel.syscall;

import java.util.SplittableRandom;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.Cpu;
import microlith.kernel.fs.Vfs;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.proc.ProcessManager;
import microlith.kernel.task.Scheduler;
import microlith.kernel.time.Clock;

/**
 * The subsystems system calls act on: the syscall layer's explicit dependencies. The
 * table's entry points are laid out when the kernel image is linked; start_kernel binds
 * the subsystems here once they exist.
 */
public final class Services {
    public Cpu cpu;
    public PhysicalMemory mem;
    public Printk log;
    public Scheduler sched;
    public ProcessManager process;
    public Uaccess uaccess;
    public Vfs vfs;
    public ModuleLoader modules;
    public PageAllocator pages;
    public Clock clock;
    public SplittableRandom random;
    public microlith.kernel.ipc.IpcCore ipc;
    /** The kernel's timer list (jiffies), for timers that files own (timerfd). */
    public microlith.kernel.time.Timers timers;

    public void bind(Cpu cpu, Printk log, Scheduler sched, ProcessManager process, Uaccess uaccess, Vfs vfs,
                     ModuleLoader modules, PageAllocator pages, Clock clock, SplittableRandom random,
                     microlith.kernel.ipc.IpcCore ipc) {
        this.ipc = ipc;
        this.cpu = cpu;
        this.mem = cpu.memory();
        this.log = log;
        this.sched = sched;
        this.process = process;
        this.uaccess = uaccess;
        this.vfs = vfs;
        this.modules = modules;
        this.pages = pages;
        this.clock = clock;
        this.random = random;
    }
}

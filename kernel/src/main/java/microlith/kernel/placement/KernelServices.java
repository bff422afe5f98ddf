package microlith.kernel.placement;

import microlith.hw.cpu.Cpu;
import microlith.kernel.arch.IoPorts;
import microlith.kernel.arch.IrqTable;
import microlith.kernel.fs.BlockDevices;
import microlith.kernel.fs.CharDevices;
import microlith.kernel.fs.Mounts;
import microlith.kernel.fs.ProcEntries;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.Kmalloc;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signaller;
import microlith.kernel.time.Clock;
import microlith.kernel.time.Timers;

/**
 * Everything of the kernel the SDK's calls act on: the explicit list of what a module can
 * reach, whichever placement it runs in.
 */
public record KernelServices(Cpu cpu, Printk log, ModuleLoader loader, Kmalloc kmalloc, Uaccess uaccess,
                             Scheduler sched, CharDevices chrdevs, BlockDevices blockdevs, Mounts mounts,
                             IoPorts ioports, IrqTable irqs, Clock clock, Timers timers, ProcEntries procEntries,
                             Signaller signals) {
}

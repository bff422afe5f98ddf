package microlith.kernel.procfs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import microlith.hw.CostModel;
import microlith.hw.PerfCounters;
import microlith.kernel.arch.CpuInfo;
import microlith.kernel.arch.IoPorts;
import microlith.kernel.arch.IrqTable;
import microlith.kernel.fs.BlockDevices;
import microlith.kernel.fs.CharDevices;
import microlith.kernel.fs.Mounts;
import microlith.kernel.fs.ProcEntries;
import microlith.kernel.mm.Kmalloc;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.mm.Vma;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.FdTable;
import microlith.kernel.task.Task;

/**
 * /proc (Linux's procfs): each file's text is generated when it is opened. System files
 * (meminfo, uptime, modules, kallsyms, mounts, devices, interrupts, ...), what modules add
 * with proc_create, and per process /proc/PID/{cmdline,stat,status,maps,exe,cwd};
 * /proc/self names the caller. Kernel addresses read as zero unless root asks
 * (kptr_restrict).
 */
public final class ProcFs extends PseudoFs {
    /** Where the generated text comes from. */
    public record Sources(Scheduler sched, ModuleLoader modules, Mounts mounts, CharDevices chrdevs,
                          BlockDevices blockdevs, IoPorts ioports, IrqTable irqs, PageAllocator pages, Kmalloc kmalloc,
                          PerfCounters perf, LongSupplier nanos, LongSupplier jiffies, String cmdline, String version,
                          ProcEntries entries, CpuInfo cpu) {
    }

    private static final List<String> SYSTEM = List.of("cmdline", "cpuinfo", "devices", "filesystems", "interrupts",
        "ioports", "kallsyms", "meminfo", "modules", "mounts", "partitions", "self", "stat", "sys", "uptime", "version");
    /** USER_HZ: the unit of the times in /proc/stat. */
    private static final long USER_HZ = 100;

    private final Sources s;

    public ProcFs(Sources s) {
        this.s = s;
    }

    private Task caller() {
        return s.sched().current();
    }

    private boolean callerIsRoot() {
        Task t = caller();
        return t == null || t.uid() == 0;
    }

    private static final List<String> PER_TASK = List.of("cmdline", "cwd", "exe", "fd", "maps", "stat", "status");

    /** A thread of t's group by its tid, or null. */
    private static Task thread(Task t, String tid) {
        for (Task x : t.group.live) {
            if (Integer.toString(x.pid).equals(tid)) {
                return x;
            }
        }
        return null;
    }

    private Task task(String name) {
        if (name.equals("self")) {
            return caller();
        }
        try {
            Task t = s.sched().find(Integer.parseInt(name));
            return t;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    List<String> children(String path) {
        List<String> out = new ArrayList<>();
        if (path.isEmpty()) {
            out.addAll(SYSTEM);
            for (String extra : s.entries().names()) {
                out.add(extra);
            }
            for (Task t : s.sched().all()) {
                if (t.isLeader()) {
                    out.add(Integer.toString(t.pid));
                }
            }
        } else if (path.equals("sys")) {
            out.add("kernel");
        } else if (path.equals("sys/kernel")) {
            out.add("tainted");
        } else if (path.indexOf('/') < 0 && task(path) != null) {
            out.addAll(PER_TASK);
            out.add("task");
        } else {
            String[] p = path.split("/");
            Task t = task(p[0]);
            if (t == null) {
                return out;
            }
            if (p.length == 2 && p[1].equals("task")) {
                for (Task x : t.group.live) {
                    out.add(Integer.toString(x.pid));
                }
            } else if (p.length == 2 && p[1].equals("fd")) {
                for (int fd = 0; fd < FdTable.MAX_FDS; fd++) {
                    if (t.files.get(fd) != null) {
                        out.add(Integer.toString(fd));
                    }
                }
            } else if (p.length == 3 && p[1].equals("task") && thread(t, p[2]) != null) {
                out.addAll(PER_TASK);
            }
        }
        return out;
    }

    @Override
    Node node(String path) {
        if (path.isEmpty() || path.equals("sys") || path.equals("sys/kernel")) {
            return Node.dir(0, 0);
        }
        if (path.equals("sys/kernel/tainted")) {
            return Node.file(() -> s.modules().taint() + "\n");
        }
        String[] p = path.split("/");
        if (p.length == 1) {
            Node n = system(p[0]);
            if (n != null) {
                return n;
            }
            Supplier<String> show = s.entries().get(p[0]);
            if (show != null) {
                return Node.file(show);
            }
        }
        Task t = task(p[0]);
        if (t == null) {
            return null;
        }
        if (p.length >= 3 && p[1].equals("task")) {
            Task x = thread(t, p[2]);
            if (x == null || p.length > 4) {
                return null;
            }
            return p.length == 3 ? Node.dir(x.uid(), x.gid()) : perTask(x, p[3]);
        }
        if (p.length == 3 && p[1].equals("fd")) {
            return fdLink(t, p[2]);
        }
        if (p.length > 2) {
            return null;
        }
        if (p.length == 2 && (p[1].equals("task") || p[1].equals("fd"))) {
            return Node.dir(t.uid(), t.gid());
        }
        if (p[0].equals("self") && p.length == 1) {
            return Node.link(Integer.toString(t.tgid()));
        }
        if (p.length == 1) {
            return Node.dir(t.uid(), t.gid());
        }
        return perTask(t, p[1]);
    }

    private Node system(String name) {
        switch (name) {
            case "modules": return Node.file(() -> s.modules().procModules(callerIsRoot()));
            case "kallsyms": return Node.file(() -> s.modules().kallsyms(callerIsRoot()));
            case "mounts": return Node.file(s.mounts()::procMounts);
            case "filesystems": return Node.file(s.mounts()::procFilesystems);
            case "devices": return Node.file(() -> s.chrdevs().procDevices(s.blockdevs()));
            case "ioports": return Node.file(s.ioports()::describe);
            case "partitions": return Node.file(s.blockdevs()::procPartitions);
            case "meminfo": return Node.file(this::meminfo);
            case "uptime": return Node.file(this::uptime);
            case "cmdline": return Node.file(() -> s.cmdline() + "\n");
            case "version": return Node.file(() -> s.version() + "\n");
            case "interrupts": return Node.file(this::interrupts);
            case "cpuinfo": return Node.file(() -> s.cpu().procCpuinfo(CostModel.CLOCK_HZ / 1_000_000));
            case "stat": return Node.file(this::stat);
            default: return null;
        }
    }

    private Node perTask(Task t, String name) {
        switch (name) {
            case "status": return Node.file(() -> status(t));
            case "stat": return Node.file(() -> stat(t));
            case "cmdline": return Node.file(() -> {
                StringBuilder sb = new StringBuilder();
                for (String a : t.argv) {
                    sb.append(a).append('\0');
                }
                return sb.toString();
            });
            case "maps": return Node.file(() -> maps(t));
            case "exe": return t.exe == null ? null : Node.link(t.exe);
            case "cwd": return Node.link(t.cwd);
            default: return null;
        }
    }

    /** /proc/PID/fd/N: the path a file was opened by, else pipe:[ino] or anon_inode:[kind]. */
    private static Node fdLink(Task t, String fd) {
        int n;
        try {
            n = Integer.parseInt(fd);
        } catch (NumberFormatException e) {
            return null;
        }
        microlith.kernel.task.File f = t.files.get(n);
        if (f == null) {
            return null;
        }
        if (f instanceof microlith.kernel.fs.InodeFile) {
            return Node.link(((microlith.kernel.fs.InodeFile) f).path());
        }
        int type = f.mode() & 0170000;
        return Node.link(type == 0010000 ? "pipe:[" + f.ino() + "]" : type == 0140000 ? "socket:[" + f.ino() + "]"
            : type == 0020000 ? "/dev/char" : "anon_inode:[" + f.getClass().getSimpleName().toLowerCase() + "]");
    }

    private static String maps(Task t) {
        StringBuilder sb = new StringBuilder();
        if (t.mm != null) {
            for (Vma v : t.mm.vmas()) {
                sb.append(String.format("%08x-%08x %s%s%s%s %08x 00:00 0 %s%n", v.start, v.end,
                    (v.prot & Vma.PROT_READ) != 0 ? "r" : "-", (v.prot & Vma.PROT_WRITE) != 0 ? "w" : "-",
                    (v.prot & Vma.PROT_EXEC) != 0 ? "x" : "-", v.shared != null ? "s" : "p", v.fileOffset,
                    v.name.isEmpty() ? "" : "                          " + v.name));
            }
        }
        return sb.toString();
    }

    private static int ppid(Task t) {
        Task p = t.group.leader.parent;
        return p == null ? 0 : p.tgid();
    }

    private static char stateLetter(Task t) {
        switch (t.state) {
            case RUNNABLE: return 'R';
            case SLEEPING: return 'S';
            case STOPPED: return 'T';
            default: return 'Z';
        }
    }

    private static String status(Task t) {
        String st = t.state == Task.State.RUNNABLE ? "R (running)" : t.state == Task.State.SLEEPING
            ? "S (sleeping)" : t.state == Task.State.STOPPED ? "T (stopped)" : "Z (zombie)";
        return "Name:\t" + t.comm + "\nState:\t" + st + "\nTgid:\t" + t.tgid() + "\nPid:\t" + t.pid
            + "\nPPid:\t" + ppid(t) + "\nUid:\t" + t.uid() + "\t" + t.uid() + "\t" + t.uid()
            + "\t" + t.uid() + "\nGid:\t" + t.gid() + "\t" + t.gid() + "\t" + t.gid() + "\t" + t.gid()
            + "\nVmRSS:\t" + (t.mm == null ? 0 : t.mm.residentPages() * 4L) + " kB\nThreads:\t" + t.group.live.size() + "\n"
            + String.format("SigPnd:\t%016x%nSigBlk:\t%016x%n", t.pending, t.sigMask);
    }

    private static String stat(Task t) {
        return t.pid + " (" + t.comm + ") " + stateLetter(t) + " " + ppid(t)
            + " " + t.pgid + " " + t.sid + " 0 -1 0 0 0 0 0 0 0 0 0 20 0 " + t.group.live.size() + " 0 0 "
            + (t.mm == null ? 0 : t.mm.residentPages() * 4096L) + " " + (t.mm == null ? 0 : t.mm.residentPages())
            + "\n";
    }

    private String meminfo() {
        long total = s.pages().totalPages() * 4L;
        long free = s.pages().freePages() * 4L;
        return String.format("MemTotal:       %8d kB%nMemFree:        %8d kB%nMemAvailable:   %8d kB%n"
            + "Slab:           %8d kB%nKmallocBytes:   %8d%n", total, free, free, s.kmalloc().pagesInUse() * 4L,
            s.kmalloc().bytesInUse());
    }

    private String uptime() {
        long ns = s.nanos().getAsLong();
        long idle = CostModel.nanos(s.perf().idleCycles);
        return String.format("%d.%02d %d.%02d%n", ns / 1_000_000_000L, ns / 10_000_000L % 100,
            idle / 1_000_000_000L, idle / 10_000_000L % 100);
    }

    private static long ticks(long nanos) {
        return nanos / (1_000_000_000L / USER_HZ);
    }

    /**
     * /proc/stat. CPU time comes from the cost model: idle is the halted cycles, system the
     * cycles of kernel entries and exits, port I/O, CR3 writes and module code, user the
     * rest; there is no I/O wait, steal or softirq time to report.
     */
    private String stat() {
        PerfCounters p = s.perf();
        long total = ticks(s.nanos().getAsLong());
        long idle = ticks(CostModel.nanos(p.idleCycles));
        long kernel = p.syscalls * CostModel.SYSCALL + (p.exceptions + p.interrupts) * CostModel.EXCEPTION
            + p.cr3Writes * CostModel.TLB_FLUSH + p.portIo * CostModel.PORT_IO
            + p.moduleBytecodes * CostModel.MODULE_BYTECODE;
        long system = Math.min(ticks(CostModel.nanos(kernel)), total - idle);
        long user = total - idle - system;
        String times = String.format("%d 0 %d %d 0 0 0 0 0 0", user, system, idle);
        StringBuilder intr = new StringBuilder();
        long sum = s.jiffies().getAsLong();
        intr.append(' ').append(s.jiffies().getAsLong());
        for (int irq = 1; irq < 16; irq++) {
            long n = irq == 2 ? 0 : s.irqs().count(irq);
            sum += n;
            intr.append(' ').append(n);
        }
        long running = s.sched().all().stream().filter(t -> t.state == Task.State.RUNNABLE).count();
        return "cpu  " + times + "\ncpu0 " + times + "\nintr " + sum + intr + "\nctxt " + p.contextSwitches
            + "\nbtime " + microlith.kernel.time.Clock.BOOT_EPOCH + "\nprocesses " + s.sched().created()
            + "\nprocs_running " + running + "\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n";
    }

    private String interrupts() {
        return String.format("           CPU0%n  0: %10d   XT-PIC  timer%n", s.jiffies().getAsLong())
            + s.irqs().describe();
    }
}

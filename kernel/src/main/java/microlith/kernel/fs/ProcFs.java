package microlith.kernel.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import microlith.kernel.Kernel;
import microlith.kernel.mm.Vma;
import microlith.kernel.proc.Task;

/**
 * /proc, generated when a path under it is looked up (Linux's procfs): a file's text is
 * a snapshot taken at open. Files: /proc/meminfo, /proc/uptime, /proc/cmdline,
 * /proc/interrupts, /proc/version, and per process /proc/PID/{status,stat,cmdline,maps};
 * /proc/self names the caller.
 */
public final class ProcFs {
    private final Kernel k;

    public ProcFs(Kernel k) {
        this.k = k;
    }

    private static Inode file(String text) {
        return file(text, 0444);
    }

    /** A generated file with the given text (also used by /sys). */
    static Inode file(String text, int perm) {
        Inode n = new Inode(Inode.S_IFREG | perm, 0, 0);
        n.data = text.getBytes(StandardCharsets.UTF_8);
        return n;
    }

    /** A generated directory listing names as read-only files (also used by /sys). */
    static Inode dir(List<String> names) {
        Inode d = new Inode(Inode.S_IFDIR | 0555, 0, 0);
        for (String name : names) {
            d.children.put(name, new Inode(Inode.S_IFREG | 0444, 0, 0));
        }
        return d;
    }

    /** Resolves a path below /proc ("" is /proc itself); null if there is no such entry. */
    public Inode lookup(String rest, Task caller) {
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("/");
        if (rest.equals("sys/kernel/tainted")) {
            return file(k.modules.taint() + "\n");
        }
        if (rest.equals("sys") || rest.equals("sys/kernel")) {
            Inode d = dir(List.of());
            d.children.put(rest.equals("sys") ? "kernel" : "tainted", rest.equals("sys")
                ? new Inode(Inode.S_IFDIR | 0555, 0, 0) : new Inode(Inode.S_IFREG | 0444, 0, 0));
            return d;
        }
        if (parts.length == 0) {
            List<String> names = new ArrayList<>(List.of("cmdline", "devices", "filesystems", "interrupts", "ioports",
                "kallsyms", "meminfo", "modules", "mounts", "partitions", "self", "uptime", "version"));
            for (String extra : k.procEntries.names()) {
                names.add(extra);
            }
            for (Task t : k.sched.all()) {
                names.add(Integer.toString(t.pid));
            }
            Inode d = dir(names);
            for (Task t : k.sched.all()) {
                d.children.put(Integer.toString(t.pid), new Inode(Inode.S_IFDIR | 0555, t.uid(), t.gid()));
            }
            d.children.put("sys", new Inode(Inode.S_IFDIR | 0555, 0, 0));
            return d;
        }
        if (parts.length == 1) {
            boolean root = caller == null || caller.uid() == 0;
            switch (parts[0]) {
                case "modules": return file(k.modules.procModules(root));
                case "kallsyms": return file(k.modules.kallsyms(root));
                case "mounts": return file(k.mounts.procMounts());
                case "filesystems": return file(k.mounts.procFilesystems());
                case "devices": return file(k.chrdevs.procDevices(k.blockdevs));
                case "ioports": return file(k.ioports.describe());
                case "partitions": return file(k.blockdevs.procPartitions());
                case "meminfo": return file(meminfo());
                case "uptime": {
                    long ns = k.nanos();
                    long idle = microlith.hw.CostModel.nanos(k.cpu.perf.idleCycles);
                    return file(String.format("%d.%02d %d.%02d%n", ns / 1_000_000_000L, ns / 10_000_000L % 100,
                        idle / 1_000_000_000L, idle / 10_000_000L % 100));
                }
                case "cmdline": return file(k.cmdline.raw() + "\n");
                case "version": return file("microlith version " + Kernel.VERSION + " (" + Kernel.RELEASE + ")\n");
                case "interrupts": return file(interrupts());
                default: {
                    java.util.function.Supplier<String> show = k.procEntries.get(parts[0]);
                    if (show != null) {
                        return file(show.get());
                    }
                    break;
                }
            }
        }
        Task t = parts[0].equals("self") ? caller : parseTask(parts[0]);
        if (t == null) {
            return null;
        }
        if (parts.length == 1) {
            Inode d = dir(List.of("cmdline", "maps", "stat", "status"));
            d.uid = t.uid();
            d.gid = t.gid();
            return d;
        }
        if (parts.length != 2) {
            return null;
        }
        switch (parts[1]) {
            case "status": return file(status(t));
            case "stat": return file(stat(t));
            case "cmdline": {
                StringBuilder sb = new StringBuilder();
                for (String a : t.argv) {
                    sb.append(a).append('\0');
                }
                return file(sb.toString());
            }
            case "maps": {
                StringBuilder sb = new StringBuilder();
                if (t.mm != null) {
                    for (Vma v : t.mm.vmas()) {
                        sb.append(String.format("%08x-%08x %s%s%sp %08x 00:00 0 %s%n", v.start, v.end,
                            (v.prot & Vma.PROT_READ) != 0 ? "r" : "-", (v.prot & Vma.PROT_WRITE) != 0 ? "w" : "-",
                            (v.prot & Vma.PROT_EXEC) != 0 ? "x" : "-", v.fileOffset,
                            v.name.isEmpty() ? "" : "                          " + v.name));
                    }
                }
                return file(sb.toString());
            }
            default: return null;
        }
    }

    private Task parseTask(String s) {
        try {
            return k.sched.find(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static char stateLetter(Task t) {
        switch (t.state) {
            case RUNNABLE: return 'R';
            case SLEEPING: return 'S';
            case STOPPED: return 'T';
            default: return 'Z';
        }
    }

    private String status(Task t) {
        String st = t.state == Task.State.RUNNABLE ? "R (running)" : t.state == Task.State.SLEEPING
            ? "S (sleeping)" : t.state == Task.State.STOPPED ? "T (stopped)" : "Z (zombie)";
        return "Name:\t" + t.comm + "\nState:\t" + st + "\nTgid:\t" + t.pid + "\nPid:\t" + t.pid
            + "\nPPid:\t" + (t.parent == null ? 0 : t.parent.pid) + "\nUid:\t" + t.uid() + "\t" + t.uid() + "\t" + t.uid()
            + "\t" + t.uid() + "\nGid:\t" + t.gid() + "\t" + t.gid() + "\t" + t.gid() + "\t" + t.gid()
            + "\nVmRSS:\t" + (t.mm == null ? 0 : t.mm.residentPages() * 4L) + " kB\nThreads:\t1\n"
            + String.format("SigPnd:\t%016x%nSigBlk:\t%016x%n", t.pending, t.sigMask);
    }

    private String stat(Task t) {
        return t.pid + " (" + t.comm + ") " + stateLetter(t) + " " + (t.parent == null ? 0 : t.parent.pid)
            + " " + t.pid + " " + t.pid + " 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 "
            + (t.mm == null ? 0 : t.mm.residentPages() * 4096L) + " " + (t.mm == null ? 0 : t.mm.residentPages())
            + "\n";
    }

    private String meminfo() {
        long total = k.pages.totalPages() * 4L;
        long free = k.pages.freePages() * 4L;
        return String.format("MemTotal:       %8d kB%nMemFree:        %8d kB%nMemAvailable:   %8d kB%n"
            + "Slab:           %8d kB%nKmallocBytes:   %8d%n", total, free, free, k.kmalloc.pagesInUse() * 4L,
            k.kmalloc.bytesInUse());
    }

    private String interrupts() {
        return String.format("           CPU0%n  0: %10d   XT-PIC  timer%n  4: %10s   XT-PIC  ttyS0%n",
            k.jiffies, "-") + k.irqs.describe();
    }
}

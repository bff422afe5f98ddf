package microlith.kernel.fs;

import java.util.Map;
import java.util.TreeMap;
import microlith.hw.cpu.Cpu;
import microlith.kernel.mm.Kmalloc;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * Character-device majors (Linux's chrdevs table): the kernel's own (1 for the memory
 * devices, 5 for /dev/tty and /dev/console) and those drivers register with the address of
 * their file_operations. Opening a node finds its major from the inode's device number.
 * /dev/console and /dev/tty are the console device (ttyS0 unless console= says otherwise).
 */
public final class CharDevices {
    /** A driver's major: its name, the address of its file_operations and its owner. */
    public record Entry(int major, String name, long fops, Owner owner) {
    }

    public static final int MEM_MAJOR = 1, TTYAUX_MAJOR = 5;
    private static final int DYNAMIC_HIGH = 254, DYNAMIC_LOW = 234;

    final Cpu cpu;
    final Kmalloc kmalloc;
    final FunctionCaller caller;
    private final MemDevices mem;
    private final Map<Integer, Entry> majors = new TreeMap<>();
    private Vfs vfs;
    /** The device /dev/console and /dev/tty open (major &lt;&lt; 8 | minor). */
    private long console = 4 << 8 | 64;

    public CharDevices(Cpu cpu, Kmalloc kmalloc, FunctionCaller caller, MemDevices mem) {
        this.cpu = cpu;
        this.kmalloc = kmalloc;
        this.caller = caller;
        this.mem = mem;
    }

    void attach(Vfs v) {
        this.vfs = v;
    }

    public void setConsole(long rdev) {
        this.console = rdev;
    }

    /** register_chrdev; major 0 picks a free one from 254 down. Returns the major or -errno. */
    public int register(int major, String name, long fops, Owner owner) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,32}")) {
            return -Errno.EINVAL;
        }
        if (major == 0) {
            for (int m = DYNAMIC_HIGH; m >= DYNAMIC_LOW && major == 0; m--) {
                if (!majors.containsKey(m)) {
                    major = m;
                }
            }
            if (major == 0) {
                return -Errno.EBUSY;
            }
        }
        if (major < 0 || major > 511 || majors.containsKey(major) || major == MEM_MAJOR || major == TTYAUX_MAJOR) {
            return -Errno.EBUSY;
        }
        majors.put(major, new Entry(major, name, fops, owner));
        return major;
    }

    public void unregister(int major) {
        majors.remove(major);
    }

    /** device_create: the node /dev/NAME. 0 or -errno (-EEXIST if the name is taken). */
    public int createNode(String name, int major, int minor, int mode) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,32}")) {
            return -Errno.EINVAL;
        }
        return vfs.kernelMknod("/dev/" + name, Inode.S_IFCHR | (mode & 0777), (long) major << 8 | minor);
    }

    /** device_destroy: removes /dev/NAME if it is a character device node. */
    public void removeNode(String name) {
        vfs.kernelRemoveDevice("/dev/" + name, Inode.S_IFCHR);
    }

    /** Opens the device of a character node; err[0] gets -ENXIO/-ENODEV when there is none. */
    File open(Task t, Inode node, int flags, int[] err) {
        long rdev = node.rdev;
        int major = (int) (rdev >>> 8);
        int minor = (int) (rdev & 0xff);
        if (major == TTYAUX_MAJOR && (minor == 0 || minor == 1)) {
            rdev = console;
            major = (int) (rdev >>> 8);
            minor = (int) (rdev & 0xff);
        }
        File f;
        if (major == MEM_MAJOR) {
            f = mem.open(minor, node);
        } else {
            Entry e = majors.get(major);
            f = e == null ? null : new ChrdevFile(this, e, node, minor);
        }
        if (f == null) {
            err[0] = -Errno.ENXIO;
            return null;
        }
        int r = f.open(t, flags);
        if (r < 0) {
            err[0] = r;
            return null;
        }
        return f;
    }

    /** /proc/devices. */
    public String procDevices(BlockDevices blocks) {
        StringBuilder sb = new StringBuilder("Character devices:\n  1 mem\n");
        boolean ttyaux = false;
        for (Entry e : majors.values()) {
            if (e.major() > TTYAUX_MAJOR && !ttyaux) {
                sb.append("  5 /dev/tty\n  5 /dev/console\n");
                ttyaux = true;
            }
            sb.append(String.format("%3d %s%n", e.major(), e.name()));
        }
        if (!ttyaux) {
            sb.append("  5 /dev/tty\n  5 /dev/console\n");
        }
        sb.append("\nBlock devices:\n");
        sb.append(blocks.procDevices());
        return sb.toString();
    }
}

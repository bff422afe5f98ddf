package microlith.kernel.fs;

import java.util.Map;
import java.util.TreeMap;
import microlith.kernel.Kernel;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.syscall.Errno;

/**
 * The character-device majors modules register (Linux's chrdevs table), each with its
 * /dev node. The built-in devices (mem, tty, ttyS) are listed for /proc/devices.
 */
public final class CharDevices {
    /** A registered major: its name, the address of its file_operations and its module. */
    public record Entry(int major, String name, long fops, LoadedModule owner) {
    }

    private static final int DYNAMIC_HIGH = 254, DYNAMIC_LOW = 234;
    private final Kernel k;
    private final Map<Integer, Entry> majors = new TreeMap<>();

    public CharDevices(Kernel k) {
        this.k = k;
    }

    /** register_chrdev; major 0 picks a free one from 254 down. Returns the major or -errno. */
    public int register(int major, String name, long fops, LoadedModule owner) {
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
        if (major < 0 || major > 511 || majors.containsKey(major) || major == 1 || major == 4 || major == 5) {
            return -Errno.EBUSY;
        }
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,32}") || k.rootfs.lookup("/dev/" + name) != null) {
            return -Errno.EEXIST;
        }
        Entry e = new Entry(major, name, fops, owner);
        majors.put(major, e);
        Inode n = k.rootfs.create("/dev/" + name, Inode.S_IFCHR | 0600, 0, 0);
        n.rdev = (long) major << 8;
        n.device = () -> new ChrdevFile(k, e);
        return major;
    }

    public void unregister(int major) {
        Entry e = majors.remove(major);
        if (e != null) {
            Inode n = k.rootfs.lookup("/dev/" + e.name());
            if (n != null && n.rdev == (long) major << 8) {
                k.rootfs.lookup("/dev").children.remove(e.name());
            }
        }
    }

    /** /proc/devices. */
    public String procDevices(BlockDevices blocks) {
        StringBuilder sb = new StringBuilder("Character devices:\n  1 mem\n  4 ttyS\n  5 /dev/tty\n  5 /dev/console\n");
        for (Entry e : majors.values()) {
            sb.append(String.format("%3d %s%n", e.major(), e.name()));
        }
        sb.append("\nBlock devices:\n");
        sb.append(blocks.procDevices());
        return sb.toString();
    }
}

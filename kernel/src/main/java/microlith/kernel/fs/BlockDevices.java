package microlith.kernel.fs;

import java.util.Map;
import java.util.TreeMap;
import microlith.kernel.Kernel;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.proc.Task;
import microlith.kernel.syscall.Errno;
import microlith.module.api.BlockDevice;

/**
 * Disks drivers register, each with a block-device node /dev/NAME (major 3, as IDE
 * disks), which mount(2) names. Opening the node reads the raw disk.
 */
public final class BlockDevices {
    public static final int MAJOR = 3;

    /** A registered disk. */
    public record Entry(String name, BlockDevice device, LoadedModule owner, int minor) {
    }

    private final Kernel k;
    private final Map<String, Entry> disks = new TreeMap<>();
    private int nextMinor;

    public BlockDevices(Kernel k) {
        this.k = k;
    }

    public int register(String name, BlockDevice device, LoadedModule owner) {
        if (name == null || !name.matches("[a-z0-9]{1,16}")) {
            return -Errno.EINVAL;
        }
        if (disks.containsKey(name) || k.rootfs.lookup("/dev/" + name) != null) {
            return -Errno.EEXIST;
        }
        Entry e = new Entry(name, device, owner, nextMinor);
        nextMinor += 64;
        disks.put(name, e);
        Inode n = k.rootfs.create("/dev/" + name, Inode.S_IFBLK | 0660, 0, 6);
        n.rdev = (long) MAJOR << 8 | e.minor();
        n.device = () -> new Raw(e);
        return 0;
    }

    public void unregister(String name) {
        Entry e = disks.remove(name);
        if (e != null) {
            k.rootfs.lookup("/dev").children.remove(name);
        }
    }

    /** The disk behind a device node, or null. */
    public Entry forNode(Inode n) {
        if (n == null || (n.mode & Inode.S_IFMT) != Inode.S_IFBLK) {
            return null;
        }
        for (Entry e : disks.values()) {
            if (n.rdev == ((long) MAJOR << 8 | e.minor())) {
                return e;
            }
        }
        return null;
    }

    String procDevices() {
        return disks.isEmpty() ? "" : String.format("%3d %s%n", MAJOR, "ide0");
    }

    /** /proc/partitions. */
    public String procPartitions() {
        StringBuilder sb = new StringBuilder("major minor  #blocks  name\n\n");
        for (Entry e : disks.values()) {
            sb.append(String.format("%5d %5d %9d %s%n", MAJOR, e.minor(), e.device().sectors() / 2, e.name()));
        }
        return sb.toString();
    }

    /** The raw disk as a read-only byte stream (reading /dev/hda). */
    private final class Raw implements File {
        private final Entry e;
        private long pos;

        Raw(Entry e) {
            this.e = e;
        }

        @Override
        public int open(Task task, int flags) {
            return (flags & RegularFile.O_ACCMODE) != RegularFile.O_RDONLY ? -Errno.EROFS : 0;
        }

        @Override
        public int read(Task task, byte[] buf, int len) {
            long size = e.device().sectors() * BlockDevice.SECTOR_SIZE;
            if (pos >= size) {
                return 0;
            }
            long first = pos / BlockDevice.SECTOR_SIZE;
            int n = (int) Math.min(len, Math.min(size - pos, 8 * BlockDevice.SECTOR_SIZE - pos % BlockDevice.SECTOR_SIZE));
            int count = (int) ((pos % BlockDevice.SECTOR_SIZE + n + BlockDevice.SECTOR_SIZE - 1) / BlockDevice.SECTOR_SIZE);
            byte[] sectors = new byte[count * BlockDevice.SECTOR_SIZE];
            int r = e.device().read(first, count, sectors, 0);
            if (r < 0) {
                return r;
            }
            System.arraycopy(sectors, (int) (pos % BlockDevice.SECTOR_SIZE), buf, 0, n);
            pos += n;
            return n;
        }

        @Override
        public int write(Task task, byte[] buf, int len) {
            return -Errno.EBADF;
        }

        @Override
        public long lseek(long offset, int whence) {
            long base = whence == 0 ? 0 : whence == 1 ? pos : whence == 2 ? e.device().sectors() * 512 : -1;
            if (base < 0 || base + offset < 0) {
                return -Errno.EINVAL;
            }
            pos = base + offset;
            return pos;
        }

        @Override
        public int mode() {
            return Inode.S_IFBLK | 0660;
        }

        @Override
        public long rdev() {
            return (long) MAJOR << 8 | e.minor();
        }
    }
}

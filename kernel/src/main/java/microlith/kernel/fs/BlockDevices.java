package microlith.kernel.fs;

import java.util.Map;
import java.util.TreeMap;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;
import microlith.module.api.BlockDevice;

/**
 * Disks drivers register, each with a block-device node /dev/NAME (major 3, as IDE
 * disks), which mount(2) names. Opening the node reads the raw disk.
 */
public final class BlockDevices {
    public static final int MAJOR = 3;

    /** A registered disk. */
    public record Entry(String name, BlockDevice device, Owner owner, int minor) {
    }

    private final Map<String, Entry> disks = new TreeMap<>();
    private int nextMinor;
    private Vfs vfs;

    void attach(Vfs v) {
        this.vfs = v;
    }

    public int register(String name, BlockDevice device, Owner owner) {
        if (name == null || !name.matches("[a-z0-9]{1,16}")) {
            return -Errno.EINVAL;
        }
        if (disks.containsKey(name)) {
            return -Errno.EEXIST;
        }
        Entry e = new Entry(name, device, owner, nextMinor);
        int r = vfs.kernelMknod("/dev/" + name, Inode.S_IFBLK | 0660, (long) MAJOR << 8 | e.minor());
        if (r < 0) {
            return r;
        }
        vfs.kernelChown("/dev/" + name, 0, 6);
        nextMinor += 64;
        disks.put(name, e);
        return 0;
    }

    public void unregister(String name) {
        if (disks.remove(name) != null) {
            vfs.kernelRemoveDevice("/dev/" + name, Inode.S_IFBLK);
        }
    }

    /** The disk behind a device node, or null. */
    public Entry forNode(Inode n) {
        if (n == null || n.type() != Inode.S_IFBLK) {
            return null;
        }
        for (Entry e : disks.values()) {
            if (n.rdev == ((long) MAJOR << 8 | e.minor())) {
                return e;
            }
        }
        return null;
    }

    /** Opens the raw disk behind a block node. */
    File open(Inode node, int flags, int[] err) {
        Entry e = forNode(node);
        if (e == null) {
            err[0] = -Errno.ENXIO;
            return null;
        }
        if ((flags & InodeFile.O_ACCMODE) != InodeFile.O_RDONLY) {
            err[0] = -Errno.EROFS;
            return null;
        }
        return new Raw(e, node);
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
    private static final class Raw implements File, HasInode {
        private final Entry e;
        private final Inode node;
        private long pos;

        Raw(Entry e, Inode node) {
            this.e = e;
            this.node = node;
        }

        @Override
        public Inode inode() {
            return node;
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
        public boolean mayWrite() {
            return false; // opened read-only: anything else is refused at open
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

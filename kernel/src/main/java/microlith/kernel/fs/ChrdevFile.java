package microlith.kernel.fs;

import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * An open character device of a driver (Linux's struct file with f_op). The struct file
 * and the driver's file_operations table live in kernel memory; every operation reads the
 * function pointer from the table and calls through it, so the same code serves a driver
 * in the kernel and one in a server (whose table points at the core's IPC stubs).
 *
 * <pre>
 * struct file (kmalloc'd)                    struct file_operations
 *  0x00 f_op  ------------------------------>  0x00 owner
 *  0x08 f_pos                                 0x08 llseek   0x10 read    0x18 write
 *  0x10 u32 f_flags  0x14 u32 minor           0x20 poll     0x28 unlocked_ioctl
 *  0x18 u32 f_uid    0x1c u32 f_gid           0x30 open     0x38 release
 *  0x20 u32 pid      0x24 u32 pgid   0x28 u32 sid   (the caller, written before each call)
 * </pre>
 */
public final class ChrdevFile implements File, HasInode {
    public static final int F_OP = 0x00, F_POS = 0x08, F_FLAGS = 0x10, F_MINOR = 0x14, F_UID = 0x18, F_GID = 0x1c;
    public static final int F_PID = 0x20, F_PGID = 0x24, F_SID = 0x28, FILE_SIZE = 0x30;
    public static final int FOP_OWNER = 0x00, FOP_LLSEEK = 0x08, FOP_READ = 0x10, FOP_WRITE = 0x18, FOP_POLL = 0x20,
        FOP_IOCTL = 0x28, FOP_OPEN = 0x30, FOP_RELEASE = 0x38, FOPS_SIZE = 0x40;

    private final CharDevices devs;
    private final CharDevices.Entry dev;
    private final Inode node;
    private final int minor;
    private long file;
    private int refs = 1;

    ChrdevFile(CharDevices devs, CharDevices.Entry dev, Inode node, int minor) {
        this.devs = devs;
        this.dev = dev;
        this.node = node;
        this.minor = minor;
    }

    @Override
    public Inode inode() {
        return node;
    }

    private long op(int slot) {
        return devs.cpu.read64(devs.cpu.read64(file + F_OP) + slot);
    }

    /** Writes who is calling into the struct file, then calls the operation through its pointer. */
    private long call(Task t, int slot, long a1, long a2) {
        if (t != null) {
            devs.cpu.write32(file + F_UID, t.uid());
            devs.cpu.write32(file + F_GID, t.gid());
            devs.cpu.write32(file + F_PID, t.pid);
            devs.cpu.write32(file + F_PGID, t.pgid);
            devs.cpu.write32(file + F_SID, t.sid);
        }
        return devs.caller.call(op(slot), file, a1, a2);
    }

    /** chrdev_open: pins the driver, builds the struct file and calls f_op->open. */
    @Override
    public int open(Task t, int flags) {
        if (!dev.owner().get()) {
            return -Errno.ENODEV;
        }
        file = devs.kmalloc.allocZeroed(FILE_SIZE, this, devs.cpu.memory());
        if (file == 0) {
            dev.owner().put();
            return -Errno.ENOMEM;
        }
        devs.cpu.write64(file + F_OP, dev.fops());
        devs.cpu.write32(file + F_FLAGS, flags);
        devs.cpu.write32(file + F_MINOR, minor);
        long r = call(t, FOP_OPEN, 0, 0);
        if (r < 0) {
            devs.kmalloc.free(file);
            dev.owner().put();
            return (int) r;
        }
        return 0;
    }

    /**
     * A driver result: -ERESTARTSYS after queueing the caller parks it for a restart; after
     * signalling the caller (a terminal's SIGTTIN) it restarts the call once the signal
     * was taken (the entry code rewinds it). Anything else that asks for a restart is EINTR.
     */
    private static long blocking(Task t, long r) {
        if (r == -Errno.ERESTARTSYS) {
            if (t.state == Task.State.SLEEPING) {
                return -Errno.EAGAIN;
            }
            return (t.pending & ~t.sigMask) != 0 ? -Errno.ERESTARTSYS : -Errno.EINTR;
        }
        return r;
    }

    @Override
    public boolean userIo() {
        return true;
    }

    @Override
    public boolean mayRead() {
        return File.readMode(flags());
    }

    @Override
    public boolean mayWrite() {
        return File.writeMode(flags());
    }

    @Override
    public long readUser(Task t, long buf, long count) {
        return blocking(t, call(t, FOP_READ, buf, count));
    }

    @Override
    public long writeUser(Task t, long buf, long count) {
        return blocking(t, call(t, FOP_WRITE, buf, count));
    }

    @Override
    public int read(Task task, byte[] buf, int len) {
        return -Errno.EINVAL;
    }

    @Override
    public int write(Task task, byte[] buf, int len) {
        return -Errno.EINVAL;
    }

    @Override
    public long ioctl(Task task, int cmd, long arg) {
        return blocking(task, call(task, FOP_IOCTL, cmd & 0xffffffffL, arg));
    }

    @Override
    public long lseek(long offset, int whence) {
        return call(null, FOP_LLSEEK, offset, whence);
    }

    @Override
    public int poll(Task t, boolean register) {
        return (int) call(t, FOP_POLL, register ? 1 : 0, 0);
    }

    /** The open flags the driver sees (F_SETFL changes O_NONBLOCK). */
    public int flags() {
        return devs.cpu.read32(file + F_FLAGS);
    }

    public void setFlags(int f) {
        devs.cpu.write32(file + F_FLAGS, (flags() & ~(02000 | 04000)) | (f & (02000 | 04000)));
    }

    @Override
    public int mode() {
        return node.mode;
    }

    @Override
    public long rdev() {
        return node.rdev;
    }

    @Override
    public long ino() {
        return node.ino;
    }

    @Override
    public void retain() {
        refs++;
    }

    /** The last descriptor is gone: f_op->release, free the struct file, unpin the driver. */
    @Override
    public void close() {
        if (--refs == 0) {
            call(null, FOP_RELEASE, 0, 0);
            devs.kmalloc.free(file);
            dev.owner().put();
        }
    }
}

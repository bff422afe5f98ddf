package microlith.kernel.fs;

import microlith.kernel.Kernel;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.proc.Task;
import microlith.kernel.syscall.Errno;

/**
 * An open character device of a module (Linux's struct file with f_op). The struct file
 * and the driver's file_operations table live in kernel memory; every operation reads
 * the function pointer from the table and calls through it.
 *
 * <pre>
 * struct file (kmalloc'd)                struct file_operations (kmalloc'd by the module)
 *  0x00 f_op  ------------------------->  0x00 owner (struct module *)
 *  0x08 f_pos                             0x08 llseek   0x10 read    0x18 write
 *  0x10 u32 f_flags  0x14 u32 minor       0x20 poll     0x28 unlocked_ioctl
 *  0x18 u32 f_uid                         0x30 open     0x38 release
 * </pre>
 */
public final class ChrdevFile implements File {
    public static final int F_OP = 0x00, F_POS = 0x08, F_FLAGS = 0x10, F_MINOR = 0x14, F_UID = 0x18, FILE_SIZE = 0x20;
    public static final int FOP_OWNER = 0x00, FOP_LLSEEK = 0x08, FOP_READ = 0x10, FOP_WRITE = 0x18, FOP_POLL = 0x20,
        FOP_IOCTL = 0x28, FOP_OPEN = 0x30, FOP_RELEASE = 0x38, FOPS_SIZE = 0x40;

    private final Kernel k;
    private final CharDevices.Entry dev;
    private long file;
    private int refs = 1;

    ChrdevFile(Kernel k, CharDevices.Entry dev) {
        this.k = k;
        this.dev = dev;
    }

    private long op(int slot) {
        return k.cpu.read64(k.cpu.read64(file + F_OP) + slot);
    }

    private long call(int slot, long a1, long a2) {
        return k.modules.callPointer(op(slot), file, a1, a2);
    }

    /** chrdev_open: pins the module, builds the struct file and calls f_op->open. */
    @Override
    public int open(Task t, int flags) {
        LoadedModule owner = dev.owner();
        if (!k.modules.get(owner)) {
            return -Errno.ENODEV;
        }
        file = k.kmalloc.allocZeroed(FILE_SIZE, this, k.mem);
        if (file == 0) {
            k.modules.put(owner);
            return -Errno.ENOMEM;
        }
        k.cpu.write64(file + F_OP, dev.fops());
        k.cpu.write32(file + F_FLAGS, flags);
        k.cpu.write32(file + F_MINOR, 0);
        k.cpu.write32(file + F_UID, t.uid());
        long r = call(FOP_OPEN, 0, 0);
        if (r < 0) {
            k.kmalloc.free(file);
            k.modules.put(owner);
            return (int) r;
        }
        return 0;
    }

    /** A driver result: -ERESTARTSYS after queueing the caller parks it for a restart. */
    private long blocking(Task t, long r) {
        if (r == -Errno.ERESTARTSYS) {
            return t.state == Task.State.SLEEPING ? -Errno.EAGAIN : -Errno.EINTR;
        }
        return r;
    }

    @Override
    public boolean userIo() {
        return true;
    }

    @Override
    public long readUser(Task t, long buf, long count) {
        return blocking(t, call(FOP_READ, buf, count));
    }

    @Override
    public long writeUser(Task t, long buf, long count) {
        return blocking(t, call(FOP_WRITE, buf, count));
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
        return blocking(task, call(FOP_IOCTL, cmd & 0xffffffffL, arg));
    }

    @Override
    public long lseek(long offset, int whence) {
        return call(FOP_LLSEEK, offset, whence);
    }

    @Override
    public int poll(Task t, boolean register) {
        return (int) call(FOP_POLL, register ? 1 : 0, 0);
    }

    @Override
    public int mode() {
        return Inode.S_IFCHR | 0600;
    }

    @Override
    public long rdev() {
        return (long) dev.major() << 8;
    }

    @Override
    public void retain() {
        refs++;
    }

    /** The last descriptor is gone: f_op->release, free the struct file, unpin the module. */
    @Override
    public void close() {
        if (--refs == 0) {
            call(FOP_RELEASE, 0, 0);
            k.kmalloc.free(file);
            k.modules.put(dev.owner());
        }
    }
}

package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.fs.HasInode;
import microlith.kernel.fs.RecordLocks;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * fcntl's record locks (F_GETLK, F_SETLK, F_SETLKW and F_OFD_*) and flock(2).
 *
 * <pre>
 * struct flock { short l_type; short l_whence; (pad) off_t l_start; off_t l_len; pid_t l_pid; }  32 bytes
 * </pre>
 */
final class SysLock {
    static final int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    private static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1;

    private final Services k;

    SysLock(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("flock", (task, fd, op, c, d, e, f) -> flock(task, fd, op));
    }

    /** What locks are keyed by: the inode behind the file, else the open file itself. */
    static Object key(File f) {
        return f instanceof HasInode ? ((HasInode) f).inode() : f;
    }

    /** A descriptor of f is being closed by t: its process's POSIX locks on the file go. */
    void closing(Task t, File f, boolean lastInTable) {
        k.process.locks.releaseFile(key(f), t.tgid());
        if (lastInTable) {
            k.process.flocks.releaseFile(key(f), f);
            k.process.locks.releaseFile(key(f), f);
        }
    }

    long fcntl(Task t, int fd, File f, int cmd, long arg, int accmode) {
        boolean ofd = cmd >= F_OFD_GETLK;
        byte[] raw = new byte[32];
        if (!k.uaccess.copyFromUser(t.mm, arg, raw, 0, 32)) {
            return -Errno.EFAULT;
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(0);
        int whence = b.getShort(2);
        long start = b.getLong(8);
        long len = b.getLong(16);
        if (ofd && b.getInt(24) != 0) {
            return -Errno.EINVAL;
        }
        if (type != RecordLocks.F_RDLCK && type != RecordLocks.F_WRLCK && type != RecordLocks.F_UNLCK) {
            return -Errno.EINVAL;
        }
        long base;
        switch (whence) {
            case 0: base = 0; break;
            case 1: base = f.lseek(0, 1); break;
            case 2: base = f instanceof HasInode ? ((HasInode) f).inode().size : f.size(); break;
            default: return -Errno.EINVAL;
        }
        if (base < 0) {
            base = 0;
        }
        long s = base + start;
        long e;
        if (len > 0) {
            e = s + len < s ? Long.MAX_VALUE : s + len;
        } else if (len == 0) {
            e = Long.MAX_VALUE;
        } else {
            e = s;
            s = s + len;
        }
        if (s < 0) {
            return -Errno.EINVAL;
        }
        Object owner = ofd ? f : (Object) t.tgid();
        Object file = key(f);
        RecordLocks locks = k.process.locks;
        if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
            if (type == RecordLocks.F_UNLCK) {
                return -Errno.EINVAL;
            }
            RecordLocks.Lock c = locks.conflict(file, owner, type, s, e);
            if (c == null) {
                b.putShort(0, (short) RecordLocks.F_UNLCK);
            } else {
                b.putShort(0, (short) c.type()).putShort(2, (short) 0).putLong(8, c.start());
                b.putLong(16, c.end() == Long.MAX_VALUE ? 0 : c.end() - c.start()).putInt(24, c.pid());
            }
            return k.uaccess.copyToUser(t.mm, arg, raw, 0, 32) ? 0 : -Errno.EFAULT;
        }
        if (type == RecordLocks.F_RDLCK && accmode == O_WRONLY || type == RecordLocks.F_WRLCK && accmode == O_RDONLY) {
            return -Errno.EBADF;
        }
        boolean wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
        if (wait && (t.pending & ~t.sigMask) != 0) {
            return -Errno.EINTR;
        }
        if (!locks.set(file, owner, ofd ? -1 : t.tgid(), type, s, e, t, wait)) {
            return wait ? -Errno.EINTR : -Errno.EAGAIN;
        }
        return 0;
    }

    private long flock(Task t, long fd, long op) {
        File f = fd < 0 || fd > Integer.MAX_VALUE ? null : t.files.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        int kind = (int) op & ~LOCK_NB;
        int type;
        switch (kind) {
            case LOCK_SH: type = RecordLocks.F_RDLCK; break;
            case LOCK_EX: type = RecordLocks.F_WRLCK; break;
            case LOCK_UN: type = RecordLocks.F_UNLCK; break;
            default: return -Errno.EINVAL;
        }
        boolean wait = (op & LOCK_NB) == 0;
        if (wait && (t.pending & ~t.sigMask) != 0) {
            return -Errno.EINTR;
        }
        if (!k.process.flocks.set(key(f), f, t.tgid(), type, 0, Long.MAX_VALUE, t, wait)) {
            return wait ? -Errno.EINTR : -Errno.EWOULDBLOCK;
        }
        return 0;
    }
}

package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.mm.IoVec;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;

/** read, write, readv, writev, close and ioctl (which the file's driver answers). */
final class SysIo {
    /** Largest single transfer we stage through the kernel at once (Linux caps at MAX_RW_COUNT). */
    private static final int CHUNK = 1 << 16;

    private final Services k;

    SysIo(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("read", (task, fd, buf, count, d, e, f) -> read(task, fd, buf, count));
        t.register("write", (task, fd, buf, count, d, e, f) -> write(task, fd, buf, count));
        t.register("readv", (task, fd, iov, cnt, d, e, f) -> vector(task, fd, iov, cnt, false));
        t.register("writev", (task, fd, iov, cnt, d, e, f) -> vector(task, fd, iov, cnt, true));
        t.register("close", (task, fd, b, c, d, e, f) -> close(task, fd));
        t.register("ioctl", this::ioctl);
    }

    private SysLock locks;

    void setLocks(SysLock locks) {
        this.locks = locks;
    }

    /** close: the process's record locks on the file go with any descriptor of it. */
    private long close(Task t, long fd) {
        File f = file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        boolean last = true;
        for (int i = 0; i < microlith.kernel.task.FdTable.MAX_FDS; i++) {
            if (i != fd && t.files.get(i) == f) {
                last = false;
                break;
            }
        }
        locks.closing(t, f, last);
        return t.files.close((int) fd);
    }

    private static final int FIONREAD = 0x541b, FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIOASYNC = 0x5452;

    /** The ioctls every file answers (do_vfs_ioctl), before its driver sees the rest. */
    private long genericIoctl(Task t, long fd, File file, int cmd, long arg) {
        switch (cmd) {
            case FIOCLEX:
            case FIONCLEX:
                t.files.setCloexec((int) fd, cmd == FIOCLEX);
                return 0;
            case FIONBIO: {
                Integer on = k.uaccess.getUser32(t.mm, arg);
                if (on == null) {
                    return -Errno.EFAULT;
                }
                int fl = SysPipe.getfl(file);
                SysPipe.setfl(file, on != 0 ? fl | 04000 : fl & ~04000);
                return 0;
            }
            case FIOASYNC:
                return k.uaccess.getUser32(t.mm, arg) == null ? -Errno.EFAULT : 0;
            case FIONREAD:
                if (file instanceof microlith.kernel.fs.Pipe.End || file.fionread() >= 0) {
                    long n = file instanceof microlith.kernel.fs.Pipe.End ? file.size() : file.fionread();
                    return k.uaccess.putUser32(t.mm, arg, (int) n) ? 0 : -Errno.EFAULT;
                }
                return Long.MIN_VALUE;
            default:
                return Long.MIN_VALUE;
        }
    }

    /** The file behind a descriptor: Linux takes it as an unsigned int, so the high bits go. */
    private File file(Task t, long fd) {
        return t.files.get((int) fd);
    }

    long read(Task t, long fd, long buf, long count) {
        File f = file(t, fd);
        if (f == null || !f.mayRead()) {
            return -Errno.EBADF;
        }
        // vfs_read: the whole buffer must be user memory before a driver sees it (read of
        // -1 bytes is EFAULT, as on Linux); only then is the count cut to MAX_RW_COUNT.
        if (!Uaccess.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        count = Math.min(count, IoVec.MAX_RW_COUNT);
        if (f.userIo()) {
            return f.readUser(t, buf, count);
        }
        if (count == 0) {
            return 0;
        }
        int len = (int) Math.min(count, CHUNK);
        if (!k.uaccess.writable(t.mm, buf, len)) {
            return -Errno.EFAULT;
        }
        byte[] b = new byte[len];
        int n = f.read(t, b, len);
        if (n == File.WOULD_BLOCK || n <= 0) {
            return n == File.WOULD_BLOCK ? -Errno.EAGAIN : n;
        }
        return k.uaccess.copyToUser(t.mm, buf, b, 0, n) ? n : -Errno.EFAULT;
    }

    long write(Task t, long fd, long buf, long count) {
        File f = file(t, fd);
        if (f == null || !f.mayWrite()) {
            return -Errno.EBADF;
        }
        if (!Uaccess.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        count = Math.min(count, IoVec.MAX_RW_COUNT);
        if (f.userIo()) {
            return f.writeUser(t, buf, count);
        }
        return writeFrom(t, f, count, (off, b, len) -> k.uaccess.copyFromUser(t.mm, buf + off, b, 0, len));
    }

    /** Copies len bytes at offset off of what is being written into b; false on EFAULT. */
    private interface Source {
        boolean copy(long off, byte[] b, int len);
    }

    /**
     * The common part of write and writev: hands the file the data in pieces of at most
     * CHUNK bytes, so a writev of small pieces reaches the file as one write, as Linux's
     * write_iter does (a sysfs file sees "7\n", not "7" then "\n").
     */
    private long writeFrom(Task t, File f, long count, Source src) {
        long done = 0;
        while (done < count) {
            int len = (int) Math.min(count - done, CHUNK);
            byte[] b = new byte[len];
            if (!src.copy(done, b, len)) {
                return done > 0 ? done : -Errno.EFAULT;
            }
            int n = f.write(t, b, len);
            if (n == File.WOULD_BLOCK) {
                if (done > 0) {
                    // Report the partial write instead of parking (a restart would repeat it).
                    k.sched.wake(t);
                    return done;
                }
                return -Errno.EAGAIN;
            }
            if (n == -Errno.EPIPE) {
                k.process.sendSignal(t, microlith.kernel.task.Signals.SIGPIPE);
            }
            if (n < 0) {
                return done > 0 ? done : n;
            }
            done += n;
            if (n < len) {
                break;
            }
        }
        return done;
    }

    /**
     * readv and writev: the iovecs are imported whole and checked (IoVec) before a byte
     * moves, so a bad second segment cannot leave the first one's data consumed.
     */
    long vector(Task t, long fd, long uiov, long cnt, boolean write) {
        File f = file(t, fd);
        if (f == null || !(write ? f.mayWrite() : f.mayRead())) {
            return -Errno.EBADF;
        }
        int[] err = new int[1];
        IoVec v = IoVec.fromUser(k.uaccess, t.mm, uiov, cnt, err);
        if (v == null) {
            return err[0];
        }
        long[] base = v.base;
        long[] len = v.len;
        if (write && !f.userIo()) {
            return writeFrom(t, f, v.total, (off, b, n) -> v.gather(k.uaccess, t.mm, off, b, n));
        }
        long total = 0;
        for (int i = 0; i < base.length; i++) {
            if (len[i] == 0) {
                continue;
            }
            long r = write ? write(t, fd, base[i], len[i]) : read(t, fd, base[i], len[i]);
            if (r < 0) {
                // A partial transfer reports what was done; a blocked first read parks the task.
                if (total > 0 && t.state == Task.State.SLEEPING) {
                    k.sched.wake(t);
                }
                return total > 0 && t.state == Task.State.RUNNABLE ? total : r;
            }
            total += r;
            if (r < len[i]) {
                break;
            }
        }
        return total;
    }



    private long ioctl(Task t, long fd, long cmd, long arg, long d, long e, long f) {
        File file = file(t, fd);
        if (file == null) {
            return -Errno.EBADF;
        }
        long r = genericIoctl(t, fd, file, (int) cmd, arg);
        return r != Long.MIN_VALUE ? r : file.ioctl(t, (int) cmd, arg);
    }
}

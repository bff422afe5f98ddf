package microlith.kernel.syscall;

import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * Positioned and in-kernel transfers: pread64, pwrite64, preadv, pwritev (and their v2
 * forms), sendfile. A positioned call moves the file position to the offset, does the
 * ordinary transfer and puts the position back; each call runs to completion on the one
 * CPU, so no other task sees the moved position.
 */
final class SysRw {
    private static final int SEEK_SET = 0, SEEK_CUR = 1;
    private static final int CHUNK = 1 << 16;

    private final Services k;
    private final SysIo io;

    SysRw(Services k, SysIo io) {
        this.k = k;
        this.io = io;
    }

    void register(SyscallTable t) {
        t.register("pread64", (task, fd, buf, count, off, e, f) ->
            positioned(task, fd, off, () -> io.read(task, fd, buf, count)));
        t.register("pwrite64", (task, fd, buf, count, off, e, f) ->
            positioned(task, fd, off, () -> io.write(task, fd, buf, count)));
        t.register("preadv", (task, fd, iov, cnt, lo, hi, f) ->
            positioned(task, fd, lo, () -> io.vector(task, fd, iov, cnt, false)));
        t.register("pwritev", (task, fd, iov, cnt, lo, hi, f) ->
            positioned(task, fd, lo, () -> io.vector(task, fd, iov, cnt, true)));
        t.register("preadv2", (task, fd, iov, cnt, lo, hi, flags) -> flags != 0 ? -Errno.EOPNOTSUPP
            : lo == -1 ? io.vector(task, fd, iov, cnt, false) : positioned(task, fd, lo, () -> io.vector(task, fd, iov, cnt, false)));
        t.register("pwritev2", (task, fd, iov, cnt, lo, hi, flags) -> flags != 0 ? -Errno.EOPNOTSUPP
            : lo == -1 ? io.vector(task, fd, iov, cnt, true) : positioned(task, fd, lo, () -> io.vector(task, fd, iov, cnt, true)));
        t.register("sendfile", (task, out, in, off, count, e, f) -> sendfile(task, out, in, off, count));
    }

    private interface Transfer {
        long run();
    }

    private File file(Task t, long fd) {
        return fd < 0 || fd > Integer.MAX_VALUE ? null : t.files.get((int) fd);
    }

    private long positioned(Task t, long fd, long off, Transfer x) {
        File f = file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (off < 0) {
            return -Errno.EINVAL;
        }
        long saved = f.lseek(0, SEEK_CUR);
        if (saved < 0) {
            return saved;
        }
        long r = f.lseek(off, SEEK_SET);
        if (r < 0) {
            return r;
        }
        try {
            return x.run();
        } finally {
            f.lseek(saved, SEEK_SET);
        }
    }

    /**
     * sendfile(out, in, offset, count): in must be seekable; what out did not take is
     * given back to in, so a blocked first write parks the call to be restarted whole.
     */
    private long sendfile(Task t, long outFd, long inFd, long uoff, long count) {
        File in = file(t, inFd), out = file(t, outFd);
        if (in == null || out == null) {
            return -Errno.EBADF;
        }
        if (count < 0) {
            return -Errno.EINVAL;
        }
        // do_sendfile cuts the count to MAX_RW_COUNT, as every read and write: without that,
        // /dev/zero to /dev/null with a count near 2^63 keeps the kernel busy for good.
        count = Math.min(count, microlith.kernel.mm.IoVec.MAX_RW_COUNT);
        long saved = -1;
        if (uoff != 0) {
            Long off = k.uaccess.getUser64(t.mm, uoff);
            if (off == null) {
                return -Errno.EFAULT;
            }
            if (off < 0) {
                return -Errno.EINVAL;
            }
            saved = in.lseek(0, SEEK_CUR);
            if (saved < 0 || in.lseek(off, SEEK_SET) < 0) {
                return -Errno.ESPIPE;
            }
        } else if (in.lseek(0, SEEK_CUR) < 0) {
            return -Errno.EINVAL;
        }
        long done = 0;
        long result;
        while (true) {
            if (done >= count) {
                result = done;
                break;
            }
            int len = (int) Math.min(CHUNK, count - done);
            byte[] b = new byte[len];
            int n = in.read(t, b, len);
            if (n <= 0) {
                result = done > 0 || n == 0 ? done : n;
                break;
            }
            int w = out.write(t, b, n);
            if (w == File.WOULD_BLOCK || w < 0) {
                in.lseek(-n, SEEK_CUR);
                if (w == -Errno.EPIPE) {
                    k.process.sendSignal(t, microlith.kernel.task.Signals.SIGPIPE);
                }
                if (done > 0 && w == File.WOULD_BLOCK) {
                    k.sched.wake(t);
                }
                result = done > 0 ? done : w == File.WOULD_BLOCK ? -Errno.EAGAIN : w;
                break;
            }
            done += w;
            if (w < n) {
                in.lseek(w - n, SEEK_CUR);
                result = done;
                break;
            }
        }
        if (uoff != 0) {
            long pos = in.lseek(0, SEEK_CUR);
            in.lseek(saved, SEEK_SET);
            if (!k.uaccess.putUser64(t.mm, uoff, pos)) {
                return -Errno.EFAULT;
            }
        }
        return result;
    }
}

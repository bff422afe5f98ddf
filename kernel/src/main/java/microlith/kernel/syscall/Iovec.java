package microlith.kernel.syscall;

import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/** A user iovec array read into the kernel: struct iovec { void *iov_base; size_t iov_len; }. */
final class Iovec {
    static final int IOV_MAX = 1024;

    final long[] base;
    final long[] len;

    private Iovec(int n) {
        base = new long[n];
        len = new long[n];
    }

    /** Reads cnt iovecs at iov; null with -EINVAL (bad count or length) or -EFAULT in err[0]. */
    static Iovec read(Services k, Task t, long iov, long cnt, long[] err) {
        if (cnt < 0 || cnt > IOV_MAX) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        Iovec v = new Iovec((int) cnt);
        for (int i = 0; i < cnt; i++) {
            Long b = k.uaccess.getUser64(t.mm, iov + i * 16L);
            Long l = k.uaccess.getUser64(t.mm, iov + i * 16L + 8);
            if (b == null || l == null) {
                err[0] = -Errno.EFAULT;
                return null;
            }
            if (l < 0) {
                err[0] = -Errno.EINVAL;
                return null;
            }
            v.base[i] = b;
            v.len[i] = l;
        }
        return v;
    }

    /** The sum of the lengths, or -1 when it overflows (EINVAL). */
    long total() {
        long sum = 0;
        for (long l : len) {
            sum += l;
            if (sum < 0) {
                return -1;
            }
        }
        return sum;
    }

    /** Copies n bytes starting at offset off of the concatenated buffers into b. */
    boolean gather(Services k, Task t, long off, byte[] b, int n) {
        int filled = 0;
        long skip = off;
        for (int i = 0; i < base.length && filled < n; i++) {
            if (skip >= len[i]) {
                skip -= len[i];
                continue;
            }
            int take = (int) Math.min(len[i] - skip, n - filled);
            if (!k.uaccess.copyFromUser(t.mm, base[i] + skip, b, filled, take)) {
                return false;
            }
            filled += take;
            skip = 0;
        }
        return filled == n;
    }

    /** Copies the first n bytes of data into the buffers in order. */
    boolean scatter(Services k, Task t, byte[] data, int n) {
        int done = 0;
        for (int i = 0; i < base.length && done < n; i++) {
            int take = (int) Math.min(len[i], n - done);
            if (!k.uaccess.copyToUser(t.mm, base[i], data, done, take)) {
                return false;
            }
            done += take;
        }
        return true;
    }
}

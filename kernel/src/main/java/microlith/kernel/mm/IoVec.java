package microlith.kernel.mm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.module.api.Errno;

/**
 * An array of struct iovec { void *iov_base; size_t iov_len; } taken from user memory
 * the way Linux's import_iovec does, in its order: more than UIO_MAXIOV entries is
 * EINVAL; the whole array is copied at once (EFAULT); a length that is negative as a
 * ssize_t is EINVAL; each segment must pass access_ok (EFAULT) before anything is
 * transferred; and the total is cut to MAX_RW_COUNT, shortening the segment that
 * crosses it. Every readv/writev-style call takes its iovecs from here.
 */
public final class IoVec {
    public static final int UIO_MAXIOV = 1024;
    /** Linux's MAX_RW_COUNT: INT_MAX rounded down to a page, the most one call moves. */
    public static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~(Layout.PAGE_SIZE - 1);

    public final long[] base;
    public final long[] len;
    /** The sum of the lengths after the MAX_RW_COUNT cut. */
    public final long total;

    private IoVec(long[] base, long[] len, long total) {
        this.base = base;
        this.len = len;
        this.total = total;
    }

    /** The iovecs, or null with the negative errno in err[0]. */
    public static IoVec fromUser(Uaccess ua, AddressSpace mm, long uvec, long count, int[] err) {
        if (count < 0 || count > UIO_MAXIOV) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        int n = (int) count;
        byte[] raw = new byte[n * 16];
        if (n > 0 && !ua.copyFromUser(mm, uvec, raw, 0, raw.length)) {
            err[0] = -Errno.EFAULT;
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[] base = new long[n];
        long[] len = new long[n];
        for (int i = 0; i < n; i++) {
            base[i] = b.getLong(i * 16);
            len[i] = b.getLong(i * 16 + 8);
            if (len[i] < 0) {
                err[0] = -Errno.EINVAL;
                return null;
            }
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (!Uaccess.accessOk(base[i], len[i])) {
                err[0] = -Errno.EFAULT;
                return null;
            }
            len[i] = Math.min(len[i], MAX_RW_COUNT - total);
            total += len[i];
        }
        return new IoVec(base, len, total);
    }

    /** Copies n bytes starting at offset off of the concatenated buffers into b; false on EFAULT. */
    public boolean gather(Uaccess ua, AddressSpace mm, long off, byte[] b, int n) {
        int filled = 0;
        long skip = off;
        for (int i = 0; i < base.length && filled < n; i++) {
            if (skip >= len[i]) {
                skip -= len[i];
                continue;
            }
            int take = (int) Math.min(len[i] - skip, n - filled);
            if (!ua.copyFromUser(mm, base[i] + skip, b, filled, take)) {
                return false;
            }
            filled += take;
            skip = 0;
        }
        return filled == n;
    }

    /** Copies the first n bytes of data into the buffers in order; false on EFAULT. */
    public boolean scatter(Uaccess ua, AddressSpace mm, byte[] data, int n) {
        int done = 0;
        for (int i = 0; i < base.length && done < n; i++) {
            int take = (int) Math.min(len[i], n - done);
            if (!ua.copyToUser(mm, base[i], data, done, take)) {
                return false;
            }
            done += take;
        }
        return true;
    }
}

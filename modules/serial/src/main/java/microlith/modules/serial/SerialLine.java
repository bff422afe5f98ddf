package microlith.modules.serial;

import java.util.function.IntConsumer;
import microlith.module.api.Errno;
import microlith.module.api.ModuleContext;
import microlith.module.api.OpenFile;
import microlith.module.api.PollTable;

/**
 * What a minor of the serial driver does with each file operation: a terminal ({@link Tty})
 * or a port without a line discipline ({@link RawPort}).
 */
interface SerialLine {
    default int open(OpenFile f) {
        return 0;
    }

    default int release(OpenFile f) {
        return 0;
    }

    long read(OpenFile f, long userBuf, long count);

    long write(OpenFile f, long userBuf, long count);

    long ioctl(OpenFile f, int cmd, long arg);

    int poll(PollTable table);

    /**
     * The most one write(2) transmits. Linux's tty_write also works in chunks (2 KiB), but
     * reschedules between them inside one call; a module call here runs to completion
     * under the soft-lockup watchdog, and each byte is a port write (about 1000 cycles), so
     * a call stops after 64 KiB (some 70 million cycles, far inside the watchdog's budget)
     * and returns the short count, as a write to a socket may. stdio and every write loop
     * carry on with the rest.
     */
    int MAX_WRITE = 64 << 10;

    /**
     * Hands each of count bytes of a user buffer (at most {@link #MAX_WRITE}) to out, a
     * page-sized chunk at a time: the number handed over, or -EFAULT if nothing could be
     * read (a short count if part could).
     */
    static long eachUserByte(ModuleContext ctx, long userBuf, long count, IntConsumer out) {
        count = Math.min(count, MAX_WRITE);
        byte[] chunk = new byte[(int) Math.min(count, 4096)];
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(count - done, chunk.length);
            if (ctx.copyFromUser(chunk, 0, userBuf + done, n) != 0) {
                return done > 0 ? done : -Errno.EFAULT;
            }
            for (int i = 0; i < n; i++) {
                out.accept(chunk[i] & 0xff);
            }
            done += n;
        }
        return done;
    }
}

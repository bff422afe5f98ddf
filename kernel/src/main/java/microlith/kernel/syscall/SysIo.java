package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import microlith.kernel.Kernel;
import microlith.kernel.fs.File;
import microlith.kernel.proc.Task;
import microlith.kernel.tty.Console;

/** read, write, readv, writev, close and the terminal ioctls. */
final class SysIo {
    /** Largest single transfer we stage through the kernel at once (Linux caps at MAX_RW_COUNT). */
    private static final int CHUNK = 1 << 16;
    private static final int IOV_MAX = 1024;
    private static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;
    private static final int TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410;
    private static final int TIOCSCTTY = 0x540E, FIONREAD = 0x541B, TIOCNOTTY = 0x5422, TIOCGSID = 0x5429;

    private final Kernel k;

    SysIo(Kernel k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("read", (task, fd, buf, count, d, e, f) -> read(task, fd, buf, count));
        t.register("write", (task, fd, buf, count, d, e, f) -> write(task, fd, buf, count));
        t.register("readv", (task, fd, iov, cnt, d, e, f) -> vector(task, fd, iov, cnt, false));
        t.register("writev", (task, fd, iov, cnt, d, e, f) -> vector(task, fd, iov, cnt, true));
        t.register("close", (task, fd, b, c, d, e, f) -> task.files.close((int) fd));
        t.register("ioctl", this::ioctl);
    }

    private File file(Task t, long fd) {
        return fd < 0 || fd > Integer.MAX_VALUE ? null : t.files.get((int) fd);
    }

    long read(Task t, long fd, long buf, long count) {
        File f = file(t, fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (f.userIo()) {
            return f.readUser(t, buf, count);
        }
        if (count == 0) {
            return 0;
        }
        int len = (int) Math.min(Long.compareUnsigned(count, CHUNK) > 0 ? CHUNK : count, CHUNK);
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
        if (f == null) {
            return -Errno.EBADF;
        }
        if (count < 0) {
            return -Errno.EINVAL;
        }
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
                k.process.sendSignal(t, microlith.kernel.proc.Signals.SIGPIPE);
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

    private long vector(Task t, long fd, long iov, long cnt, boolean write) {
        if (file(t, fd) == null) {
            return -Errno.EBADF;
        }
        if (cnt < 0 || cnt > IOV_MAX) {
            return -Errno.EINVAL;
        }
        long[] base = new long[(int) cnt];
        long[] len = new long[(int) cnt];
        for (int i = 0; i < cnt; i++) {
            Long b = k.uaccess.getUser64(t.mm, iov + i * 16L);
            Long l = k.uaccess.getUser64(t.mm, iov + i * 16L + 8);
            if (b == null || l == null) {
                return -Errno.EFAULT;
            }
            if (l < 0) {
                return -Errno.EINVAL;
            }
            base[i] = b;
            len[i] = l;
        }
        File f = file(t, fd);
        if (write && !f.userIo()) {
            long sum = 0;
            for (long l : len) {
                sum += l;
                if (sum < 0) {
                    return -Errno.EINVAL;
                }
            }
            return writeFrom(t, f, sum, (off, b, n) -> gather(t, base, len, off, b, n));
        }
        long total = 0;
        for (int i = 0; i < cnt; i++) {
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

    /** Copies n bytes starting at offset off of the concatenated iovecs into b. */
    private boolean gather(Task t, long[] base, long[] len, long off, byte[] b, int n) {
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

    /** TIOCSCTTY (Linux's tiocsctty): a session leader without a terminal takes this one. */
    private long setControllingTty(Task t, Console con, long arg) {
        if (con.session == t.sid) {
            return 0;
        }
        if (t.pid != t.sid || k.console.session == t.sid || k.stderrConsole.session == t.sid) {
            return -Errno.EPERM;
        }
        if (con.session != 0 && !(arg == 1 && t.uid() == 0)) {
            return -Errno.EPERM;
        }
        con.session = t.sid;
        con.foreground = t.pgid;
        return 0;
    }

    /** TIOCSPGRP (tcsetpgrp): a group of the caller's session becomes the foreground. */
    private long setForeground(Task t, Console con, long arg) {
        if (con.session != t.sid) {
            return -Errno.ENOTTY;
        }
        int check = k.jobs.ttyCheck(t, con.session, con.foreground, microlith.kernel.proc.JobControl.SIGTTOU);
        if (check != 0) {
            return check;
        }
        byte[] raw = new byte[4];
        if (!k.uaccess.copyFromUser(t.mm, arg, raw, 0, 4)) {
            return -Errno.EFAULT;
        }
        int v = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (v < 0) {
            return -Errno.EINVAL;
        }
        boolean exists = false;
        for (Task x : k.sched.all()) {
            if (x.pgid == v && x.state != Task.State.ZOMBIE) {
                if (x.sid != t.sid) {
                    return -Errno.EPERM;
                }
                exists = true;
            }
        }
        if (!exists) {
            return -Errno.ESRCH;
        }
        con.foreground = v;
        return 0;
    }

    private long ioctl(Task t, long fd, long cmd, long arg, long d, long e, long f) {
        File file = file(t, fd);
        if (file == null) {
            return -Errno.EBADF;
        }
        if (!(file instanceof Console)) {
            return file.ioctl(t, (int) cmd, arg);
        }
        Console con = (Console) file;
        switch ((int) cmd) {
            case TCGETS: {
                byte[] raw = con.termios.encode();
                return k.uaccess.copyToUser(t.mm, arg, raw, 0, raw.length) ? 0 : -Errno.EFAULT;
            }
            case TCSETS: case TCSETSW: case TCSETSF: {
                int check = k.jobs.ttyCheck(t, con.session, con.foreground, microlith.kernel.proc.JobControl.SIGTTOU);
                if (check != 0) {
                    return check;
                }
                byte[] raw = new byte[microlith.kernel.tty.Termios.SIZE];
                if (!k.uaccess.copyFromUser(t.mm, arg, raw, 0, raw.length)) {
                    return -Errno.EFAULT;
                }
                con.setTermios(raw);
                return 0;
            }
            case TIOCGWINSZ: {
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                b.putShort((short) 24).putShort((short) 80).putShort((short) 0).putShort((short) 0);
                return k.uaccess.copyToUser(t.mm, arg, b.array(), 0, 8) ? 0 : -Errno.EFAULT;
            }
            case TIOCSWINSZ:
                return 0;
            case TIOCSCTTY:
                return setControllingTty(t, con, arg);
            case TIOCNOTTY:
                if (con.session != t.sid) {
                    return -Errno.ENOTTY;
                }
                if (t.pid == t.sid) {
                    con.session = 0;
                }
                return 0;
            case TIOCGSID:
                if (con.session == 0 || con.session != t.sid) {
                    return -Errno.ENOTTY;
                }
                return k.uaccess.putUser32(t.mm, arg, con.session) ? 0 : -Errno.EFAULT;
            case TIOCGPGRP:
                if (con.session != t.sid) {
                    return -Errno.ENOTTY;
                }
                return k.uaccess.putUser32(t.mm, arg, con.foreground) ? 0 : -Errno.EFAULT;
            case TIOCSPGRP:
                return setForeground(t, con, arg);
            case FIONREAD:
                return k.uaccess.putUser32(t.mm, arg, con.available()) ? 0 : -Errno.EFAULT;
            default:
                return -Errno.ENOTTY;
        }
    }
}

package microlith.modules.serial;

import microlith.module.api.Errno;
import microlith.module.api.ModuleContext;
import microlith.module.api.OpenFile;
import microlith.module.api.PollTable;
import microlith.module.api.WaitQueue;

/**
 * A serial terminal: the UART under Linux's N_TTY line discipline. Canonical mode edits a
 * line with VERASE, VKILL and VEOF; non-canonical mode hands bytes over as they come (a
 * read waits for VMIN bytes; VTIME is not implemented); ECHO echoes, ICRNL maps CR to NL
 * on input, OPOST|ONLCR maps NL to CR NL on output; with ISIG, VINTR and VQUIT signal the
 * foreground process group, VSUSP (Ctrl-Z) sends it SIGTSTP.
 *
 * <p>Job control (Linux's drivers/tty/tty_jobctrl.c): a terminal is the controlling
 * terminal of at most one session and has a foreground process group in it. A process of
 * that session outside the foreground group (a background job) that reads the terminal
 * gets SIGTTIN, one that changes its termios or its foreground group, or writes with
 * TOSTOP set, gets SIGTTOU: its whole group is signalled and the call restarts once the
 * group is continued (-ERESTARTSYS with the signal pending). A process that ignores or
 * blocks the signal may go on (its read fails with EIO), and so may nobody in an orphaned
 * group, which nothing would continue (EIO). The facts about processes (the caller's
 * signal dispositions, orphaned groups, a group's session) come from the core through the
 * SDK; who calls comes with each call in the {@link OpenFile}.
 *
 * <pre>
 * struct serial_tty (kmalloc'd)
 *   0x00 struct termios (36 bytes, see Termios)
 *   0x24 u32 foreground process group     0x28 u32 line length
 *   0x2c u32 ready head    0x30 u32 ready tail   (free-running; index = value % RING)
 *   0x34 u32 session (the one it is the controlling terminal of; 0 for none)
 *   0x38 u64 line buffer   -> LINE_MAX bytes being edited (canonical mode)
 *   0x40 u64 ready ring    -> RING u16 entries: an input byte, or EOF_MARK for a Ctrl-D
 * </pre>
 * Input beyond the ring's capacity is dropped, as n_tty drops it when its buffer is full.
 * From boot a terminal belongs to init's session (1) with init's group in the foreground,
 * as if init had taken it with TIOCSCTTY, so init and the shell it starts have job control
 * on the console; a new session's leader takes a free terminal with TIOCSCTTY.
 */
final class Tty implements SerialLine {
    private static final int FG = 0x24, LINE_LEN = 0x28, HEAD = 0x2c, TAIL = 0x30, SESSION = 0x34, LINE = 0x38;
    private static final int READY = 0x40;
    private static final int STATE = 0x48;
    static final int LINE_MAX = 4096, RING = 4096;
    private static final int EOF_MARK = 0x100;
    private static final int SIGINT = 2, SIGQUIT = 3, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;
    /** init's session and process group, which own every terminal from boot. */
    private static final int INIT = 1;

    private final ModuleContext ctx;
    final Uart uart;
    private final long state;
    private final WaitQueue readers;
    /** Every terminal of the driver: a session may control only one of them. */
    private final Tty[] family;

    private Tty(ModuleContext ctx, Uart uart, long state, WaitQueue readers, Tty[] family) {
        this.ctx = ctx;
        this.uart = uart;
        this.state = state;
        this.readers = readers;
        this.family = family;
    }

    /**
     * A terminal on uart with Linux's default termios, one of the driver's terminals in
     * family; null without memory.
     */
    static Tty create(ModuleContext ctx, Uart uart, boolean echo, boolean onlcr, Tty[] family) {
        long st = ctx.kzalloc(STATE);
        long line = ctx.kzalloc(LINE_MAX);
        long ring = ctx.kzalloc(RING * 2L);
        if (st == 0 || line == 0 || ring == 0) {
            ctx.kfree(st);
            ctx.kfree(line);
            ctx.kfree(ring);
            return null;
        }
        byte[] t = Termios.defaults(echo, onlcr);
        ctx.writeBytes(st, t, 0, t.length);
        ctx.write32(st + FG, INIT);
        ctx.write32(st + SESSION, INIT);
        ctx.write64(st + LINE, line);
        ctx.write64(st + READY, ring);
        return new Tty(ctx, uart, st, ctx.waitQueue(), family);
    }

    void destroy() {
        ctx.kfree(ctx.read64(state + LINE));
        ctx.kfree(ctx.read64(state + READY));
        ctx.kfree(state);
    }

    // ------------------------------------------------------------------ termios

    private int flag(int off) {
        return ctx.read32(state + off);
    }

    private int cc(int index) {
        return ctx.read8(state + Termios.CC + index);
    }

    private boolean lflag(int bits) {
        return (flag(Termios.LFLAG) & bits) == bits;
    }

    private boolean canonical() {
        return lflag(Termios.ICANON);
    }

    // ------------------------------------------------------------------ job control

    private int foreground() {
        return ctx.read32(state + FG);
    }

    private int session() {
        return ctx.read32(state + SESSION);
    }

    /**
     * Linux's __tty_check_change: may the caller use the terminal this way? 0 to go on; for
     * a background process of the terminal's session -ERESTARTSYS after sending its group
     * sig (the call restarts once the group is continued), or -EIO when the signal could not
     * stop it: ignored or blocked (only for SIGTTIN: a SIGTTOU that is ignored or blocked
     * lets the operation go on) or an orphaned group.
     */
    private long checkChange(OpenFile f, int sig) {
        int session = session();
        int fg = foreground();
        if (session == 0 || f.sid() != session || fg == 0 || f.pgid() == fg) {
            return 0;
        }
        if (ctx.signalIgnored(sig)) {
            return sig == SIGTTIN ? -Errno.EIO : 0;
        }
        if (ctx.isOrphanedProcessGroup(f.pgid())) {
            return -Errno.EIO;
        }
        ctx.killProcessGroup(f.pgid(), sig);
        return -Errno.ERESTARTSYS;
    }

    // ------------------------------------------------------------------ queues

    private int head() {
        return ctx.read32(state + HEAD);
    }

    private int tail() {
        return ctx.read32(state + TAIL);
    }

    private int ready() {
        return tail() - head();
    }

    private void push(int entry) {
        int t = tail();
        if (t - head() >= RING) {
            return;
        }
        ctx.write16(ctx.read64(state + READY) + (long) Integer.remainderUnsigned(t, RING) * 2, entry);
        ctx.write32(state + TAIL, t + 1);
    }

    private int peek() {
        return ctx.read16(ctx.read64(state + READY) + (long) Integer.remainderUnsigned(head(), RING) * 2);
    }

    private void pop() {
        ctx.write32(state + HEAD, head() + 1);
    }

    private int lineLength() {
        return ctx.read32(state + LINE_LEN);
    }

    private void setLineLength(int n) {
        ctx.write32(state + LINE_LEN, n);
    }

    /** Moves the edited line to the ready queue. */
    private void commitLine() {
        long line = ctx.read64(state + LINE);
        int n = lineLength();
        for (int i = 0; i < n; i++) {
            push(ctx.read8(line + i));
        }
        setLineLength(0);
    }

    // ------------------------------------------------------------------ output

    private void put(int b) {
        int oflag = flag(Termios.OFLAG);
        if (b == '\n' && (oflag & (Termios.OPOST | Termios.ONLCR)) == (Termios.OPOST | Termios.ONLCR)) {
            uart.transmit('\r');
        }
        uart.transmit(b);
    }

    /**
     * Writes count bytes from the user buffer (with output processing); the count, or
     * -EFAULT. With TOSTOP a background process is sent SIGTTOU instead.
     */
    @Override
    public long write(OpenFile f, long userBuf, long count) {
        if (lflag(Termios.TOSTOP)) {
            long check = checkChange(f, SIGTTOU);
            if (check != 0) {
                return check;
            }
        }
        return SerialLine.eachUserByte(ctx, userBuf, count, this::put);
    }

    // ------------------------------------------------------------------ input

    /** The receive interrupt: drain the UART through the line discipline. */
    void interrupt() {
        while (uart.dataReady()) {
            receive(uart.receive());
        }
    }

    private void echoControl(int c) {
        put('^');
        put(c + 64);
        put('\n');
    }

    /** The signal an ISIG character stands for (VINTR, VQUIT, VSUSP), or 0. */
    private int signalFor(int c) {
        if (c == cc(Termios.VINTR)) {
            return SIGINT;
        }
        if (c == cc(Termios.VQUIT)) {
            return SIGQUIT;
        }
        return c != 0 && c == cc(Termios.VSUSP) ? SIGTSTP : 0;
    }

    private void receive(int c) {
        if (c == '\r' && (flag(Termios.IFLAG) & Termios.ICRNL) != 0) {
            c = '\n';
        }
        boolean echo = lflag(Termios.ECHO);
        if (lflag(Termios.ISIG)) {
            int sig = signalFor(c);
            if (sig != 0) {
                // n_tty's isig: flush the pending line, echo ^C (^\, or ^Z without a
                // newline, as the shell's job report follows it), signal the foreground.
                setLineLength(0);
                if (echo && sig == SIGTSTP) {
                    put('^');
                    put(c + 64);
                } else if (echo) {
                    echoControl(c);
                }
                ctx.killProcessGroup(foreground(), sig);
                return;
            }
        }
        if (!canonical()) {
            if (echo) {
                put(c);
            }
            push(c);
            readers.wakeUp();
            return;
        }
        if (c == cc(Termios.VERASE) || c == 0x08) {
            if (lineLength() > 0) {
                setLineLength(lineLength() - 1);
                if (echo) {
                    put('\b');
                    put(' ');
                    put('\b');
                }
            }
            return;
        }
        if (c == cc(Termios.VEOF)) {
            // VEOF pushes the pending line; on an empty line it reads as end of file.
            if (lineLength() == 0) {
                push(EOF_MARK);
            } else {
                commitLine();
            }
            readers.wakeUp();
            return;
        }
        if (c == cc(Termios.VKILL)) {
            setLineLength(0);
            if (echo) {
                echoControl('U' - 64);
            }
            return;
        }
        if (echo) {
            put(c);
        }
        if (lineLength() < LINE_MAX) {
            ctx.write8(ctx.read64(state + LINE) + lineLength(), c);
            setLineLength(lineLength() + 1);
        }
        if (c == '\n') {
            commitLine();
            readers.wakeUp();
        }
    }

    /** Bytes a read needs before it returns in non-canonical mode (VMIN, at most len). */
    private int wanted(long len) {
        return (int) Math.min(cc(Termios.VMIN), len);
    }

    @Override
    public long read(OpenFile f, long userBuf, long count) {
        if (count == 0) {
            return 0;
        }
        long check = checkChange(f, SIGTTIN);
        if (check != 0) {
            return check;
        }
        boolean canonical = canonical();
        if (!canonical && cc(Termios.VMIN) == 0 && ready() == 0) {
            return 0;
        }
        if (ready() == 0 || !canonical && ready() < wanted(count)) {
            return f.nonBlocking() ? -Errno.EAGAIN : readers.block();
        }
        if (peek() == EOF_MARK) {
            pop();
            return 0;
        }
        byte[] out = new byte[(int) Math.min(count, RING)];
        int n = 0;
        while (n < out.length && ready() > 0 && peek() != EOF_MARK) {
            int b = peek();
            pop();
            out[n++] = (byte) b;
            if (b == '\n' && canonical) {
                break;
            }
        }
        return ctx.copyToUser(userBuf, out, 0, n) == 0 ? n : -Errno.EFAULT;
    }

    /** Readable once a read would not wait (a whole line in canonical mode); always writable. */
    @Override
    public int poll(PollTable table) {
        boolean canonical = canonical();
        int vmin = cc(Termios.VMIN);
        boolean readable = ready() > 0 && (canonical || ready() >= Math.max(1, vmin)) || !canonical && vmin == 0;
        if (!readable) {
            table.wait(readers);
        }
        return (readable ? PollTable.POLLIN | PollTable.POLLRDNORM : 0) | PollTable.POLLOUT | PollTable.POLLWRNORM;
    }

    // ------------------------------------------------------------------ ioctl

    private static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;
    private static final int TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410;
    private static final int TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B, TIOCNOTTY = 0x5422;
    private static final int TIOCGSID = 0x5429;

    private long putInt(long arg, int v) {
        byte[] b = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        return ctx.copyToUser(arg, b, 0, 4) == 0 ? 0 : -Errno.EFAULT;
    }

    /**
     * TCSETS: the new termios. Leaving canonical mode makes a partly typed line readable
     * at once (n_tty_set_termios), so keys typed ahead while a command ran reach the program
     * that reads in raw mode next (a line editor) instead of waiting in the line buffer.
     */
    private void setTermios(byte[] t) {
        boolean wasCanonical = canonical();
        ctx.writeBytes(state, t, 0, t.length);
        if (wasCanonical && !canonical() && lineLength() > 0) {
            commitLine();
            readers.wakeUp();
        }
    }

    /** TIOCSCTTY (Linux's tiocsctty): a session leader without a terminal takes this one. */
    private long setControllingTty(OpenFile f, long arg) {
        if (session() == f.sid()) {
            return 0;
        }
        if (f.pid() != f.sid()) {
            return -Errno.EPERM;
        }
        for (Tty t : family) {
            if (t != null && t.session() == f.sid()) {
                return -Errno.EPERM;
            }
        }
        // Another session's terminal can only be stolen by root asking for it (arg 1).
        if (session() != 0 && !(arg == 1 && f.uid() == 0)) {
            return -Errno.EPERM;
        }
        ctx.write32(state + SESSION, f.sid());
        ctx.write32(state + FG, f.pgid());
        return 0;
    }

    /** TIOCSPGRP (tcsetpgrp): a process group of the caller's session becomes the foreground. */
    private long setForeground(OpenFile f, long arg) {
        if (session() != f.sid()) {
            return -Errno.ENOTTY;
        }
        long check = checkChange(f, SIGTTOU);
        if (check != 0) {
            return check;
        }
        byte[] b = new byte[4];
        if (ctx.copyFromUser(b, 0, arg, 4) != 0) {
            return -Errno.EFAULT;
        }
        int pgrp = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        if (pgrp < 0) {
            return -Errno.EINVAL;
        }
        int sid = ctx.sessionOfProcessGroup(pgrp);
        if (sid < 0) {
            return -Errno.ESRCH;
        }
        if (sid != f.sid()) {
            return -Errno.EPERM;
        }
        ctx.write32(state + FG, pgrp);
        return 0;
    }

    @Override
    public long ioctl(OpenFile f, int cmd, long arg) {
        switch (cmd) {
            case TCGETS: {
                byte[] t = new byte[Termios.SIZE];
                ctx.readBytes(state, t, 0, t.length);
                return ctx.copyToUser(arg, t, 0, t.length) == 0 ? 0 : -Errno.EFAULT;
            }
            case TCSETS: case TCSETSW: case TCSETSF: {
                long check = checkChange(f, SIGTTOU);
                if (check != 0) {
                    return check;
                }
                byte[] t = new byte[Termios.SIZE];
                if (ctx.copyFromUser(t, 0, arg, t.length) != 0) {
                    return -Errno.EFAULT;
                }
                setTermios(t);
                return 0;
            }
            case TIOCGWINSZ: {
                byte[] w = {24, 0, 80, 0, 0, 0, 0, 0};
                return ctx.copyToUser(arg, w, 0, w.length) == 0 ? 0 : -Errno.EFAULT;
            }
            case TIOCSWINSZ:
                return 0;
            case TIOCSCTTY:
                return setControllingTty(f, arg);
            case TIOCNOTTY:
                if (session() != f.sid()) {
                    return -Errno.ENOTTY;
                }
                if (f.pid() == f.sid()) {
                    ctx.write32(state + SESSION, 0);
                }
                return 0;
            case TIOCGSID:
                if (session() == 0 || session() != f.sid()) {
                    return -Errno.ENOTTY;
                }
                return putInt(arg, session());
            case TIOCGPGRP:
                if (session() != f.sid()) {
                    return -Errno.ENOTTY;
                }
                return putInt(arg, foreground());
            case TIOCSPGRP:
                return setForeground(f, arg);
            case FIONREAD:
                return putInt(arg, ready());
            default:
                return -Errno.ENOTTY;
        }
    }
}

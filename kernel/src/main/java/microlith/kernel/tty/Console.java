package microlith.kernel.tty;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import microlith.hw.cpu.Cpu;
import microlith.kernel.fs.File;
import microlith.kernel.fs.Inode;
import microlith.kernel.proc.Scheduler;
import microlith.kernel.proc.Task;
import microlith.kernel.proc.WaitQueue;

/**
 * The console: a driver for a 16550 UART under Linux's line discipline (n_tty) with a
 * real termios: canonical mode (ICANON) edits lines with VERASE, VKILL and VEOF;
 * non-canonical mode hands over bytes as they come (a read waits for VMIN bytes;
 * VTIME is not implemented); ECHO echoes, ICRNL maps CR to NL on input, OPOST|ONLCR
 * maps NL to CR NL on output; with ISIG, VINTR and VQUIT send SIGINT and SIGQUIT to
 * the foreground process group, VSUSP (Ctrl-Z) SIGTSTP. As a controlling terminal
 * (TIOCSCTTY) it keeps its session and foreground group, and a background group that
 * reads it (or writes it under TOSTOP) gets SIGTTIN (SIGTTOU), as Linux's job control
 * has it. Bytes arrive by interrupt (IRQ 4).
 */
public final class Console implements File {
    private static final int RBR = 0, THR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5;
    private static final int EOF_MARK = -1;

    private final Cpu cpu;
    private final Scheduler sched;
    private final int base;
    public final Termios termios = new Termios();
    /** The foreground process group (TIOCSPGRP); signals from VINTR/VQUIT/VSUSP go there. */
    public int foreground = 1;
    /**
     * The session this is the controlling terminal of, 0 for none. From boot it is init's
     * session (1), as if init had taken it with TIOCSCTTY, so that init and the shell it
     * starts have job control on the console; a new session takes it with TIOCSCTTY.
     */
    public int session = 1;
    /** Signals to process groups and the background checks. */
    public microlith.kernel.proc.JobControl jobs;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    /** Completed input: bytes, with EOF_MARK for a Ctrl-D. */
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private final WaitQueue readers = new WaitQueue();

    public Console(Cpu cpu, Scheduler sched, int base, boolean echo, boolean onlcr) {
        this.cpu = cpu;
        this.sched = sched;
        this.base = base;
        if (!echo) {
            termios.lflag &= ~Termios.ECHO;
        }
        if (!onlcr) {
            termios.oflag &= ~Termios.ONLCR;
        }
    }

    /**
     * TCSETS: the new termios. Leaving canonical mode makes a partly typed line readable
     * at once (n_tty_set_termios), so keys typed ahead while a command ran reach a
     * program that reads in raw mode next (a line editor) instead of waiting there.
     */
    public void setTermios(byte[] raw) {
        boolean wasCanonical = termios.has(Termios.ICANON);
        termios.decode(raw);
        if (wasCanonical && !termios.has(Termios.ICANON) && line.size() > 0) {
            for (byte b : line.toByteArray()) {
                ready.add(b & 0xff);
            }
            line.reset();
            readers.wakeAll(sched);
        }
    }

    /** Programs the UART for 115200 8N1 with the receive interrupt on. */
    public void init() {
        cpu.out(base + LCR, 1, 0x80);
        cpu.out(base + RBR, 1, 1);
        cpu.out(base + IER, 1, 0);
        cpu.out(base + LCR, 1, 0x03);
        cpu.out(base + FCR, 1, 0x07);
        cpu.out(base + MCR, 1, 0x0B);
        cpu.out(base + IER, 1, 0x01);
    }

    private void put(int b) {
        if (b == '\n' && (termios.oflag & (Termios.OPOST | Termios.ONLCR)) == (Termios.OPOST | Termios.ONLCR)) {
            cpu.out(base + THR, 1, '\r');
        }
        cpu.out(base + THR, 1, b);
    }

    /** The IRQ handler: drain the receiver through the line discipline. */
    public void interrupt() {
        while ((cpu.in(base + LSR, 1) & 1) != 0) {
            receive(cpu.in(base + RBR, 1) & 0xff);
        }
    }

    private boolean echo() {
        return termios.has(Termios.ECHO);
    }

    private void receive(int c) {
        if (c == '\r' && (termios.iflag & Termios.ICRNL) != 0) {
            c = '\n';
        }
        if (termios.has(Termios.ISIG)) {
            int sig = c == termios.cc[Termios.VINTR] ? 2 : c == termios.cc[Termios.VQUIT] ? 3
                : c != 0 && c == termios.cc[Termios.VSUSP] ? microlith.kernel.proc.JobControl.SIGTSTP : 0;
            if (sig != 0) {
                // n_tty's isig: flush the pending line, echo ^C (^Z, ^\), signal the
                // foreground group (once the kernel has processes to signal).
                line.reset();
                if (echo()) {
                    put('^');
                    put(c + 64);
                    if (sig != microlith.kernel.proc.JobControl.SIGTSTP) {
                        put('\n');
                    }
                }
                if (jobs != null) {
                    jobs.signalGroup(foreground, sig);
                }
                return;
            }
        }
        if (!termios.has(Termios.ICANON)) {
            if (echo()) {
                put(c);
            }
            ready.add(c);
            readers.wakeAll(sched);
            return;
        }
        if (c == (termios.cc[Termios.VERASE] & 0xff) || c == 0x08) {
            byte[] cur = line.toByteArray();
            if (cur.length > 0) {
                line.reset();
                line.write(cur, 0, cur.length - 1);
                if (echo()) {
                    put('\b');
                    put(' ');
                    put('\b');
                }
            }
            return;
        }
        if (c == termios.cc[Termios.VEOF]) {
            // VEOF pushes the pending line; on an empty line it reads as end of file.
            byte[] cur = line.toByteArray();
            line.reset();
            if (cur.length == 0) {
                ready.add(EOF_MARK);
            } else {
                for (byte b : cur) {
                    ready.add(b & 0xff);
                }
            }
            readers.wakeAll(sched);
            return;
        }
        if (c == termios.cc[Termios.VKILL]) {
            line.reset();
            if (echo()) {
                put('^');
                put('U');
                put('\n');
            }
            return;
        }
        if (echo()) {
            put(c);
        }
        line.write(c);
        if (c == '\n') {
            for (byte b : line.toByteArray()) {
                ready.add(b & 0xff);
            }
            line.reset();
            readers.wakeAll(sched);
        }
    }

    @Override
    public int read(Task task, byte[] buf, int len) {
        if (len == 0) {
            return 0;
        }
        int check = jobs.ttyCheck(task, session, foreground, microlith.kernel.proc.JobControl.SIGTTIN);
        if (check != 0) {
            return check;
        }
        boolean canonical = termios.has(Termios.ICANON);
        int vmin = termios.cc[Termios.VMIN] & 0xff;
        if (!canonical && vmin == 0 && ready.isEmpty()) {
            return 0;
        }
        if (ready.isEmpty() || !canonical && ready.size() < Math.min(vmin, len)) {
            readers.add(task);
            sched.sleep(task);
            return WOULD_BLOCK;
        }
        if (ready.peek() == EOF_MARK) {
            ready.poll();
            return 0;
        }
        int n = 0;
        while (n < len && !ready.isEmpty() && ready.peek() != EOF_MARK) {
            int b = ready.poll();
            buf[n++] = (byte) b;
            if (b == '\n' && canonical) {
                break;
            }
        }
        return n;
    }

    /** Readable once a read would not wait (a whole line in canonical mode); always writable. */
    @Override
    public int poll(Task task, boolean register) {
        boolean canonical = termios.has(Termios.ICANON);
        int vmin = termios.cc[Termios.VMIN] & 0xff;
        boolean readable = !ready.isEmpty() && (canonical || ready.size() >= Math.max(1, vmin))
            || !canonical && vmin == 0;
        if (!readable && register) {
            readers.add(task);
        }
        return (readable ? 0x1 : 0) | 0x4;
    }

    /** Bytes a read could return now (FIONREAD). */
    public int available() {
        return ready.size();
    }

    @Override
    public int write(Task task, byte[] buf, int len) {
        if ((termios.lflag & Termios.TOSTOP) != 0) {
            int check = jobs.ttyCheck(task, session, foreground, microlith.kernel.proc.JobControl.SIGTTOU);
            if (check != 0) {
                return check;
            }
        }
        for (int i = 0; i < len; i++) {
            put(buf[i] & 0xff);
        }
        return len;
    }

    @Override
    public int mode() {
        return Inode.S_IFCHR | 0620;
    }

    /** ttyS&lt;n&gt; is character device 4, 64+n. */
    @Override
    public long rdev() {
        int minor = base == 0x3F8 ? 64 : base == 0x2F8 ? 65 : 66;
        return 4L << 8 | minor;
    }
}

package microlith.kernel.proc;

import microlith.kernel.Kernel;
import microlith.kernel.syscall.Errno;

/**
 * Job control as Linux has it (kernel/signal.c do_signal_stop and prepare_signal,
 * kernel/exit.c's orphaned process groups, drivers/tty/tty_jobctrl.c): stop signals
 * stop a task, SIGCONT continues it, the parent hears of both through SIGCHLD and
 * wait4's WUNTRACED/WCONTINUED, and a background process group that touches its
 * controlling terminal is sent SIGTTIN or SIGTTOU.
 */
public final class JobControl {
    public static final int SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;
    /** si_code of the SIGCHLD a parent gets (CLD_STOPPED, CLD_CONTINUED). */
    private static final int CLD_STOPPED = 5, CLD_CONTINUED = 6;
    private static final long SA_NOCLDSTOP = 1;

    private final Kernel k;

    public JobControl(Kernel k) {
        this.k = k;
    }

    public static boolean isStop(int sig) {
        return sig >= SIGSTOP && sig <= SIGTTOU;
    }

    static long stopMask() {
        return 0xfL << (SIGSTOP - 1);
    }

    /** The default action of a stop signal, taken on the way to user mode: t stops. */
    void stop(Task t, int sig) {
        t.state = Task.State.STOPPED;
        t.stopSignal = sig;
        t.stopUnreported = true;
        t.contUnreported = false;
        k.sched.stop(t);
        notifyParent(t, CLD_STOPPED, sig);
    }

    /** SIGCONT sent to a stopped task: it runs again (whatever its handler for SIGCONT). */
    void cont(Task t) {
        if (t.state != Task.State.STOPPED) {
            return;
        }
        t.stopUnreported = false;
        t.contUnreported = true;
        k.sched.cont(t);
        notifyParent(t, CLD_CONTINUED, SIGCONT);
    }

    private void notifyParent(Task t, int code, int sig) {
        Task p = t.parent;
        if (p == null || p.state == Task.State.ZOMBIE) {
            return;
        }
        p.childWait.wakeAll(k.sched);
        if ((p.sigaction(Signals.SIGCHLD, 1) & SA_NOCLDSTOP) == 0) {
            k.signals.send(p, Signals.SIGCHLD, code, t.pid);
        }
    }

    /**
     * Whether process group pgrp is orphaned (POSIX): no member has a parent in another
     * group of the same session. Init as a parent does not count, as in Linux, unless
     * init is an ordinary program (`run`, init.protect=0). With leaving non-null, that
     * task is treated as already gone.
     */
    public boolean orphaned(int pgrp, Task leaving) {
        boolean realInit = k.cmdline.getInt("init.protect", 1) == 1;
        for (Task x : k.sched.all()) {
            if (x.pgid != pgrp || x.state == Task.State.ZOMBIE || x == leaving) {
                continue;
            }
            Task p = x.parent;
            if (p == null || p == leaving || p.pid == 1 && realInit || p.state == Task.State.ZOMBIE) {
                continue;
            }
            if (p.pgid != pgrp && p.sid == x.sid) {
                return false;
            }
        }
        return true;
    }

    private boolean hasStopped(int pgrp) {
        for (Task x : k.sched.all()) {
            if (x.pgid == pgrp && x.state == Task.State.STOPPED) {
                return true;
            }
        }
        return false;
    }

    /** Sends sig to every live task of process group pgrp. */
    public void signalGroup(int pgrp, int sig) {
        for (Task x : new java.util.ArrayList<>(k.sched.all())) {
            if (x.pgid == pgrp && x.state != Task.State.ZOMBIE) {
                k.signals.send(x, sig, SignalDelivery.SI_KERNEL, 0);
            }
        }
    }

    /**
     * t is exiting: a process group that this orphans and that has stopped members gets
     * SIGHUP then SIGCONT (POSIX _exit), its own group and each of its children's.
     */
    public void exiting(Task t) {
        java.util.Set<Integer> groups = new java.util.TreeSet<>();
        groups.add(t.pgid);
        for (Task c : k.sched.all()) {
            if (c.parent == t && c.state != Task.State.ZOMBIE) {
                groups.add(c.pgid);
            }
        }
        for (int g : groups) {
            if (hasStopped(g) && !orphaned(g, null) && orphaned(g, t)) {
                signalGroup(g, Signals.SIGHUP);
                signalGroup(g, SIGCONT);
            }
        }
    }

    private static boolean ignoresOrBlocks(Task t, int sig) {
        return t.sigaction(sig, 0) == SignalDelivery.SIG_IGN || (t.sigMask & 1L << (sig - 1)) != 0;
    }

    /**
     * A terminal operation by t on a terminal owned by session ttySession whose
     * foreground group is fg (Linux's __tty_check_change): 0 to go on; for a background
     * group -ERESTARTSYS after sending it sig (the call restarts once the group is
     * continued), or -EIO when the signal cannot stop it. A SIGTTOU that is ignored or
     * blocked lets the operation go on; an ignored SIGTTIN makes the read fail.
     */
    public int ttyCheck(Task t, int ttySession, int fg, int sig) {
        if (ttySession == 0 || t.sid != ttySession || fg == 0 || t.pgid == fg) {
            return 0;
        }
        if (ignoresOrBlocks(t, sig)) {
            return sig == SIGTTIN ? -Errno.EIO : 0;
        }
        if (orphaned(t.pgid, null)) {
            return -Errno.EIO;
        }
        signalGroup(t.pgid, sig);
        return -Errno.ERESTARTSYS;
    }
}

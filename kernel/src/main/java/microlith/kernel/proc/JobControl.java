package microlith.kernel.proc;

import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;

/**
 * Job control as Linux has it in the core (kernel/signal.c's do_signal_stop and
 * prepare_signal, kernel/exit.c's orphaned process groups): stop signals stop a task,
 * SIGCONT continues it, and the parent hears of both through SIGCHLD and wait4's
 * WUNTRACED/WCONTINUED. What a terminal does with job control (SIGTTIN, SIGTTOU, the
 * foreground group) is the terminal driver's, in {@code modules/serial}; it asks the core
 * only the facts below (through the SDK).
 */
public final class JobControl {
    public static final int SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;
    /** si_code of the SIGCHLD a parent gets (CLD_STOPPED, CLD_CONTINUED). */
    private static final int CLD_STOPPED = 5, CLD_CONTINUED = 6;
    private static final long SA_NOCLDSTOP = 1;

    private final Scheduler sched;
    private final SignalDelivery signals;
    /** Init is a real init (not `run`'s single program): as a parent it does not count. */
    private final boolean realInit;

    JobControl(Scheduler sched, SignalDelivery signals, boolean realInit) {
        this.sched = sched;
        this.signals = signals;
        this.realInit = realInit;
    }

    public static boolean isStop(int sig) {
        return sig >= SIGSTOP && sig <= SIGTTOU;
    }

    static long stopMask() {
        return 0xfL << (SIGSTOP - 1);
    }

    /**
     * The default action of a stop signal, taken on the way to user mode: t stops, and so
     * does every other thread of its process (do_signal_stop). A running thread stops on
     * its way back to user mode; one asleep in an interruptible call is woken to do so
     * (its call starts again once continued, or a futex wait returns EINTR, as glibc and
     * musl expect); one in an uninterruptible wait (vfork) stops when that wait ends. The
     * parent hears of the stop once, for the process: wait4 reports it by the leader.
     */
    void stop(Task t, int sig) {
        Task leader = t.group != null ? t.group.leader : t;
        leader.stopSignal = sig;
        leader.stopUnreported = true;
        leader.contUnreported = false;
        t.stopSignal = sig;
        sched.stop(t);
        if (t.group != null) {
            for (Task x : t.group.live) {
                if (x != t && x.state != Task.State.STOPPED && x.state != Task.State.ZOMBIE) {
                    x.stopSignal = sig;
                    x.groupStopPending = true;
                    if (x.state == Task.State.SLEEPING && !x.uninterruptible) {
                        sched.wake(x);
                    }
                }
            }
        }
        notifyParent(leader, CLD_STOPPED);
    }

    /** A thread whose group stopped reaches user mode: it stops too, without another report. */
    public void stopPending(Task t) {
        t.groupStopPending = false;
        sched.stop(t);
        if (t.group != null && t.group.leader == t && t.parent != null) {
            // wait4 reports the stop by the leader: a parent already waiting looks again.
            t.parent.childWait.wakeAll(sched);
        }
    }

    /**
     * SIGCONT sent to a thread of a stopped process: every thread runs again (whatever
     * its handler for SIGCONT), and the parent hears of it once.
     */
    void cont(Task t) {
        boolean stopped = false;
        for (Task x : t.group != null ? t.group.live : java.util.List.of(t)) {
            x.groupStopPending = false;
            x.pending &= ~stopMask();
            if (x.state == Task.State.STOPPED) {
                stopped = true;
                sched.cont(x);
            }
        }
        if (!stopped) {
            return;
        }
        Task leader = t.group != null ? t.group.leader : t;
        leader.stopUnreported = false;
        leader.contUnreported = true;
        notifyParent(leader, CLD_CONTINUED);
    }

    private void notifyParent(Task t, int code) {
        Task p = t.parent;
        if (p == null || p.state == Task.State.ZOMBIE) {
            return;
        }
        p.childWait.wakeAll(sched);
        if ((p.sigaction(Signals.SIGCHLD, 1) & SA_NOCLDSTOP) == 0) {
            signals.send(p, Signals.SIGCHLD, code, t.pid);
        }
    }

    /**
     * Whether process group pgrp is orphaned (POSIX): no member has a parent in another
     * group of the same session. Init as a parent does not count, as in Linux, unless init
     * is an ordinary program (`run`, init.protect=0). With leaving non-null, that task is
     * treated as already gone.
     */
    public boolean orphaned(int pgrp, Task leaving) {
        for (Task x : sched.all()) {
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

    /** The session of process group pgrp (Linux's session_of_pgrp), or -1 if it has no live member. */
    public int sessionOf(int pgrp) {
        for (Task x : sched.all()) {
            if (x.pgid == pgrp && x.state != Task.State.ZOMBIE && !x.server) {
                return x.sid;
            }
        }
        return -1;
    }

    private boolean hasStopped(int pgrp) {
        for (Task x : sched.all()) {
            if (x.pgid == pgrp && x.state == Task.State.STOPPED) {
                return true;
            }
        }
        return false;
    }

    /**
     * t is exiting: a process group that this orphans and that has stopped members gets
     * SIGHUP then SIGCONT (POSIX _exit; Linux's kill_orphaned_pgrp), for t's own group and
     * each of its children's.
     */
    void exiting(Task t) {
        Set<Integer> groups = new TreeSet<>();
        groups.add(t.pgid);
        for (Task c : sched.all()) {
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

    private void signalGroup(int pgrp, int sig) {
        for (Task x : new ArrayList<>(sched.all())) {
            if (x.pgid == pgrp && x.state != Task.State.ZOMBIE) {
                signals.send(x, sig, SignalDelivery.SI_KERNEL, 0);
            }
        }
    }

    /** Whether t blocks or ignores sig (tty_jobctrl.c's is_ignored). */
    public static boolean ignoresOrBlocks(Task t, int sig) {
        return t.sigaction(sig, 0) == SignalDelivery.SIG_IGN || (t.sigMask & 1L << (sig - 1)) != 0;
    }
}

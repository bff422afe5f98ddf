package microlith.kernel.proc;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;

/**
 * Per-process timers on simulated time (Linux's kernel/time/itimer.c and
 * posix-timers.c): the three interval timers of setitimer (ITIMER_REAL is also
 * alarm's), and the POSIX timers of timer_create.
 *
 * <p>Wall-clock timers (ITIMER_REAL, POSIX timers on CLOCK_REALTIME, MONOTONIC,
 * BOOTTIME, TAI) expire by simulated nanoseconds since boot; CPU-time timers
 * (ITIMER_VIRTUAL, ITIMER_PROF, POSIX timers on the CPU-time clocks) count down by one
 * tick each time the timer interrupt finds the process running, as Linux's tick-based
 * accounting does. Expiry is checked on the tick (1/HZ), like nanosleep here: the
 * resolution of a kernel without high-resolution timers. An expired periodic timer
 * is moved forward past now in one step, counting the periods it missed as overruns.
 *
 * <p>The timers are the process's (Linux's signal_struct), shared by its threads: they
 * are kept under the thread group's leader, and a signal goes to whichever thread can
 * take it, or with SIGEV_THREAD_ID to the one thread named. A child of fork starts with
 * no timers; execve keeps the interval timers and deletes the POSIX ones; an exited
 * process's timers go at the next tick. The process
 * manager owns these timers (it sends the signals and runs execve); the tick and the
 * idle loop ask it.
 */
public final class IntervalTimers {
    public static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
    public static final int SIGVTALRM = 26, SIGPROF = 27;
    public static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
    /** si_code of a POSIX timer's signal. */
    public static final int SI_TIMER = -2;
    /** At most this many POSIX timers per process; timer_create fails with EAGAIN beyond. */
    public static final int MAX_POSIX_TIMERS = 32;
    /** A deadline that never comes. */
    public static final long NEVER = Long.MAX_VALUE;

    private static final long TICK_NS = Clock.NANOS_PER_SECOND / Clock.HZ;

    /** One timer: an expiry (absolute ns, or CPU ns left) and a period, 0 when one-shot. */
    public static final class Timer {
        /** Absolute expiry for wall clocks, CPU time left for CPU clocks; 0 when disarmed. */
        public long value;
        public long interval;
        public final boolean cpu;
        /** A timer_create timer (not one of setitimer's three). */
        public final boolean posix;
        /** POSIX timers: how the expiry is told (SIGEV_*), which signal, and its value. */
        public int notify = SIGEV_SIGNAL;
        public int signo;
        public long sigval;
        public int clock;
        public int id;
        /** SIGEV_THREAD_ID: the one thread the signal goes to (null: the process). */
        public Task thread;
        /** Expirations not delivered because the last signal was still pending. */
        public int overrun;
        /** timer_getoverrun's answer: the overrun count when the last signal was sent. */
        public int lastOverrun;

        Timer(boolean cpu, boolean posix) {
            this.cpu = cpu;
            this.posix = posix;
        }

        public boolean armed() {
            return value != 0;
        }
    }

    /** One process's timers. */
    private static final class State {
        final Timer[] itimers = {new Timer(false, false), new Timer(true, false), new Timer(true, false)};
        final TreeMap<Integer, Timer> posix = new TreeMap<>();
        int nextId;

        boolean empty() {
            return !itimers[0].armed() && !itimers[1].armed() && !itimers[2].armed() && posix.isEmpty();
        }
    }

    private final Scheduler sched;
    private final SignalDelivery signals;
    private final Map<Task, State> states = new IdentityHashMap<>();

    IntervalTimers(Scheduler sched, SignalDelivery signals) {
        this.sched = sched;
        this.signals = signals;
    }

    private State state(Task t) {
        return states.computeIfAbsent(t.group.leader, x -> new State());
    }

    /** A process's timers, if it has any: under its leader, whichever thread asks. */
    private State existing(Task t) {
        return states.get(t.group.leader);
    }

    /** The task's interval timer which (ITIMER_*); never null. */
    public Timer itimer(Task t, int which) {
        return state(t).itimers[which];
    }

    /** A POSIX timer of t by id, or null. */
    public Timer posix(Task t, long id) {
        State s = existing(t);
        return s == null || id < 0 || id > Integer.MAX_VALUE ? null : s.posix.get((int) id);
    }

    /** A new POSIX timer with the lowest free id at or after the last one, or null at the limit. */
    public Timer createPosix(Task t, int clock, boolean cpu) {
        State s = state(t);
        if (s.posix.size() >= MAX_POSIX_TIMERS) {
            return null;
        }
        int id = s.nextId;
        while (s.posix.containsKey(id)) {
            id = id == Integer.MAX_VALUE ? 0 : id + 1;
        }
        s.nextId = id == Integer.MAX_VALUE ? 0 : id + 1;
        Timer tm = new Timer(cpu, true);
        tm.id = id;
        tm.clock = clock;
        s.posix.put(id, tm);
        return tm;
    }

    public boolean deletePosix(Task t, long id) {
        State s = existing(t);
        return s != null && id >= 0 && id <= Integer.MAX_VALUE && s.posix.remove((int) id) != null;
    }

    /** execve: POSIX timers are deleted, interval timers (and alarm) stay. */
    public void execve(Task t) {
        State s = existing(t);
        if (s != null) {
            s.posix.clear();
        }
    }

    /** Whether a wall-clock timer is armed: the tick must keep running while the CPU idles. */
    public boolean anyWallClockArmed() {
        for (State s : states.values()) {
            if (s.itimers[ITIMER_REAL].armed()) {
                return true;
            }
            for (Timer tm : s.posix.values()) {
                if (!tm.cpu && tm.armed()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Live processes with an armed timer (for leak checks: 0 once they are all gone). */
    public int liveProcesses() {
        int n = 0;
        for (Map.Entry<Task, State> e : states.entrySet()) {
            Task t = e.getKey();
            if (!gone(t) && !e.getValue().empty()) {
                n++;
            }
        }
        return n;
    }

    /** The timer tick: now in simulated ns since boot; running is the task the tick interrupted. */
    public void tick(long now, Task running) {
        if (states.isEmpty()) {
            return;
        }
        List<Task> gone = new ArrayList<>();
        for (Map.Entry<Task, State> e : new ArrayList<>(states.entrySet())) {
            Task t = e.getKey();
            State s = e.getValue();
            if (gone(t)) {
                gone.add(t);
                continue;
            }
            wall(t, s.itimers[ITIMER_REAL], now, Signals.SIGALRM);
            boolean on = running != null && running.group == t.group;
            if (on) {
                cpu(t, s.itimers[ITIMER_VIRTUAL], SIGVTALRM);
                cpu(t, s.itimers[ITIMER_PROF], SIGPROF);
            }
            for (Timer tm : new ArrayList<>(s.posix.values())) {
                if (!tm.cpu) {
                    wall(t, tm, now, tm.signo);
                } else if (on) {
                    cpu(t, tm, tm.signo);
                }
            }
            if (s.empty()) {
                gone.add(t);
            }
        }
        for (Task t : gone) {
            states.remove(t);
        }
    }

    /** Whether t's process has ended (every thread exited) or its leader was reaped. */
    private boolean gone(Task t) {
        return t.group.live.isEmpty() || sched.find(t.pid) != t;
    }

    private void wall(Task t, Timer tm, long now, int sig) {
        if (!tm.armed() || now < tm.value) {
            return;
        }
        long missed = 0;
        if (tm.interval > 0) {
            // hrtimer_forward: past now in one step, the skipped periods are overruns.
            missed = (now - tm.value) / tm.interval;
            long next = tm.value + (missed + 1) * tm.interval;
            tm.value = next <= 0 || missed > (NEVER - tm.value) / tm.interval ? NEVER : next;
        } else {
            tm.value = 0;
        }
        fire(t, tm, sig, missed);
    }

    private void cpu(Task t, Timer tm, int sig) {
        if (!tm.armed()) {
            return;
        }
        tm.value -= TICK_NS;
        if (tm.value > 0) {
            return;
        }
        long missed = 0;
        if (tm.interval > 0) {
            missed = -tm.value / tm.interval;
            tm.value += (missed + 1) * tm.interval;
        } else {
            tm.value = 0;
        }
        fire(t, tm, sig, missed);
    }

    private void fire(Task t, Timer tm, int sig, long missed) {
        tm.overrun = (int) Math.min(Integer.MAX_VALUE, tm.overrun + missed);
        if (tm.notify == SIGEV_NONE) {
            return;
        }
        boolean posix = tm.posix;
        Task to = tm.thread != null && tm.thread.group == t.group && tm.thread.state != Task.State.ZOMBIE
            ? tm.thread : null;
        if (posix && pending(to != null ? List.of(to) : t.group.live, sig)) {
            // The last expiry's signal is still pending: this one is an overrun.
            tm.overrun = (int) Math.min(Integer.MAX_VALUE, tm.overrun + 1L);
            return;
        }
        if (posix) {
            tm.lastOverrun = tm.overrun;
            tm.overrun = 0;
            if (to != null) {
                signals.send(to, sig, SI_TIMER, tm.sigval);
            } else {
                signals.sendToProcess(t, sig, SI_TIMER, tm.sigval);
            }
        } else {
            signals.sendToProcess(t, sig, SignalDelivery.SI_KERNEL, 0);
        }
    }

    private static boolean pending(java.util.Collection<Task> threads, int sig) {
        for (Task x : threads) {
            if ((x.pending & 1L << (sig - 1)) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Nanoseconds left before tm expires (for getitimer and timer_gettime); 0 when
     * disarmed. An expiry the tick has not seen yet is reported as the smallest non-zero
     * time, as Linux does (1 µs for an interval timer, 1 ns for a POSIX one).
     */
    public long remaining(Timer tm, long now) {
        if (!tm.armed()) {
            return 0;
        }
        if (tm.cpu) {
            return tm.value;
        }
        return tm.value == NEVER ? NEVER : Math.max(tm.posix ? 1 : 1000, tm.value - now);
    }
}

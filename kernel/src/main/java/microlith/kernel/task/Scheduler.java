package microlith.kernel.task;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.TreeMap;

/**
 * The task list and a round-robin run queue. No host thread stands behind a task: a
 * task is runnable (its pt_regs are ready to return to) or asleep on a wait queue.
 */
public final class Scheduler {
    public static final int PID_MAX = 32768;

    private final TreeMap<Integer, Task> tasks = new TreeMap<>();
    private final Deque<Task> runQueue = new ArrayDeque<>();
    private Task current;
    private int lastPid;
    private long created;
    /** Set by the timer tick: the running task has used its slice. */
    public boolean needResched;

    public Task current() {
        return current;
    }

    public void setCurrent(Task t) {
        current = t;
    }

    /** Processes created since boot (the "processes" line of /proc/stat). */
    public long created() {
        return created;
    }

    /** A free pid; 1 is init's alone, even when servers are made before it. */
    public int allocPid() {
        for (int i = 0; i < PID_MAX; i++) {
            lastPid = lastPid % (PID_MAX - 1) + 1;
            if (lastPid != 1 && !tasks.containsKey(lastPid)) {
                created++;
                return lastPid;
            }
        }
        return -1;
    }

    public void add(Task t) {
        tasks.put(t.pid, t);
        runQueue.add(t);
    }

    public void remove(Task t) {
        tasks.remove(t.pid);
        runQueue.remove(t);
        if (current == t) {
            current = null;
        }
    }

    public Task find(int pid) {
        return tasks.get(pid);
    }

    public Collection<Task> all() {
        return tasks.values();
    }

    public void sleep(Task t) {
        t.state = Task.State.SLEEPING;
        runQueue.remove(t);
    }

    public void wake(Task t) {
        if (t.state == Task.State.SLEEPING) {
            Runnable hook = t.wakeHook;
            if (hook != null) {
                t.wakeHook = null;
                hook.run();
            }
            t.state = Task.State.RUNNABLE;
            runQueue.add(t);
        }
    }

    /** A stop signal's default action: off the run queue until SIGCONT. */
    public void stop(Task t) {
        t.state = Task.State.STOPPED;
        runQueue.remove(t);
    }

    /** SIGCONT: a stopped task runs again (and retries the call it was parked in, if any). */
    public void cont(Task t) {
        if (t.state == Task.State.STOPPED) {
            t.state = Task.State.RUNNABLE;
            runQueue.add(t);
        }
    }

    /** Marks a task dead: it stays in the table (a zombie) until reaped. */
    public void exited(Task t) {
        t.state = Task.State.ZOMBIE;
        runQueue.remove(t);
    }

    /** Servers the CPU is lent to by synchronous calls, innermost first (see ipc.IpcCore). */
    private final ArrayDeque<Task> nested = new ArrayDeque<>();

    public void pushNested(Task server) {
        nested.push(server);
    }

    public void popNested() {
        nested.pop();
    }

    /** The server running a synchronous call right now, or null outside any call. */
    public Task nestedTop() {
        return nested.peek();
    }

    public int nesting() {
        return nested.size();
    }

    /**
     * The task to run next. Inside a synchronous call only the called server runs; a
     * server running a handler keeps the CPU until it replies; otherwise the current task
     * while it can run, else the queue's head, servers with work first (as MINIX 3 gives
     * drivers the higher priority queues).
     */
    public Task pickNext() {
        Task n = nested.peek();
        if (n != null) {
            return n.state == Task.State.RUNNABLE ? n : null;
        }
        if (current != null && current.state == Task.State.RUNNABLE && (!yielded || current.serverBusy)) {
            return current;
        }
        yielded = false;
        Task first = null;
        for (Task t : runQueue) {
            if (t.state == Task.State.RUNNABLE) {
                if (t.server) {
                    return t;
                }
                if (first == null) {
                    first = t;
                }
            }
        }
        return first;
    }

    /** Round-robin: move the current task to the back of the queue (a busy server keeps the CPU). */
    public void yieldCurrent() {
        if (current != null && !current.serverBusy && nested.isEmpty() && runQueue.remove(current)) {
            runQueue.add(current);
            yielded = true;
        }
    }

    /** The current task gave up its slice: the next pick takes the queue's head. */
    private boolean yielded;

    /** Tasks asleep in nanosleep until a time. */
    private final java.util.List<Task> timed = new java.util.ArrayList<>();

    public void sleepUntil(Task t, long nanos) {
        t.sleepUntil = nanos;
        if (!timed.contains(t)) {
            timed.add(t);
        }
        sleep(t);
    }

    /** The timer tick: wakes every timed sleeper whose time has come. */
    public void wakeExpired(long now) {
        for (java.util.Iterator<Task> it = timed.iterator(); it.hasNext();) {
            Task t = it.next();
            if (t.state == Task.State.ZOMBIE) {
                it.remove();
            } else if (now >= t.sleepUntil) {
                it.remove();
                wake(t);
            }
        }
    }

    /** Forgets t's wake-up time (it was woken another way before the time came). */
    public void cancelTimeout(Task t) {
        timed.remove(t);
        t.sleepUntil = 0;
    }

    public boolean anyTimedSleepers() {
        timed.removeIf(t -> t.state == Task.State.ZOMBIE);
        return !timed.isEmpty();
    }
}

package microlith.kernel.proc;

import microlith.kernel.log.Printk;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;

/**
 * The out-of-memory killer (Linux's mm/oom_kill.c, reduced to its choice): when a page
 * fault finds no free page, the process with the most resident pages dies, not
 * whoever happened to fault. Init is never chosen while another process has memory, and
 * servers never are (oom_unkillable_task: they are the operating system, as kernel
 * threads are), so a user's memory hog can take down neither the machine nor a driver.
 *
 * <p>Every out-of-memory comes here, whoever noticed it: a user page fault (Traps), a
 * kernel copy into user memory (Uaccess) and an IPC grant copy (IpcCore), as Linux's page
 * allocator runs out_of_memory() whatever the allocation was for. The faulting process is
 * only the fallback and the one named in the log line.
 */
public final class OomKiller {
    private final Scheduler sched;
    private final ProcessManager process;
    private final Printk log;

    public OomKiller(Scheduler sched, ProcessManager process, Printk log) {
        this.sched = sched;
        this.process = process;
        this.log = log;
    }

    /**
     * Kills the largest process (init only if no other has memory; the faulting task
     * itself if nothing else qualifies) and returns it. When the victim is another
     * process, the faulting instruction runs again and finds its pages.
     */
    public Task killFor(Task faulting) {
        Task victim = null;
        for (Task x : sched.all()) {
            // One entry per process (its thread group's leader, threads share its memory). One
            // with a thread whose system call waits on a server cannot give its memory back
            // before that call ends (its kill waits): it would be chosen again at every retry.
            if (!x.isLeader() || x.mm == null || x.state == Task.State.ZOMBIE || x.pid == 1 || x.server
                || x.group.live.stream().anyMatch(o -> o.ipcCallsInFlight > 0)) {
                continue;
            }
            if (victim == null || x.mm.residentPages() > victim.mm.residentPages()) {
                victim = x;
            }
        }
        if (victim == null) {
            victim = faulting;
        }
        log.err("Out of memory: Killed process %d (%s) anon-rss:%dkB (page fault by %s[%d])", victim.pid,
            victim.comm, victim.mm.residentPages() * 4L, faulting.comm, faulting.pid);
        process.kill(victim, Signals.SIGKILL);
        return victim;
    }
}

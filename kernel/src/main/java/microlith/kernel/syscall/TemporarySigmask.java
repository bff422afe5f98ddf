package microlith.kernel.syscall;

import java.util.function.LongSupplier;
import microlith.kernel.task.Signals;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * The signal mask a waiting call installs for the length of its wait (Linux's
 * set_user_sigmask, used by ppoll, pselect6 and epoll_pwait/epoll_pwait2): a program can
 * unblock a signal only while it waits, with no window between unblocking and waiting.
 *
 * The caller's own mask is kept in {@code Task.savedMask}. It comes back when the call
 * returns; when a signal interrupts the wait, the signal frame saves it and rt_sigreturn
 * restores it (the handler runs under the wait's mask, as sigsuspend's does). A call that
 * parks and restarts installs the mask again and keeps the mask saved the first time.
 */
final class TemporarySigmask {
    private static final long SIGSET_SIZE = 8;

    private TemporarySigmask() {
    }

    /**
     * Replaces the mask with the sigset at uset for a wait, the caller's own kept in
     * savedMask unless a restarted call kept it already; SIGKILL and SIGSTOP stay
     * unblocked. 0, -EINVAL for a size that is not a sigset's, or -EFAULT.
     */
    static long install(Services k, Task task, long uset, long size) {
        if (size != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        Long mask = k.uaccess.getUser64(task.mm, uset);
        if (mask == null) {
            return -Errno.EFAULT;
        }
        if (task.savedMask == -1) {
            task.savedMask = task.sigMask;
        }
        task.sigMask = mask & ~Signals.UNBLOCKABLE;
        return 0;
    }

    /**
     * Runs the wait under the mask at uset (none when uset is 0); its result, or an errno.
     * pollLike: a signal ends a wait that found nothing ready even when its timeout has
     * run out, as do_poll and do_select check (ERESTARTNOHAND); epoll's ep_poll returns 0
     * on a timeout first and EINTR otherwise.
     */
    static long around(Services k, Task task, long uset, long size, boolean pollLike, LongSupplier wait) {
        if (uset == 0) {
            return wait.getAsLong();
        }
        long err = install(k, task, uset, size);
        if (err != 0) {
            return err;
        }
        long r = wait.getAsLong();
        boolean parked = task.state == Task.State.SLEEPING;
        if ((task.pending & ~task.sigMask) != 0 && (parked || r == 0 && pollLike)) {
            // Nothing was ready and a signal the new mask lets in is waiting: the call ends
            // (a handler runs under the wait's mask; a poll-like call whose signal turns out
            // to be ignored starts again). Ready files come first.
            if (parked) {
                k.sched.wake(task);
            }
            task.parkedNoRestart = true;
            return pollLike ? -Errno.ERESTARTSYS : -Errno.EINTR;
        }
        if (!parked) {
            task.sigMask = task.savedMask;
            task.savedMask = -1;
        }
        return r;
    }
}

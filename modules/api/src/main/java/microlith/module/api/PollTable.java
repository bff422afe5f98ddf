package microlith.module.api;

/** What poll() is given: the queues a sleeping poller should be woken by (Linux's poll_wait). */
public interface PollTable {
    int POLLIN = 0x001, POLLPRI = 0x002, POLLOUT = 0x004, POLLERR = 0x008, POLLHUP = 0x010,
        POLLRDNORM = 0x040, POLLWRNORM = 0x100;

    /** Registers the poller on the queue; a wake-up makes the kernel poll again. */
    void wait(WaitQueue queue);
}

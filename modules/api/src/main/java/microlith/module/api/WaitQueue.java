package microlith.module.api;

/**
 * A wait queue (Linux's wait_queue_head_t). Blocking never holds a host thread: an
 * operation that must wait calls {@link #block()} and returns its result, the kernel
 * parks the calling process, and when the queue is woken the system call is made again
 * from the start. The operation therefore re-checks its condition each time it runs:
 *
 * <pre>
 * if (empty()) {
 *     if (file.nonBlocking()) return -Errno.EAGAIN;
 *     return readers.block();     // -ERESTARTSYS: parked, restarted when woken
 * }
 * </pre>
 */
public interface WaitQueue {
    /** Queues the calling process and returns {@code -Errno.ERESTARTSYS}. */
    int block();

    /** Wakes every process waiting on (or polling) this queue. */
    void wakeUp();

    /** Whether any process is waiting. */
    boolean hasWaiters();
}

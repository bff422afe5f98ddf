/* Bad input to the thread calls, made raw: refused clone flag combinations, futexes on
 * unmapped, unaligned or mismatching words, bad timeouts and operations, a robust list
 * of the wrong size, clone3 with a short or oversized argument block, a thread whose
 * clear-tid address is unmapped, and tkill/tgkill of threads that do not exist. Each
 * gets Linux's errno; none crashes or hangs. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffff
#define FUTEX_OP_ADD 1
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP(op, oparg, cmp, cmparg) \
    (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))
#ifndef SYS_clone3
#define SYS_clone3 435
#endif

static const char *errname(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EAGAIN: return "EAGAIN";
    case ENOSYS: return "ENOSYS";
    case ESRCH: return "ESRCH";
    case ETIMEDOUT: return "ETIMEDOUT";
    case E2BIG: return "E2BIG";
    case EPERM: return "EPERM";
    default: return "other";
    }
}

static void report(const char *what, long r) {
    printf("%-44s %ld %s\n", what, r, r < 0 ? errname(errno) : "");
}

#define TRY(what, call) do { errno = 0; long r_ = (long)(call); report(what, r_ == -1 ? -1 : r_); } while (0)

static long raw_clone(unsigned long flags, void *stack) {
    return syscall(SYS_clone, flags, stack, NULL, NULL, 0);
}

static int word = 5;
static char child_stack[65536] __attribute__((aligned(16)));

static int thread_fn(void *arg) {
    (void)arg;
    syscall(SYS_exit, 0);
    return 0;
}

int main(void) {
    void *unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(unmapped, 4096);
    TRY("clone THREAD without SIGHAND", raw_clone(CLONE_THREAD | CLONE_VM, child_stack + sizeof child_stack));
    TRY("clone SIGHAND without VM", raw_clone(CLONE_SIGHAND, child_stack + sizeof child_stack));
    TRY("futex wait, value differs", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0));
    TRY("futex wait, unmapped word", syscall(SYS_futex, unmapped, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    TRY("futex wait, unaligned word", syscall(SYS_futex, (char *)&word + 1, FUTEX_WAIT, 5, NULL, NULL, 0));
    TRY("futex wake, unaligned word", syscall(SYS_futex, (char *)&word + 2, FUTEX_WAKE, 1, NULL, NULL, 0));
    TRY("futex wake, nobody waits", syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    TRY("futex wake (shared), unmapped word", syscall(SYS_futex, unmapped, FUTEX_WAKE, 1, NULL, NULL, 0));
    struct timespec bad = {0, 2000000000L};
    TRY("futex wait, tv_nsec out of range", syscall(SYS_futex, &word, FUTEX_WAIT, 5, &bad, NULL, 0));
    struct timespec neg = {-1, 0};
    TRY("futex wait, negative timeout", syscall(SYS_futex, &word, FUTEX_WAIT, 5, &neg, NULL, 0));
    struct timespec short_ts = {0, 1000000};
    TRY("futex wait, 1 ms timeout", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &short_ts, NULL, 0));
    TRY("futex wait, timeout unmapped", syscall(SYS_futex, &word, FUTEX_WAIT, 5, unmapped, NULL, 0));
    TRY("futex wait_bitset, bitset 0", syscall(SYS_futex, &word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0));
    struct timespec past = {0, 0};
    TRY("futex wait_bitset, deadline passed", syscall(SYS_futex, &word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME,
                                                      5, &past, NULL, FUTEX_BITSET_MATCH_ANY));
    TRY("futex wake with CLOCK_REALTIME", syscall(SYS_futex, &word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
    TRY("futex unknown op 99", syscall(SYS_futex, &word, 99, 0, NULL, NULL, 0));
    TRY("futex cmp_requeue, value differs", syscall(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 1, &word, 4));
    TRY("futex requeue, negative count", syscall(SYS_futex, &word, FUTEX_REQUEUE, -1, 1, &word, 0));
    int other = 0;
    TRY("futex wake_op on a word", syscall(SYS_futex, &word, FUTEX_WAKE_OP, 1, 1, &other,
                                           FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 0)));
    printf("%-44s %d\n", "  wake_op left the second word at", other);
    TRY("futex wake_op, unmapped second word", syscall(SYS_futex, &word, FUTEX_WAKE_OP, 1, 1, unmapped, 0));
    TRY("set_robust_list, wrong size", syscall(SYS_set_robust_list, NULL, 23));
    TRY("get_robust_list, no such pid", syscall(SYS_get_robust_list, 99999, &other, &other));
    uint64_t args[16] = {0};
    TRY("clone3, size below the first version", syscall(SYS_clone3, args, 32));
    TRY("clone3, argument block unmapped", syscall(SYS_clone3, unmapped, 64));
    args[0] = CLONE_THREAD;
    TRY("clone3 THREAD without SIGHAND", syscall(SYS_clone3, args, 64));
    args[0] = 0;
    args[4] = 65;
    TRY("clone3, exit signal 65", syscall(SYS_clone3, args, 64));
    args[4] = 0;
    args[11] = 1;
    TRY("clone3, nonzero bytes past what is known", syscall(SYS_clone3, args, 128));
    TRY("tkill, no such thread", syscall(SYS_tkill, 99999, SIGUSR1));
    TRY("tgkill, tid 0", syscall(SYS_tgkill, getpid(), 0, SIGUSR1));
    TRY("tgkill, signal 99", syscall(SYS_tgkill, getpid(), getpid(), 99));

    /* A thread whose CLONE_CHILD_CLEARTID address is unmapped exits quietly. */
    long tid = clone(thread_fn, child_stack + sizeof child_stack, CLONE_VM | CLONE_FS | CLONE_FILES |
                     CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_CLEARTID, NULL, NULL, NULL, unmapped);
    printf("%-44s %s\n", "thread with an unmapped clear-tid address", tid > 0 ? "started" : strerror(errno));
    struct timespec wait = {0, 20000000};
    nanosleep(&wait, NULL);
    printf("%-44s %s\n", "the process still runs", "yes");
    return 0;
}

/* syscalls: self-checking test of the kernel's system call edge cases.
 * Prints "ok NAME" or "FAIL NAME: got X" per check; exits 0 only if all pass.
 * Raw results come from __syscall, so failures show up as -errno. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#define KERNEL_ADDR 0xffffffff81000000L
#define KiB 1024L

static int failures;

static void expect(const char *name, long got, long want)
{
    if (got == want) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld (want %ld)\n", name, got, want);
        failures++;
    }
    fflush(stdout);
}

static void check(const char *name, int cond, long got)
{
    if (cond) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld (0x%lx)\n", name, got, (unsigned long)got);
        failures++;
    }
    fflush(stdout);
}

static long sc3(long n, long a, long b, long c)
{
    return __syscall(n, a, b, c, 0, 0, 0);
}

static long sc6(long n, long a, long b, long c, long d, long e, long f)
{
    return __syscall(n, a, b, c, d, e, f);
}

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON_PRIVATE (MAP_PRIVATE | MAP_ANONYMOUS)
#define SYS_mlock 149
#define SYS_munlock 150
#define SYS_mlockall 151
#define SYS_munlockall 152
#define MADV_DONTNEED 4
#define AREA 0x30000000L

/* mmap family: each argument gets Linux's errno, and whole-half ranges cost what is mapped. */
static void memory_checks(void)
{
    long r, i;
    unsigned char vec[8];
    volatile char *p;

    /* mmap's checks, in Linux's order */
    expect("mmap-len-0", sc6(SYS_mmap, 0, 0, PROT_READ, MAP_ANON_PRIVATE, -1, 0), -EINVAL);
    expect("mmap-offset-unaligned", sc6(SYS_mmap, 0, 4096, PROT_READ, MAP_ANON_PRIVATE, -1, 1), -EINVAL);
    expect("mmap-no-type", sc6(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), -EINVAL);
    expect("mmap-bad-type", sc6(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS | 0x6, -1, 0), -EINVAL);
    expect("mmap-len-wraps", sc6(SYS_mmap, 0, -1L, PROT_READ, MAP_ANON_PRIVATE, -1, 0), -ENOMEM);
    expect("mmap-len-past-user-half", sc6(SYS_mmap, 0, 1L << 47, PROT_READ, MAP_ANON_PRIVATE, -1, 0), -ENOMEM);
    expect("mmap-fixed-kernel-half", sc6(SYS_mmap, KERNEL_ADDR, 4096, PROT_READ, MAP_ANON_PRIVATE | MAP_FIXED, -1, 0),
           -ENOMEM);
    expect("mmap-fixed-unaligned", sc6(SYS_mmap, AREA + 1, 4096, PROT_READ, MAP_ANON_PRIVATE | MAP_FIXED, -1, 0),
           -EINVAL);
    expect("mmap-file-bad-fd", sc6(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 99, 0), -EBADF);
    r = sc6(SYS_mmap, AREA + 1, 4096, PROT_READ | PROT_WRITE, MAP_ANON_PRIVATE, -1, 0);
    expect("mmap-unaligned-hint-is-only-a-hint", r, AREA);
    expect("munmap-hint", sc3(SYS_munmap, AREA, 4096, 0), 0);
    r = sc6(SYS_mmap, AREA, 4 * 4096, PROT_READ | PROT_WRITE, MAP_ANON_PRIVATE | MAP_FIXED, -1, 0);
    expect("mmap-fixed", r, AREA);
    p = (volatile char *)AREA;
    p[0] = 'a';
    p[4096] = 'b';

    /* mprotect */
    expect("mprotect-len-0", sc3(SYS_mprotect, AREA, 0, 0x100), 0);
    expect("mprotect-unknown-prot", sc3(SYS_mprotect, AREA, 4096, 0x10), -EINVAL);
    expect("mprotect-unaligned", sc3(SYS_mprotect, AREA + 8, 4096, PROT_READ), -EINVAL);
    expect("mprotect-hole", sc3(SYS_mprotect, AREA, 8 * 4096, PROT_READ | PROT_WRITE), -ENOMEM);
    expect("mprotect-growsdown", sc3(SYS_mprotect, AREA, 4096, PROT_READ | 0x01000000), -EINVAL);
    expect("mprotect-ok", sc3(SYS_mprotect, AREA + 3 * 4096, 4096, PROT_READ), 0);

    /* madvise: unknown advice, and DONTNEED gives zero-filled pages back */
    expect("madvise-advice-5", sc3(SYS_madvise, AREA, 4096, 5), -EINVAL);
    expect("madvise-hole", sc3(SYS_madvise, AREA, 8 * 4096, 0), -ENOMEM);
    expect("madvise-dontneed", sc3(SYS_madvise, AREA, 4096, MADV_DONTNEED), 0);
    check("madvise-dontneed-zeroes", p[0] == 0 && p[4096] == 'b', p[0]);

    /* mincore */
    p[0] = 'c';
    expect("mincore", sc3(SYS_mincore, AREA, 4 * 4096, (long)vec), 0);
    check("mincore-resident", vec[0] == 1 && vec[1] == 1 && vec[2] == 0, vec[2]);
    expect("mincore-unaligned", sc3(SYS_mincore, AREA + 1, 4096, (long)vec), -EINVAL);
    expect("mincore-kernel-half", sc3(SYS_mincore, KERNEL_ADDR, 4096, (long)vec), -ENOMEM);
    expect("mincore-bad-vec", sc3(SYS_mincore, AREA, 4096, KERNEL_ADDR), -EFAULT);
    expect("mincore-hole", sc3(SYS_mincore, AREA, 8 * 4096, (long)vec), -ENOMEM);

    /* msync */
    expect("msync-ok", sc3(SYS_msync, AREA, 4096, 4), 0);
    expect("msync-async-and-sync", sc3(SYS_msync, AREA, 4096, 5), -EINVAL);
    expect("msync-unknown-flag", sc3(SYS_msync, AREA, 4096, 8), -EINVAL);
    expect("msync-hole", sc3(SYS_msync, AREA, 8 * 4096, 4), -ENOMEM);
    expect("msync-kernel-half", sc3(SYS_msync, KERNEL_ADDR, 4096, 4), -ENOMEM);

    /* mlock family */
    expect("mlock-unaligned-ok", sc3(SYS_mlock, AREA + 100, 4096, 0), 0);
    expect("munlock", sc3(SYS_munlock, AREA, 2 * 4096, 0), 0);
    expect("mlock-hole", sc3(SYS_mlock, AREA, 8 * 4096, 0), -ENOMEM);
    expect("mlock-wraps", sc3(SYS_mlock, AREA, -4096L, 0), -EINVAL);
    expect("mlockall-0", sc3(SYS_mlockall, 0, 0, 0), -EINVAL);
    expect("mlockall-onfault-alone", sc3(SYS_mlockall, 4, 0, 0), -EINVAL);
    expect("munlockall", sc3(SYS_munlockall, 0, 0, 0), 0);

    /* mremap: grow in place, move (the data travels), shrink, and Linux's errors */
    expect("mremap-bad-flags", sc6(SYS_mremap, AREA, 4096, 8192, 8, 0, 0), -EINVAL);
    expect("mremap-fixed-needs-maymove", sc6(SYS_mremap, AREA, 4096, 8192, 2, AREA + 0x100000, 0), -EINVAL);
    expect("mremap-new-len-0", sc6(SYS_mremap, AREA, 4096, 0, 0, 0, 0), -EINVAL);
    expect("mremap-unmapped", sc6(SYS_mremap, AREA + 0x800000, 4096, 8192, 1, 0, 0), -EFAULT);
    expect("mremap-old-too-long", sc6(SYS_mremap, AREA, 16 * 4096, 32 * 4096, 1, 0, 0), -EFAULT);
    expect("mremap-grow-in-place", sc6(SYS_mremap, AREA + 3 * 4096, 4096, 3 * 4096, 0, 0, 0), AREA + 3 * 4096);
    r = sc6(SYS_mremap, AREA, 2 * 4096, 64 * 4096, 3, AREA + 0x200000, 0);
    expect("mremap-fixed-move", r, AREA + 0x200000);
    p = (volatile char *)(AREA + 0x200000);
    check("mremap-moved-data", p[0] == 'c' && p[4096] == 'b' && p[63 * 4096] == 0, p[0]);
    expect("mremap-old-gone", sc3(SYS_msync, AREA, 4096, 4), -ENOMEM);
    expect("mremap-shrink", sc6(SYS_mremap, AREA + 0x200000, 64 * 4096, 4096, 0, 0, 0), AREA + 0x200000);
    expect("mremap-kernel-half-target", sc6(SYS_mremap, AREA + 0x200000, 4096, 4096, 3, KERNEL_ADDR, 0), -EINVAL);

    /* Ranges as large as the user half cost what is mapped in them, not their length. */
    expect("munmap-most-of-the-user-half", sc3(SYS_munmap, 0x100000000L, 0x7e0000000000L, 0), 0);
    expect("mprotect-most-of-the-user-half", sc3(SYS_mprotect, 0x100000000L, 0x7e0000000000L, 1), -ENOMEM);
    expect("munmap-rest", sc3(SYS_munmap, AREA, 0x400000, 0), 0);
    for (i = 0; i < 8; i++)
        vec[i] = 0;
}

#define SYS_timer_create 222
#define SYS_timer_settime 223
#define SYS_timer_gettime 224
#define SYS_timer_getoverrun 225
#define SYS_timer_delete 226
#define SYS_rt_sigsuspend 130
#define SIGUSR1 10
#define SIGALRM 14
#define SIGVTALRM 26
#define SA_RESTORER 0x04000000L

/* rt_sigreturn for the handlers below (our libc has no sigaction). */
void sc_restorer(void);
__asm__(".text\n.globl sc_restorer\nsc_restorer:\n\tmov $15, %eax\n\tsyscall\n\thlt\n");

static volatile int signals_seen[65];

static void on_signal(int sig)
{
    signals_seen[sig]++;
}

static long catch_signal(int sig)
{
    long act[4] = {(long)on_signal, SA_RESTORER, (long)sc_restorer, 0};
    return sc6(SYS_rt_sigaction, sig, (long)act, 0, 8, 0, 0);
}

/* Spins until sig has arrived or the budget of loops runs out; returns how many arrived. */
static int spin_for(int sig, long loops)
{
    volatile long i;
    for (i = 0; i < loops && !signals_seen[sig]; i++)
        ;
    return signals_seen[sig];
}

/* alarm, setitimer, getitimer and the POSIX timers: Linux's errno for each bad
 * argument, and signals that arrive (simulated time here, real time on the host). */
static void timer_checks(void)
{
    long itv[4], its[4], sev[8], r;
    int id = -1, id2 = -1, status = 0;

    expect("alarm-none", sc3(SYS_alarm, 0, 0, 0), 0);
    expect("alarm-set", sc3(SYS_alarm, 5, 0, 0), 0);
    expect("alarm-replace-returns-old", sc3(SYS_alarm, 3, 0, 0), 5);
    r = sc3(SYS_fork, 0, 0, 0);
    if (r == 0)
        __syscall(SYS_exit_group, sc3(SYS_alarm, 0, 0, 0) == 0 ? 7 : 8, 0, 0, 0, 0, 0);
    sc6(SYS_wait4, r, (long)&status, 0, 0, 0, 0);
    expect("alarm-not-inherited-by-fork", (status >> 8) & 0xff, 7);
    expect("alarm-cancel-returns-old", sc3(SYS_alarm, 0, 0, 0), 3);

    itv[0] = 0; itv[1] = 0; itv[2] = 0; itv[3] = 1000000;
    expect("setitimer-bad-which", sc3(SYS_setitimer, 3, (long)itv, 0), -EINVAL);
    expect("setitimer-usec-1e6", sc3(SYS_setitimer, 0, (long)itv, 0), -EINVAL);
    itv[3] = 0; itv[2] = -1;
    expect("setitimer-negative-sec", sc3(SYS_setitimer, 0, (long)itv, 0), -EINVAL);
    expect("setitimer-bad-ptr", sc3(SYS_setitimer, 0, KERNEL_ADDR, 0), -EFAULT);
    expect("setitimer-bad-ptr-before-which", sc3(SYS_setitimer, 9, KERNEL_ADDR, 0), -EFAULT);
    expect("getitimer-bad-which", sc3(SYS_getitimer, -1, (long)itv, 0), -EINVAL);
    expect("getitimer-bad-ptr", sc3(SYS_getitimer, 0, KERNEL_ADDR, 0), -EFAULT);

    /* ITIMER_REAL: a periodic 20 ms timer; getitimer reports it; SIGALRM arrives. */
    catch_signal(SIGALRM);
    itv[0] = 0; itv[1] = 20000; itv[2] = 0; itv[3] = 20000;
    expect("setitimer-real", sc3(SYS_setitimer, 0, (long)itv, 0), 0);
    itv[0] = itv[1] = itv[2] = itv[3] = -1;
    expect("getitimer-real", sc3(SYS_getitimer, 0, (long)itv, 0), 0);
    check("getitimer-real-values", itv[0] == 0 && itv[1] == 20000 && itv[2] == 0 && itv[3] > 0 && itv[3] <= 20000,
          itv[3]);
    expect("pause-until-sigalrm", sc3(SYS_pause, 0, 0, 0), -EINTR);
    check("sigalrm-arrived", signals_seen[SIGALRM] >= 1, signals_seen[SIGALRM]);
    itv[0] = itv[1] = itv[2] = itv[3] = 0;
    expect("setitimer-off-old-value", sc3(SYS_setitimer, 0, (long)itv, (long)its), 0);
    check("setitimer-old-interval", its[0] == 0 && its[1] == 20000, its[1]);

    /* ITIMER_VIRTUAL counts only the time this process runs. */
    catch_signal(SIGVTALRM);
    itv[0] = 0; itv[1] = 0; itv[2] = 0; itv[3] = 10000;
    expect("setitimer-virtual", sc3(SYS_setitimer, 1, (long)itv, 0), 0);
    check("sigvtalrm-arrived", spin_for(SIGVTALRM, 4000000000L) == 1, signals_seen[SIGVTALRM]);

    /* POSIX timers */
    expect("timer_create-bad-clock", sc3(SYS_timer_create, 99, 0, (long)&id), -EINVAL);
    expect("timer_create-raw-clock", sc3(SYS_timer_create, 4, 0, (long)&id), -95);
    expect("timer_create-bad-sigevent-ptr", sc3(SYS_timer_create, 1, KERNEL_ADDR, (long)&id), -EFAULT);
    sev[0] = 42; sev[1] = (long)SIGUSR1 | 7L << 32;
    expect("timer_create-bad-notify", sc3(SYS_timer_create, 1, (long)sev, (long)&id), -EINVAL);
    sev[1] = 0;
    expect("timer_create-signal-0", sc3(SYS_timer_create, 1, (long)sev, (long)&id), -EINVAL);
    sev[1] = 65;
    expect("timer_create-signal-65", sc3(SYS_timer_create, 1, (long)sev, (long)&id), -EINVAL);
    expect("timer_create-bad-id-ptr", sc3(SYS_timer_create, 1, 0, KERNEL_ADDR), -EFAULT);
    expect("timer_create-default", sc3(SYS_timer_create, 1, 0, (long)&id), 0);
    sev[1] = (long)SIGUSR1;
    expect("timer_create-sigusr1", sc3(SYS_timer_create, 0, (long)sev, (long)&id2), 0);
    check("timer-ids-differ", id >= 0 && id2 >= 0 && id != id2, id2);
    expect("timer_settime-null", sc6(SYS_timer_settime, id2, 0, 0, 0, 0, 0), -EINVAL);
    its[0] = 0; its[1] = 0; its[2] = 0; its[3] = 1000000000L;
    expect("timer_settime-nsec-1e9", sc6(SYS_timer_settime, id2, 0, (long)its, 0, 0, 0), -EINVAL);
    its[3] = 10000000;
    expect("timer_settime-bad-id", sc6(SYS_timer_settime, 12345, 0, (long)its, 0, 0, 0), -EINVAL);
    expect("timer_settime-bad-ptr", sc6(SYS_timer_settime, id2, 0, KERNEL_ADDR, 0, 0, 0), -EFAULT);
    catch_signal(SIGUSR1);
    expect("timer_settime", sc6(SYS_timer_settime, id2, 0, (long)its, 0, 0, 0), 0);
    its[0] = its[1] = its[2] = its[3] = -1;
    expect("timer_gettime", sc3(SYS_timer_gettime, id2, (long)its, 0), 0);
    check("timer_gettime-values", its[0] == 0 && its[1] == 0 && its[2] == 0 && its[3] > 0 && its[3] <= 10000000,
          its[3]);
    expect("pause-until-timer-signal", sc3(SYS_pause, 0, 0, 0), -EINTR);
    check("timer-signal-arrived", signals_seen[SIGUSR1] == 1, signals_seen[SIGUSR1]);
    expect("timer_getoverrun", sc3(SYS_timer_getoverrun, id2, 0, 0), 0);
    expect("timer_gettime-bad-id", sc3(SYS_timer_gettime, -1, (long)its, 0), -EINVAL);
    expect("timer_gettime-bad-ptr", sc3(SYS_timer_gettime, id2, KERNEL_ADDR, 0), -EFAULT);
    expect("timer_delete", sc3(SYS_timer_delete, id2, 0, 0), 0);
    expect("timer_delete-again", sc3(SYS_timer_delete, id2, 0, 0), -EINVAL);
    expect("timer_getoverrun-deleted", sc3(SYS_timer_getoverrun, id2, 0, 0), -EINVAL);
    expect("timer_delete-default", sc3(SYS_timer_delete, id, 0, 0), 0);
}

/* read, write and the iovec calls: Linux checks the whole buffer (access_ok) before
 * moving a byte, copies the iovec array at once, and takes descriptors and syscall
 * numbers as 32-bit ints. */
static void io_checks(void)
{
    int p[2] = {-1, -1};
    long iov[6], r;
    char buf[16] = {0};

    expect("pipe-for-io", sc3(SYS_pipe, (long)p, 0, 0), 0);
    expect("write-len-minus-1", sc3(SYS_write, p[1], (long)buf, -1), -EFAULT);
    expect("read-len-minus-1", sc3(SYS_read, p[0], (long)buf, -1), -EFAULT);
    expect("read-len-past-user-half", sc3(SYS_read, p[0], (long)buf, 0x7fffffffffffL), -EFAULT);
    expect("read-kernel-ptr-len-0", sc3(SYS_read, p[0], KERNEL_ADDR, 0), -EFAULT);
    expect("write-4", sc3(SYS_write, p[1], (long)"abcd", 4), 4);
    /* readv: a later segment in the kernel half fails the whole call, and nothing is read */
    iov[0] = (long)buf; iov[1] = 2; iov[2] = KERNEL_ADDR; iov[3] = 2;
    expect("readv-bad-segment-first", sc3(SYS_readv, p[0], (long)iov, 2), -EFAULT);
    iov[3] = -1;
    expect("readv-negative-len", sc3(SYS_readv, p[0], (long)iov, 2), -EINVAL);
    expect("readv-1025", sc3(SYS_readv, p[0], (long)iov, 1025), -EINVAL);
    expect("readv-count-minus-1", sc3(SYS_readv, p[0], (long)iov, -1), -EINVAL);
    expect("readv-0", sc3(SYS_readv, p[0], (long)iov, 0), 0);
    expect("readv-array-unreadable", sc3(SYS_readv, p[0], KERNEL_ADDR, 1), -EFAULT);
    /* the array is copied whole: an unreadable second entry beats a bad first length */
    iov[1] = -1;
    expect("readv-array-before-lengths", sc3(SYS_readv, p[0], (long)(0x7ffffffff000L - 16), 2), -EFAULT);
    iov[1] = 2; iov[3] = 2; iov[2] = (long)(buf + 2);
    r = sc3(SYS_readv, p[0] | 0x100000000L, (long)iov, 2);
    expect("readv-fd-high-bits-ignored", r, 4);
    check("readv-data-untouched-before", buf[0] == 'a' && buf[3] == 'd', buf[0]);
    expect("writev-1025", sc3(SYS_writev, p[1], (long)iov, 1025), -EINVAL);
    iov[0] = (long)"xy"; iov[1] = 2; iov[2] = KERNEL_ADDR; iov[3] = 1;
    expect("writev-bad-segment", sc3(SYS_writev, p[1], (long)iov, 2), -EFAULT);
    expect("syscall-number-is-an-int", sc3(0x100000000L | SYS_getpid, 0, 0, 0), sc3(SYS_getpid, 0, 0, 0));
    /* A pipe moves nothing through a buffer that runs into an unmapped page (Linux's
     * pipe_read and pipe_write give EFAULT and leave the data where it was). */
    sc6(SYS_mmap, AREA, 2 * 4096, PROT_READ | PROT_WRITE, MAP_ANON_PRIVATE | MAP_FIXED, -1, 0);
    sc3(SYS_munmap, AREA + 4096, 4096, 0);
    expect("write-straddling-unmapped", sc3(SYS_write, p[1], AREA + 4094, 8), -EFAULT);
    expect("write-rst", sc3(SYS_write, p[1], (long)"rst", 3), 3);
    expect("read-straddling-unmapped", sc3(SYS_read, p[0], AREA + 4094, 8), -EFAULT);
    expect("read-at-unmapped", sc3(SYS_read, p[0], AREA + 4096, 8), -EFAULT);
    expect("read-all-still-there", sc3(SYS_read, p[0], (long)buf, 8), 3);
    sc3(SYS_munmap, AREA, 4096, 0);
    sc3(SYS_close, p[0], 0, 0);
    sc3(SYS_close, p[1], 0, 0);
    /* The open file's mode comes first: a descriptor not open for reading (writing) is
     * EBADF whatever the buffer, as vfs_read and vfs_write check FMODE before access_ok. */
    expect("pipe-for-modes", sc3(SYS_pipe, (long)p, 0, 0), 0);
    expect("read-write-end-bad-buf", sc3(SYS_read, p[1], KERNEL_ADDR, 8), -EBADF);
    expect("write-read-end-bad-buf", sc3(SYS_write, p[0], KERNEL_ADDR, 8), -EBADF);
    expect("readv-write-end-bad-iov", sc3(SYS_readv, p[1], KERNEL_ADDR, 1), -EBADF);
    sc3(SYS_close, p[0], 0, 0);
    sc3(SYS_close, p[1], 0, 0);
    p[0] = (int)sc3(SYS_open, (long)"/dev/null", 1 /* O_WRONLY */, 0);
    expect("read-wronly-dev-null-bad-buf", sc3(SYS_read, p[0], KERNEL_ADDR, 8), -EBADF);
    sc3(SYS_close, p[0], 0, 0);
    p[0] = (int)sc3(SYS_open, (long)"/proc/meminfo", 0, 0);
    expect("write-rdonly-proc-bad-buf", sc3(SYS_write, p[0], KERNEL_ADDR, 8), -EBADF);
    sc3(SYS_close, p[0], 0, 0);
    p[0] = (int)sc3(SYS_open, (long)"/etc/passwd", 0, 0);
    expect("write-rdonly-file-minus-1", sc3(SYS_write, p[0], (long)buf, -1), -EBADF);
    sc3(SYS_close, p[0], 0, 0);
    /* A generated /proc file read past its end is at end of file (the microkernel
     * campaign's find: lseek past the text, then read, was a Java exception, a panic). */
    p[0] = (int)sc3(SYS_open, (long)"/proc/meminfo", 0, 0);
    expect("proc-lseek-past-end", sc3(SYS_lseek, p[0], 1 << 20, 0), 1 << 20);
    expect("proc-read-past-end", sc3(SYS_read, p[0], (long)buf, sizeof buf), 0);
    sc3(SYS_close, p[0], 0, 0);
    /* sendfile moves at most MAX_RW_COUNT per call (the microkernel campaign's find:
     * /dev/zero to /dev/null with a count near 2^62 never came back). */
    p[0] = (int)sc3(SYS_open, (long)"/dev/zero", 0, 0);
    p[1] = (int)sc3(SYS_open, (long)"/dev/null", 1 /* O_WRONLY */, 0);
    expect("sendfile-huge-count", sc6(SYS_sendfile, p[1], p[0], 0, 0x4000000000000000L, 0, 0), 0x7ffff000L);
    sc3(SYS_close, p[0], 0, 0);
    sc3(SYS_close, p[1], 0, 0);
}

#define AT_FDCWD -100
#define SYS_newfstatat_ 262
#define SYS_unlinkat_ 263
#define SYS_fchownat_ 260
#define SYS_utimensat_ 280
#define SYS_renameat2_ 316
#define SYS_ppoll_ 271
#define SYS_symlink_ 88
#define SYS_getpgid_ 121
#define SYS_getsid_ 124
#define SYS_setresuid_ 117
#define SYS_setreuid_ 113
#define SYS_getgroups_ 115
#define O_RDONLY_ 0
#define O_CREAT_ 0100
#define O_WRONLY_ 1

static char big[140000];

/* Runs fn in a child and returns its exit status (or 128 + signal). */
static int in_child(long (*fn)(void))
{
    int status = 0;
    long pid = sc3(SYS_fork, 0, 0, 0);
    if (pid == 0)
        __syscall(SYS_exit_group, fn(), 0, 0, 0, 0, 0);
    sc6(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
    return (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
}

static long exec_long_arg(void)
{
    char *argv[3] = {"true", big, 0};
    long i;
    for (i = 0; i < 131072; i++)
        big[i] = 'x';
    big[131072] = 0;
    return -__syscall(SYS_execve, (long)"/bin/true", (long)argv, 0, 0, 0, 0);
}

static long exec_many_args(void)
{
    static char *argv[5002];
    long i;
    for (i = 0; i < 5001; i++)
        argv[i] = "a";
    argv[5001] = 0;
    return -__syscall(SYS_execve, (long)"/bin/true", (long)argv, 0, 0, 0, 0);
}

static long exec_missing_with_bad_argv(void)
{
    return -__syscall(SYS_execve, (long)"/nonexistent/x", KERNEL_ADDR, KERNEL_ADDR, 0, 0, 0);
}

static long setpgid_to_nobody(void)
{
    return -sc3(SYS_setpgid, 0, 0x7ffffff0, 0);
}

/* The argument checks at the top of the other handlers, in Linux's order. */
static void arg_checks(void)
{
    long r, act[4] = {0, 0, 0, 0}, set = 0, ts[4] = {0, 1000000000L, 0, 0};
    int p[2];
    char cwd[256], name[64], name2[64];

    /* signals and processes */
    expect("kill-int-min", sc3(SYS_kill, -0x80000000L, 0, 0), -ESRCH);
    expect("kill-nobody-bad-signal", sc3(SYS_kill, 0x7fffffff, 65, 0), -ESRCH);
    expect("kill-self-bad-signal", sc3(SYS_kill, sc3(SYS_getpid, 0, 0, 0), 65, 0), -EINVAL);
    expect("kill-signal-is-an-int", sc3(SYS_kill, sc3(SYS_getpid, 0, 0, 0), 0x100000000L, 0), 0);
    expect("tgkill-wrong-group", sc3(SYS_tgkill, 0x7fffffff, sc3(SYS_getpid, 0, 0, 0), 0), -ESRCH);
    expect("rt_sigaction-query-sigkill", sc6(SYS_rt_sigaction, 9, 0, (long)act, 8, 0, 0), 0);
    expect("rt_sigaction-set-sigkill", sc6(SYS_rt_sigaction, 9, (long)act, 0, 8, 0, 0), -EINVAL);
    expect("rt_sigaction-size-first", sc6(SYS_rt_sigaction, 99, KERNEL_ADDR, 0, 4, 0, 0), -EINVAL);
    expect("rt_sigaction-copy-before-signal", sc6(SYS_rt_sigaction, 99, KERNEL_ADDR, 0, 8, 0, 0), -EFAULT);
    expect("rt_sigaction-signal-0", sc6(SYS_rt_sigaction, 0, 0, 0, 8, 0, 0), -EINVAL);
    expect("rt_sigprocmask-bad-how-no-set", sc6(SYS_rt_sigprocmask, 99, 0, 0, 8, 0, 0), 0);
    expect("rt_sigprocmask-bad-how", sc6(SYS_rt_sigprocmask, 99, (long)&set, 0, 8, 0, 0), -EINVAL);
    expect("rt_sigprocmask-bad-set", sc6(SYS_rt_sigprocmask, 0, KERNEL_ADDR, 0, 8, 0, 0), -EFAULT);
    expect("wait4-unknown-option", sc6(SYS_wait4, -1, 0, 0x10, 0, 0, 0), -EINVAL);
    expect("wait4-int-min", sc6(SYS_wait4, -0x80000000L, 0, 1, 0, 0, 0), -ESRCH);
    expect("getpgid-negative", sc3(SYS_getpgid_, -1, 0, 0), -ESRCH);
    expect("getsid-negative", sc3(SYS_getsid_, -1, 0, 0), -ESRCH);
    expect("setpgid-negative-group", sc3(SYS_setpgid, 0, -1, 0), -EINVAL);
    expect("setpgid-nobody", sc3(SYS_setpgid, 0x7fffffff, 0, 0), -ESRCH);
    expect("setpgid-to-missing-group", in_child(setpgid_to_nobody), EPERM);

    /* credentials: -1 is no id */
    expect("setuid-minus-1", sc3(SYS_setuid, -1, 0, 0), -EINVAL);
    expect("setgid-minus-1", sc3(SYS_setgid, -1, 0, 0), -EINVAL);
    expect("setreuid-unchanged", sc3(SYS_setreuid_, -1, -1, 0), 0);
    expect("setresuid-unchanged", sc3(SYS_setresuid_, -1, -1, -1), 0);
    expect("getgroups-negative", sc3(SYS_getgroups_, -1, 0, 0), -EINVAL);

    /* descriptors */
    expect("fcntl-dupfd-negative", sc3(SYS_fcntl, 0, 0, -1), -EINVAL);
    expect("fcntl-dupfd-past-limit", sc3(SYS_fcntl, 0, 0, 1 << 20), -EINVAL);
    r = sc3(SYS_fcntl, 0, 0, 0x100000000L | 40);
    check("fcntl-dupfd-arg-is-an-int", r >= 40 && r < 64, r);
    sc3(SYS_close, r, 0, 0);
    expect("pipe2-unknown-flag", sc3(SYS_pipe2, (long)p, 1, 0), -EINVAL);
    expect("pipe2-o-direct", sc3(SYS_pipe2, (long)p, 040000, 0), 0);
    sc3(SYS_close, p[0], 0, 0);
    sc3(SYS_close, p[1], 0, 0);

    /* paths and flags at the top of the file-system calls */
    expect("newfstatat-unknown-flag", sc6(SYS_newfstatat_, AT_FDCWD, (long)"/", (long)big, 1, 0, 0), -EINVAL);
    expect("unlinkat-unknown-flag", sc6(SYS_unlinkat_, AT_FDCWD, (long)"/nonexistent", 1, 0, 0, 0), -EINVAL);
    expect("fchownat-unknown-flag", sc6(SYS_fchownat_, AT_FDCWD, (long)"/nonexistent", -1, -1, 1, 0), -EINVAL);
    expect("utimensat-unknown-flag", sc6(SYS_utimensat_, AT_FDCWD, (long)"/nonexistent", 0, 1, 0, 0), -EINVAL);
    expect("utimensat-path-before-nsec", sc6(SYS_utimensat_, AT_FDCWD, (long)"/nonexistent", (long)ts, 0, 0, 0),
           -ENOENT);
    expect("utimensat-bad-nsec", sc6(SYS_utimensat_, AT_FDCWD, (long)"/tmp", (long)ts, 0, 0, 0), -EINVAL);
    expect("utimensat-bad-times-ptr", sc6(SYS_utimensat_, AT_FDCWD, (long)"/nonexistent", KERNEL_ADDR, 0, 0, 0),
           -EFAULT);
    expect("renameat2-unknown-flag", sc6(SYS_renameat2_, AT_FDCWD, (long)"/nonexistent", AT_FDCWD, (long)"/x", 8, 0),
           -EINVAL);
    expect("renameat2-noreplace-and-exchange",
           sc6(SYS_renameat2_, AT_FDCWD, (long)"/nonexistent", AT_FDCWD, (long)"/x", 3, 0), -EINVAL);
    snprintf(name, sizeof name, "/tmp/sc-%ld-a", sc3(SYS_getpid, 0, 0, 0));
    snprintf(name2, sizeof name2, "/tmp/sc-%ld-b", sc3(SYS_getpid, 0, 0, 0));
    sc3(SYS_close, sc3(SYS_open, (long)name, O_CREAT_ | O_WRONLY_, 0600), 0, 0);
    sc3(SYS_close, sc3(SYS_open, (long)name2, O_CREAT_ | O_WRONLY_, 0600), 0, 0);
    expect("renameat2-noreplace-exists", sc6(SYS_renameat2_, AT_FDCWD, (long)name, AT_FDCWD, (long)name2, 1, 0),
           -EEXIST);
    expect("unlink-b", sc3(SYS_unlink, (long)name2, 0, 0), 0);
    expect("renameat2-noreplace", sc6(SYS_renameat2_, AT_FDCWD, (long)name, AT_FDCWD, (long)name2, 1, 0), 0);
    expect("unlink-renamed", sc3(SYS_unlink, (long)name2, 0, 0), 0);
    r = sc3(SYS_getcwd, (long)cwd, -1, 0);
    check("getcwd-size-is-unsigned", r > 0, r);
    expect("getcwd-size-0", sc3(SYS_getcwd, (long)cwd, 0, 0), -ERANGE);
    for (r = 0; r < 4096; r += 2) {
        big[r] = (char)0xc3;
        big[r + 1] = (char)0xa9;
    }
    big[4096] = 0;
    expect("open-4096-utf8-bytes", sc3(SYS_open, (long)big, O_RDONLY_, 0), -ENAMETOOLONG);
    r = sc6(SYS_mmap, AREA, 2 * 4096, PROT_READ | PROT_WRITE, MAP_ANON_PRIVATE | MAP_FIXED, -1, 0);
    sc3(SYS_munmap, AREA + 4096, 4096, 0);
    for (r = 0; r < 4096; r++)
        ((char *)AREA)[r] = 'a';
    /* 4096 readable bytes without a NUL are too long before the unmapped page is reached */
    expect("open-4096-bytes-then-unmapped", sc3(SYS_open, AREA, O_RDONLY_, 0), -ENAMETOOLONG);
    expect("open-path-runs-into-unmapped-late", sc3(SYS_open, AREA + 4000, O_RDONLY_, 0), -EFAULT);
    sc3(SYS_munmap, AREA, 4096, 0);

    /* time and randomness */
    expect("gettimeofday-bad-tz", sc3(SYS_gettimeofday, (long)ts, KERNEL_ADDR, 0), -EFAULT);
    expect("getrandom-unknown-flag", sc3(SYS_getrandom, (long)cwd, 8, 8), -EINVAL);
    expect("getrandom-insecure-and-random", sc3(SYS_getrandom, (long)cwd, 8, 6), -EINVAL);
    expect("ppoll-sigset-size", sc6(SYS_ppoll_, 0, 0, (long)(ts + 2), (long)&set, 4, 0), -EINVAL);
    expect("ppoll-bad-sigset", sc6(SYS_ppoll_, 0, 0, (long)(ts + 2), KERNEL_ADDR, 8, 0), -EFAULT);
    expect("poll-nfds-is-unsigned-int", sc3(SYS_poll, 0, 0x100000000L, 0), 0);
    expect("symlink-empty-target", sc3(SYS_symlink_, (long)"", (long)name, 0), -ENOENT);

    /* execve: the path before argv, E2BIG for a string over 128 KiB, no limit on how many */
    expect("execve-path-before-argv", in_child(exec_missing_with_bad_argv), ENOENT);
    expect("execve-arg-over-128k", in_child(exec_long_arg), E2BIG);
    expect("execve-5000-args", in_child(exec_many_args), 0);
}

/* ppoll's sigmask is the mask during the wait: a blocked SIGUSR1 already pending, which
 * the new mask lets in, interrupts the call at once and its handler runs; afterwards, and
 * after a ppoll that just timed out, the caller's own mask is back. */
static void ppoll_mask_checks(void)
{
    long block = 1L << (SIGUSR1 - 1), none = 0, old = -1, start = 0, ts[2] = {5, 0}, shortts[2] = {0, 1000000};

    catch_signal(SIGUSR1);
    signals_seen[SIGUSR1] = 0;
    /* the mask this process started with (a parent may have blocked some, as a JVM does) */
    sc6(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)&block, (long)&start, 8, 0, 0);
    block |= start;
    sc3(SYS_kill, sc3(SYS_getpid, 0, 0, 0), SIGUSR1, 0);
    check("ppoll-signal-held-by-mask", signals_seen[SIGUSR1] == 0, signals_seen[SIGUSR1]);
    expect("ppoll-mask-lets-pending-signal-in", sc6(SYS_ppoll_, 0, 0, (long)ts, (long)&none, 8, 0), -EINTR);
    check("ppoll-handler-ran", signals_seen[SIGUSR1] == 1, signals_seen[SIGUSR1]);
    sc6(SYS_rt_sigprocmask, 0, 0, (long)&old, 8, 0, 0);
    expect("ppoll-mask-restored-after-signal", old, block);
    expect("ppoll-timeout-with-mask", sc6(SYS_ppoll_, 0, 0, (long)shortts, (long)&none, 8, 0), 0);
    old = -1;
    sc6(SYS_rt_sigprocmask, 0, 0, (long)&old, 8, 0, 0);
    expect("ppoll-mask-restored-after-timeout", old, block);
    block = 1L << (SIGUSR1 - 1);
    sc6(SYS_rt_sigprocmask, 1 /* SIG_UNBLOCK */, (long)&block, 0, 8, 0, 0);
}

/* After fork a private page is shared copy-on-write; no mprotect may make the shared
 * frame writable, or a child writes into its parent's memory (the page-table checker's
 * find: "writable page shares frame"). */
static volatile char *cow_page;

static long cow_child_reprotects(void)
{
    sc3(SYS_mprotect, (long)cow_page, 4096, PROT_READ);
    sc3(SYS_mprotect, (long)cow_page, 4096, PROT_READ | PROT_WRITE);
    cow_page[0] = 'c';
    return cow_page[0] == 'c' ? 0 : 1;
}

static void cow_checks(void)
{
    cow_page = (volatile char *)sc6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_ANON_PRIVATE, -1, 0);
    cow_page[0] = 'p';
    expect("cow-writable-page-child-reprotects", in_child(cow_child_reprotects), 0);
    check("cow-parent-page-untouched", cow_page[0] == 'p', cow_page[0]);
    sc3(SYS_mprotect, (long)cow_page, 4096, PROT_READ);
    expect("cow-read-only-page-child-reprotects", in_child(cow_child_reprotects), 0);
    check("cow-parent-read-only-page-untouched", cow_page[0] == 'p', cow_page[0]);
    sc3(SYS_munmap, (long)cow_page, 4096, 0);
}

/* Signal handlers the CPU cannot return to: a non-canonical one would make IRET fault in
 * ring 0; the task dies of SIGSEGV instead (Linux's bad_iret), and the kernel goes on. */
static void handler_checks(void)
{
    static const long bad[] = {0x0000800000000000L, (long)0x8000000000000000UL, 0x0000888000000000L};
    int i, status;
    long pid;
    for (i = 0; i < 3; i++) {
        pid = sc3(SYS_fork, 0, 0, 0);
        if (pid == 0) {
            long act[4] = {bad[i], SA_RESTORER, (long)sc_restorer, 0};
            sc6(SYS_rt_sigaction, SIGUSR1, (long)act, 0, 8, 0, 0);
            sc3(SYS_kill, sc3(SYS_getpid, 0, 0, 0), SIGUSR1, 0);
            __syscall(SYS_exit_group, 3, 0, 0, 0, 0, 0);
        }
        status = 0;
        sc6(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
        expect("noncanonical-handler-segv", status & 0x7f, 11);
    }
}

int main(void)
{
    static const char msg[] = "";
    long r, cur, grown, i;
    volatile unsigned char *mem;
    int zero = 1;

    /* write/read with unusable buffers */
    expect("write-bad-ptr-0x1", sc3(SYS_write, 1, 0x1, 8), -EFAULT);
    expect("write-kernel-ptr", sc3(SYS_write, 1, KERNEL_ADDR, 8), -EFAULT);
    expect("read-kernel-ptr", sc3(SYS_read, 0, KERNEL_ADDR, 8), -EFAULT);
    expect("uname-bad-ptr-0x8", sc3(SYS_uname, 0x8, 0, 0), -EFAULT);
    expect("uname-kernel-ptr", sc3(SYS_uname, KERNEL_ADDR, 0, 0), -EFAULT);

    /* bad descriptors */
    expect("write-bad-fd-99", sc3(SYS_write, 99, (long)msg, 0), -EBADF);
    expect("read-bad-fd-99", sc3(SYS_read, 99, (long)&zero, 1), -EBADF);
    errno = 0;
    r = write(99, msg, 1);
    check("libc-errno-ebadf", r == -1 && errno == EBADF, errno);

    /* unknown system calls */
    expect("unknown-500", sc3(500, 0, 0, 0), -ENOSYS);
    expect("unknown-minus-1", sc3(-1, 0, 0, 0), -ENOSYS);

    /* identity */
    r = sc3(SYS_getpid, 0, 0, 0);
    check("getpid-positive", r > 0, r);

    /* brk */
    cur = sc3(SYS_brk, 0, 0, 0);
    check("brk-query", cur > 0 && cur < 0x800000000000L, cur);
    expect("brk-query-stable", sc3(SYS_brk, 0, 0, 0), cur);
    grown = sc3(SYS_brk, cur + 64 * KiB, 0, 0);
    expect("brk-grow-64k", grown, cur + 64 * KiB);
    if (grown == cur + 64 * KiB) {
        mem = (volatile unsigned char *)cur;
        for (i = 0; i < 64 * KiB; i++)
            if (mem[i] != 0)
                zero = 0;
        check("brk-zero-filled", zero, 0);
        for (i = 0; i < 64 * KiB; i++)
            mem[i] = (unsigned char)(i * 7);
        for (i = 0; i < 64 * KiB; i++)
            if (mem[i] != (unsigned char)(i * 7))
                break;
        check("brk-writable", i == 64 * KiB, i);
        expect("brk-shrink", sc3(SYS_brk, cur, 0, 0), cur);
    }
    expect("brk-huge-unchanged", sc3(SYS_brk, 0x7ffffffff000L + 64 * KiB, 0, 0),
           sc3(SYS_brk, 0, 0, 0));

    expect("brk-wrapping-unchanged", sc3(SYS_brk, -4096L + 1, 0, 0), sc3(SYS_brk, 0, 0, 0));

    /* ranges that leave the user half, wrap around or are not canonical: EINVAL,
     * before anything is touched (the fuzzer's first kernel panic) */
    expect("munmap-huge-len", sc3(SYS_munmap, 0x10000000L, 0x3b6067aae890269dL, 0), -EINVAL);
    expect("munmap-wraps", sc3(SYS_munmap, 0x10000000L, -0x1000L, 0), -EINVAL);
    expect("munmap-kernel-half", sc3(SYS_munmap, KERNEL_ADDR, 4096, 0), -EINVAL);
    expect("munmap-noncanonical", sc3(SYS_munmap, 0x0000888000000000L, 4096, 0), -EINVAL);
    /* Linux: mprotect and madvise report a range with nothing mapped (the kernel half
     * included) as ENOMEM; a length that wraps is ENOMEM for mprotect, EINVAL for madvise.
     * (A range starting in a hole changes nothing; one starting on a mapping would change
     * the VMAs before the first hole, as Linux does, so these start in holes.) */
    expect("mprotect-huge-len", sc3(SYS_mprotect, 0x10000000L, 0x3b6067aae890269dL, 1), -ENOMEM);
    expect("mprotect-kernel-half", sc3(SYS_mprotect, KERNEL_ADDR, 4096, 1), -ENOMEM);
    expect("mprotect-wraps", sc3(SYS_mprotect, 0x400000L, -0x400000L, 1), -ENOMEM);
    expect("madvise-kernel-half", sc3(SYS_madvise, KERNEL_ADDR, 4096, 0), -ENOMEM);
    expect("madvise-wraps", sc3(SYS_madvise, 0x400000L, -0x1000L, 0), -EINVAL);
    check("still-alive-after-bad-ranges", sc3(SYS_getpid, 0, 0, 0) > 0, 0);

    memory_checks();
    timer_checks();
    handler_checks();
    io_checks();
    arg_checks();
    ppoll_mask_checks();
    cow_checks();

    if (failures) {
        printf("syscalls: %d check(s) failed\n", failures);
        return 1;
    }
    printf("syscalls: all checks passed\n");
    return 0;
}

/*
 * What an event loop waits on besides sockets: timerfd (one-shot, periodic, absolute,
 * disarmed; read, poll and epoll), signalfd (blocked signals read as records, a new
 * mask, SIGCHLD) and clock_getres, with the errors Linux gives for bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *err(long r)
{
    return r < 0 ? strerror(errno) : "ok";
}

static void nap(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void clocks(void)
{
    struct timespec r;
    int ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
    for (int i = 0; i < 5; i++) {
        clock_getres(ids[i], &r);
        printf("clock_getres %d: %ld s %ld ns\n", ids[i], (long)r.tv_sec, r.tv_nsec);
    }
    clock_getres(CLOCK_MONOTONIC_COARSE, &r);
    printf("coarse: a tick of 1-10 ms: %d\n", r.tv_sec == 0 && r.tv_nsec >= 1000000 && r.tv_nsec <= 10000000);
    errno = 0;
    printf("bad clock: %s\n", err(syscall(SYS_clock_getres, 100, &r)));
    printf("null res: %ld\n", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
}

static void timers(void)
{
    int tf = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, {0, 50000000}}, cur;
    timerfd_settime(tf, 0, &its, NULL);
    timerfd_gettime(tf, &cur);
    printf("one-shot armed: interval %ld, left in (0, 50 ms]: %d\n", cur.it_interval.tv_nsec,
           cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 50000000);
    uint64_t n = 0;
    long r = read(tf, &n, sizeof n);
    printf("blocking read: %ld bytes, %llu expiry\n", r, (unsigned long long)n);
    timerfd_gettime(tf, &cur);
    printf("after it: %ld s %ld ns left\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
    fcntl(tf, F_SETFL, O_NONBLOCK);
    errno = 0;
    printf("nothing to read: %s\n", err(read(tf, &n, sizeof n)));
    errno = 0;
    printf("short buffer: %s\n", err(read(tf, &n, 4)));

    struct itimerspec periodic = {{0, 20000000}, {0, 20000000}}, old;
    timerfd_settime(tf, 0, &periodic, NULL);
    nap(110);
    read(tf, &n, sizeof n);
    printf("periodic 20 ms, 110 ms later: 4-7 expiries: %d\n", n >= 4 && n <= 7);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 77}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, tf, &ev);
    int k = epoll_wait(ep, &out, 1, 1000);
    printf("epoll_wait: %d ready, data %u\n", k, out.data.u32);
    struct itimerspec off = {{0, 0}, {0, 0}};
    timerfd_settime(tf, 0, &off, &old);
    printf("disarmed; old interval %ld ns\n", old.it_interval.tv_nsec);
    timerfd_gettime(tf, &cur);
    printf("disarmed reads %ld %ld %ld %ld\n", (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec,
           (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
    struct pollfd p = {.fd = tf, .events = POLLIN};
    printf("poll after disarm: %d\n", poll(&p, 1, 30));

    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct itimerspec past = {{0, 0}, {now.tv_sec > 1 ? now.tv_sec - 1 : 0, 1}};
    timerfd_settime(tf, TFD_TIMER_ABSTIME, &past, NULL);
    n = 0;
    r = read(tf, &n, sizeof n);
    printf("absolute time already past: %ld bytes, %llu expiry\n", r, (unsigned long long)n);
    close(tf);
    close(ep);

    int pfd[2];
    pipe(pfd);
    errno = 0;
    printf("create bad clock: %s\n", err(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0)));
    errno = 0;
    printf("create bad flags: %s\n", err(timerfd_create(CLOCK_MONOTONIC, 1)));
    errno = 0;
    printf("settime on a pipe: %s\n", err(timerfd_settime(pfd[0], 0, &its, NULL)));
    errno = 0;
    printf("settime on a bad fd: %s\n", err(timerfd_settime(99, 0, &its, NULL)));
    tf = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
    printf("cloexec: %d, nonblock: %d\n", (fcntl(tf, F_GETFD) & FD_CLOEXEC) != 0, (fcntl(tf, F_GETFL) & O_NONBLOCK) != 0);
    errno = 0;
    printf("settime bad flags: %s\n", err(timerfd_settime(tf, 4, &its, NULL)));
    struct itimerspec bad = {{0, 0}, {0, 1000000000}};
    errno = 0;
    printf("settime bad nsec: %s\n", err(timerfd_settime(tf, 0, &bad, NULL)));
    errno = 0;
    printf("settime bad pointer: %s\n", err(timerfd_settime(tf, 0, (void *)8, NULL)));
    close(tf);
}

static void signals(void)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGUSR2);
    sigaddset(&m, SIGCHLD);
    sigprocmask(SIG_BLOCK, &m, NULL);
    int sf = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
    struct signalfd_siginfo si[2];
    errno = 0;
    printf("signalfd nothing pending: %s\n", err(read(sf, si, sizeof si)));
    raise(SIGUSR2);
    raise(SIGUSR1);
    struct pollfd p = {.fd = sf, .events = POLLIN};
    int ready = poll(&p, 1, 0);
    printf("poll: %d revents %d\n", ready, p.revents);
    long r = read(sf, si, sizeof si);
    printf("read %ld bytes: signo %u code %d (own pid %d), signo %u\n", r, si[0].ssi_signo, si[0].ssi_code,
           si[0].ssi_pid == (uint32_t)getpid(), si[1].ssi_signo);
    errno = 0;
    printf("short buffer: %s\n", err(read(sf, si, 100)));

    sigset_t only2;
    sigemptyset(&only2);
    sigaddset(&only2, SIGUSR2);
    printf("new mask, same fd: %d\n", signalfd(sf, &only2, 0) == sf);
    raise(SIGUSR1);
    errno = 0;
    printf("USR1 no longer read: %s, still pending: %d\n", err(read(sf, si, sizeof si)),
           sigpending(&m) == 0 && sigismember(&m, SIGUSR1));
    fcntl(sf, F_SETFL, 0);
    pid_t child = fork();
    if (child == 0) {
        nap(30);
        kill(getppid(), SIGUSR2);
        _exit(3);
    }
    r = read(sf, si, sizeof si);
    printf("blocking read: %ld bytes, signo %u code %d from the child %d\n", r, si[0].ssi_signo, si[0].ssi_code,
           si[0].ssi_pid == (uint32_t)child);
    waitpid(child, NULL, 0);

    /* A standard signal is pending once, however often it is sent. */
    raise(SIGUSR2);
    raise(SIGUSR2);
    fcntl(sf, F_SETFL, O_NONBLOCK);
    r = read(sf, si, sizeof si);
    printf("USR2 sent twice while pending: %ld record(s)\n", r / (long)sizeof si[0]);

    /* The first child's SIGCHLD, blocked, is still pending: take it. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    struct timespec zero = {0, 0};
    printf("first child's SIGCHLD was pending: %d\n", sigtimedwait(&chld, NULL, &zero) == SIGCHLD);
    int cf = signalfd(-1, &chld, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = cf}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, cf, &ev);
    child = fork();
    if (child == 0) {
        _exit(5);
    }
    int k = epoll_wait(ep, &out, 1, 2000);
    r = read(cf, si, sizeof si);
    printf("SIGCHLD by epoll: %d, signo %u code %d from the child %d\n", k == 1 && out.data.fd == cf,
           si[0].ssi_signo, si[0].ssi_code, si[0].ssi_pid == (uint32_t)child);
    waitpid(child, NULL, 0);

    int pfd[2];
    pipe(pfd);
    errno = 0;
    printf("bad size: %s\n", err(syscall(SYS_signalfd4, -1, &chld, 4, 0)));
    errno = 0;
    printf("bad flags: %s\n", err(syscall(SYS_signalfd4, -1, &chld, 8, 1)));
    errno = 0;
    printf("on a pipe: %s\n", err(signalfd(pfd[0], &chld, 0)));
    errno = 0;
    printf("bad fd: %s\n", err(signalfd(99, &chld, 0)));
    errno = 0;
    printf("bad mask pointer: %s\n", err(syscall(SYS_signalfd4, -1, (void *)8, 8, 0)));
}

int main(void)
{
    clocks();
    timers();
    signals();
    return 0;
}

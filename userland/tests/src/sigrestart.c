/*
 * Which calls a handler installed with SA_RESTART restarts: a pipe read is restarted;
 * poll, select, epoll_wait, nanosleep and clock_nanosleep never are (signal(7)). What
 * they write back: nanosleep the time left in *rem, and the raw select, pselect6 and
 * ppoll what is left of their timeout (musl passes copies, so the raw calls are used).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int handled;

static void on_alrm(int sig) { (void)sig; handled++; }

/* SIGALRM in 20 ms: long before any of the 2 s waits below ends. */
static void arm(void)
{
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void report(const char *what, long r)
{
    printf("%-16s r=%ld errno=%s handled=%d\n", what, r, r < 0 ? strerror(errno) : "-", handled);
    errno = 0;
}

/* Between 0 and 2 s, exclusive: the wait was cut short and the rest was written back. */
static int cut_short(long sec, long sub, long unit)
{
    long long v = (long long)sec * unit + sub;
    return v > 0 && v < 2LL * unit;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alrm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);

    int p[2];
    pipe(p);
    struct pollfd pfd = {.fd = p[0], .events = POLLIN};
    fd_set rd;

    arm();
    report("poll", poll(&pfd, 1, 2000));
    arm();
    struct timeval tv = {2, 0};
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    report("select", select(p[0] + 1, &rd, NULL, NULL, &tv));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    arm();
    report("epoll_wait", epoll_wait(ep, &out, 1, 2000));

    struct timespec two = {2, 0}, rem = {7, 7};
    arm();
    report("nanosleep", nanosleep(&two, &rem));
    printf("nanosleep rem cut short: %d\n", cut_short(rem.tv_sec, rem.tv_nsec, 1000000000L));
    arm();
    int e = clock_nanosleep(CLOCK_MONOTONIC, 0, &two, NULL);
    printf("clock_nanosleep  %s handled=%d\n", strerror(e), handled);

    /* A read is restarted: the handler runs, and the read still gets the child's byte. */
    pid_t child = fork();
    if (child == 0) {
        struct timespec t = {0, 200000000};
        nanosleep(&t, NULL);
        write(p[1], "x", 1);
        _exit(0);
    }
    arm();
    char c = 0;
    report("read", read(p[0], &c, 1));
    waitpid(child, NULL, 0);

    /* The raw calls' timeouts: interrupted, expired, zero, and ready at once. */
    struct timeval rtv = {2, 0};
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    arm();
    report("raw select", syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &rtv));
    printf("select timeout cut short: %d\n", cut_short(rtv.tv_sec, rtv.tv_usec, 1000000L));
    struct timespec rts = {2, 0};
    arm();
    report("raw pselect6", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &rts, NULL));
    printf("pselect6 timeout cut short: %d\n", cut_short(rts.tv_sec, rts.tv_nsec, 1000000000L));
    rts.tv_sec = 2;
    rts.tv_nsec = 0;
    arm();
    report("raw ppoll", syscall(SYS_ppoll, &pfd, 1, &rts, NULL, 8));
    printf("ppoll timeout cut short: %d\n", cut_short(rts.tv_sec, rts.tv_nsec, 1000000000L));

    rtv.tv_sec = 0;
    rtv.tv_usec = 30000;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    report("select expires", syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &rtv));
    printf("left: %ld s %ld us\n", (long)rtv.tv_sec, (long)rtv.tv_usec);
    rtv.tv_sec = 0;
    rtv.tv_usec = 0;
    report("select zero", syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &rtv));
    printf("left: %ld s %ld us\n", (long)rtv.tv_sec, (long)rtv.tv_usec);
    write(p[1], "y", 1);
    rtv.tv_sec = 2;
    rtv.tv_usec = 0;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    report("select ready", syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &rtv));
    printf("most of it left: %d\n", rtv.tv_sec == 1 || (rtv.tv_sec == 2 && rtv.tv_usec == 0));
    return 0;
}

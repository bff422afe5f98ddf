/*
 * The signal mask of ppoll, pselect6 and epoll_pwait: installed for the wait only,
 * restored when the call returns; a signal it lets in interrupts a wait with nothing
 * ready, while a ready file wins and the signal stays pending, blocked again.
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
#include <unistd.h>

static volatile int usr1, alrm;

static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_alrm(int sig) { (void)sig; alrm++; }

static int is_blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, sig);
}

static int is_pending(int sig)
{
    sigset_t p;
    sigpending(&p);
    return sigismember(&p, sig);
}

/* Takes a pending SIGUSR1 by unblocking it for a moment. */
static void drain(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    sigprocmask(SIG_BLOCK, &s, NULL);
}

static void report(const char *what, int r)
{
    printf("%-28s r=%d errno=%s usr1=%d blocked=%d pending=%d\n", what, r,
           r < 0 ? strerror(errno) : "-", usr1, is_blocked(SIGUSR1), is_pending(SIGUSR1));
    errno = 0;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1; /* no SA_RESTART */
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_alrm;
    sigaction(SIGALRM, &sa, NULL);

    sigset_t blocked, open;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigaddset(&blocked, SIGALRM);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    sigemptyset(&open);

    struct timespec zero = {0, 0};
    int p[2];
    pipe(p);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = p[0]}, out[2];

    raise(SIGUSR1);
    report("ppoll open, nothing ready", ppoll(NULL, 0, &zero, &open));
    raise(SIGUSR1);
    report("ppoll blocked mask", ppoll(NULL, 0, &zero, &blocked));
    drain();
    raise(SIGUSR1);
    report("pselect open, nothing ready", pselect(0, NULL, NULL, NULL, &zero, &open));
    raise(SIGUSR1);
    report("epoll_pwait open, empty", epoll_pwait(ep, out, 2, 0, &open));
    raise(SIGUSR1);
    report("epoll_pwait no mask", epoll_pwait(ep, out, 2, 0, NULL));
    drain();

    write(p[1], "x", 1);
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    struct pollfd pfd = {.fd = p[0], .events = POLLIN};
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    raise(SIGUSR1);
    report("ppoll open, fd ready", ppoll(&pfd, 1, &zero, &open));
    report("pselect open, fd ready", pselect(p[0] + 1, &rd, NULL, NULL, &zero, &open));
    report("epoll_pwait open, fd ready", epoll_pwait(ep, out, 2, 0, &open));
    drain();
    char c;
    read(p[0], &c, 1);

    /* A wait that sleeps: SIGALRM, blocked outside the wait, ends it. */
    struct itimerval it = {{0, 0}, {0, 20000}};
    sigset_t no_alrm;
    sigfillset(&no_alrm);
    sigdelset(&no_alrm, SIGALRM);
    setitimer(ITIMER_REAL, &it, NULL);
    int r = ppoll(&pfd, 1, NULL, &no_alrm);
    printf("ppoll sleeping: r=%d errno=%s alrm=%d alrm blocked=%d\n", r, strerror(errno), alrm,
           is_blocked(SIGALRM));
    setitimer(ITIMER_REAL, &it, NULL);
    r = epoll_pwait(ep, out, 2, -1, &no_alrm);
    printf("epoll_pwait sleeping: r=%d errno=%s alrm=%d alrm blocked=%d\n", r, strerror(errno), alrm,
           is_blocked(SIGALRM));
    setitimer(ITIMER_REAL, &it, NULL);
    r = pselect(p[0] + 1, &rd, NULL, NULL, NULL, &no_alrm);
    printf("pselect sleeping: r=%d errno=%s alrm=%d alrm blocked=%d\n", r, strerror(errno), alrm,
           is_blocked(SIGALRM));

    /* Bad sigset sizes and pointers. */
    errno = 0;
    r = syscall(SYS_ppoll, NULL, 0, &zero, &open, 4);
    printf("ppoll sigsetsize 4: r=%d errno=%s\n", r, strerror(errno));
    errno = 0;
    r = syscall(SYS_epoll_pwait, ep, out, 2, 0, &open, 16);
    printf("epoll_pwait sigsetsize 16: r=%d errno=%s\n", r, strerror(errno));
    unsigned long arg[2] = {(unsigned long)&open, 4};
    errno = 0;
    r = syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, arg);
    printf("pselect6 ss_len 4: r=%d errno=%s\n", r, strerror(errno));
    arg[0] = 8;
    arg[1] = 8;
    errno = 0;
    r = syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, arg);
    printf("pselect6 bad set pointer: r=%d errno=%s\n", r, strerror(errno));
    errno = 0;
    r = syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, (void *)8);
    printf("pselect6 bad argument pointer: r=%d errno=%s\n", r, strerror(errno));
    printf("final: usr1 blocked=%d alrm blocked=%d\n", is_blocked(SIGUSR1), is_blocked(SIGALRM));
    return 0;
}

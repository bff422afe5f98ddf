/*
 * pidfds: a descriptor for a child process that poll reports readable once the child
 * has exited, that pidfd_send_signal signals through and that waitid(P_PIDFD) reaps;
 * always close-on-exec; and the errors Linux gives for bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int pidfd_open(pid_t pid, unsigned flags)
{
    return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send_signal(int fd, int sig, void *info, unsigned flags)
{
    return (int)syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

int main(void)
{
    pid_t child = fork();
    if (child == 0) {
        for (;;) {
            pause();
        }
    }
    int pfd = pidfd_open(child, 0);
    printf("pidfd_open: %d, close-on-exec %d\n", pfd >= 0, (fcntl(pfd, F_GETFD) & FD_CLOEXEC) != 0);
    struct pollfd p = {.fd = pfd, .events = POLLIN};
    printf("alive: poll %d\n", poll(&p, 1, 0));
    printf("signal 0: %d\n", pidfd_send_signal(pfd, 0, NULL, 0));
    printf("SIGTERM: %d\n", pidfd_send_signal(pfd, SIGTERM, NULL, 0));
    int r = poll(&p, 1, 5000);
    printf("exited: poll %d revents %d\n", r, p.revents);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    r = waitid(P_PIDFD, pfd, &si, WEXITED);
    printf("waitid(P_PIDFD): %d, the child %d, code %s, status %s\n", r, si.si_pid == child,
           si.si_code == CLD_KILLED ? "CLD_KILLED" : "other", strsignal(si.si_status));
    r = pidfd_send_signal(pfd, SIGTERM, NULL, 0);
    r = r;
    printf("signal after the reap: %d %s\n", r, strerror(errno));
    r = waitid(P_PIDFD, pfd, &si, WEXITED | WNOHANG);
    r = r;
    printf("waitid again: %d %s\n", r, strerror(errno));

    /* A child that exits by itself wakes a poller sleeping on its pidfd. */
    child = fork();
    if (child == 0) {
        struct timespec t = {0, 50000000};
        nanosleep(&t, NULL);
        _exit(4);
    }
    int q = pidfd_open(child, O_NONBLOCK);
    p.fd = q;
    r = poll(&p, 1, 5000);
    r = r == 1 && waitid(P_PIDFD, q, &si, WEXITED) == 0;
    printf("sleeping poller woken: %d, exit status %d\n", r, si.si_status);

    int pp[2];
    pipe(pp);
    errno = 0;
    r = pidfd_open(0, 0);
    printf("pid 0: %d %s\n", r, strerror(errno));
    errno = 0;
    r = pidfd_open(4000000, 0);
    printf("no such pid: %d %s\n", r, strerror(errno));
    errno = 0;
    r = pidfd_open(getpid(), 1);
    printf("bad flags: %d %s\n", r, strerror(errno));
    errno = 0;
    r = pidfd_send_signal(pp[0], 0, NULL, 0);
    printf("signal through a pipe: %d %s\n", r, strerror(errno));
    int self = pidfd_open(getpid(), 0);
    errno = 0;
    r = pidfd_send_signal(self, 0, NULL, 8);
    printf("bad flags to send: %d %s\n", r, strerror(errno));
    errno = 0;
    r = pidfd_send_signal(self, 99, NULL, 0);
    printf("bad signal: %d %s\n", r, strerror(errno));
    errno = 0;
    r = waitid(P_PIDFD, pp[0], &si, WEXITED);
    printf("waitid on a pipe: %d %s\n", r, strerror(errno));
    errno = 0;
    r = waitid(P_PIDFD, self, &si, WEXITED | WNOHANG);
    printf("waitid on myself: %d %s\n", r, strerror(errno));
    return 0;
}

/* epoll (level- and edge-triggered, one-shot) over pipes, eventfd and a socketpair,
 * rt_sigtimedwait on a blocked signal, and mremap growing, shrinking and moving a
 * mapping with its contents. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, int n, struct epoll_event *ev) {
    printf("%s: %d ready", what, n);
    for (int i = 0; i < n; i++) {
        printf(" [data %llu events %#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
    }
    printf("\n");
}

int main(void) {
    int p[2];
    pipe(p);
    int efd = eventfd(0, 0);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 1};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    ev.data.u64 = 2;
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 3;
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
    errno = 0;
    int again = epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    printf("add twice: %d %s\n", again, strerror(errno));
    struct epoll_event out[8];
    int n = epoll_wait(ep, out, 8, 0);
    show("nothing yet", n, out);
    write(p[1], "x", 1);
    uint64_t one = 1;
    write(efd, &one, 8);
    write(sv[1], "yy", 2);
    n = epoll_wait(ep, out, 8, 100);
    show("three ready", n, out);
    n = epoll_wait(ep, out, 8, 0);
    show("level-triggered stay, edge-triggered do not", n, out);
    char b[8];
    read(p[0], b, 1);
    read(efd, &one, 8);
    n = epoll_wait(ep, out, 8, 0);
    show("after reading", n, out);
    write(sv[1], "z", 1);
    n = epoll_wait(ep, out, 8, 0);
    show("edge-triggered after more data", n, out);
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 4;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    write(p[1], "ab", 2);
    n = epoll_wait(ep, out, 8, 0);
    show("one-shot", n, out);
    n = epoll_wait(ep, out, 8, 0);
    show("one-shot disarmed", n, out);
    epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], NULL);
    errno = 0;
    int del = epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], NULL);
    printf("delete twice: %d %s\n", del, strerror(errno));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = epoll_wait(ep, out, 8, 30);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("timeout: %d ready, waited at least 30 ms: %d\n", n, ms >= 29);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    printf("pending SIGUSR1: %d\n", sigismember(&pend, SIGUSR1));
    siginfo_t si;
    struct timespec zero = {0, 0};
    int sig = sigtimedwait(&set, &si, &zero);
    printf("sigtimedwait: %d, si_signo %d, from me %d\n", sig, si.si_signo, si.si_pid == getpid());
    errno = 0;
    sig = sigtimedwait(&set, &si, &zero);
    printf("again: %d %s\n", sig, strerror(errno));

    size_t page = 4096;
    char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(m, "first page");
    strcpy(m + page, "second page");
    char *g = mremap(m, 2 * page, 64 * page, MREMAP_MAYMOVE);
    printf("grown: %s / %s, tail writable %d\n", g, g + page, (g[63 * page] = 'x') == 'x');
    char *s = mremap(g, 64 * page, page, 0);
    printf("shrunk in place: %d, %s\n", s == g, s);
    errno = 0;
    void *bad = mremap(s, page, 2 * page, MREMAP_FIXED);
    printf("FIXED without MAYMOVE: %s\n", bad == MAP_FAILED ? strerror(errno) : "mapped");
    errno = 0;
    bad = mremap((char *)s + 1, page, 2 * page, MREMAP_MAYMOVE);
    printf("unaligned: %s\n", bad == MAP_FAILED ? strerror(errno) : "mapped");
    return 0;
}

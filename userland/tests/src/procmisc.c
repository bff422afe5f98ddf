/* Process odds and ends: waitid for exited and killed children (and WNOWAIT), wait4's
 * option checks, close_range, nice values, membarrier, mlock, personality, extended
 * attributes where no filesystem keeps them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

static void child_result(const char *what, siginfo_t *si) {
    printf("%s: signo %d code %d status %d pid matches %d\n", what, si->si_signo, si->si_code, si->si_status,
           si->si_pid > 0);
}

int main(void) {
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        _exit(9);
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PID, p, &si, WEXITED | WNOWAIT);
    child_result("waitid WNOWAIT", &si);
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    printf("waitid again %d, same child %d\n", r, si.si_pid == p);
    child_result("waitid", &si);
    p = fork();
    if (p == 0) {
        pause();
        _exit(0);
    }
    kill(p, SIGTERM);
    memset(&si, 0, sizeof si);
    waitid(P_PID, p, &si, WEXITED);
    child_result("killed child", &si);
    errno = 0;
    r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
    printf("no children: %d %s\n", r, strerror(errno));
    errno = 0;
    r = waitid(P_ALL, 0, &si, WNOHANG);
    printf("no event kind: %d %s\n", r, strerror(errno));
    errno = 0;
    r = waitpid(-1, NULL, 0x1000);
    printf("wait4 bad option: %d %s\n", r, strerror(errno));

    int a = open("/dev/null", O_RDONLY), b = dup(a), c = dup(a);
    long cr = syscall(SYS_close_range, b, c, 4 /* CLOSE_RANGE_CLOEXEC */);
    int fl = fcntl(b, F_GETFD);
    printf("close_range cloexec %ld, FD_CLOEXEC %d\n", cr, fl);
    cr = syscall(SYS_close_range, a, ~0U, 0);
    errno = 0;
    int gone = fcntl(c, F_GETFD);
    printf("close_range %ld, closed %d %s\n", cr, gone, strerror(errno));
    errno = 0;
    cr = syscall(SYS_close_range, 5, 4, 0);
    printf("close_range reversed %ld %s\n", cr, strerror(errno));

    errno = 0;
    int pr = getpriority(PRIO_PROCESS, 0);
    int sp = setpriority(PRIO_PROCESS, 0, 5);
    int pr2 = getpriority(PRIO_PROCESS, 0);
    printf("nice %d, set %d, now %d\n", pr, sp, pr2);
    errno = 0;
    sp = setpriority(7, 0, 1);
    printf("setpriority bad which: %d %s\n", sp, strerror(errno));
    printf("membarrier query has GLOBAL: %d\n", (int)(syscall(SYS_membarrier, 0, 0) & 1));
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int ml = mlock(m, 8192), mu = munlock(m, 8192);
    munmap(m, 8192);
    errno = 0;
    int mb = mlock(m, 4096);
    printf("mlock %d munlock %d, unmapped %d %s\n", ml, mu, mb, strerror(errno));
    printf("personality %d\n", (int)syscall(SYS_personality, 0xffffffff));
    char v[8];
    errno = 0;
    long x = syscall(SYS_lgetxattr, "/", "user.none", v, sizeof v);
    printf("getxattr %ld %s\n", x, strerror(errno));
    errno = 0;
    x = syscall(SYS_getxattr, "/nonexistent", "user.none", v, sizeof v);
    printf("getxattr missing file %ld %s\n", x, strerror(errno));
    return 0;
}

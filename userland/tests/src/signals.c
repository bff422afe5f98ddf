/* Signal handlers: faults caught and escaped with siglongjmp, raise with a handler,
 * blocking and unblocking, SA_RESETHAND, and a handler in another process. */
#include <stdio.h>
#include <signal.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static sigjmp_buf env;
static volatile sig_atomic_t usr1, last_sig;
static volatile void *fault_addr;

static void on_fault(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    last_sig = sig;
    fault_addr = si->si_addr;
    siglongjmp(env, sig);
}

static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_term(int sig) { (void)sig; _exit(7); }

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);

    if (sigsetjmp(env, 1) == 0) {
        volatile int *volatile bad = (volatile int *)16;
        *bad = 1;
    }
    printf("caught %d at %p\n", last_sig, (void *)fault_addr);
    if (sigsetjmp(env, 1) == 0) {
        volatile int zero = 0;
        printf("%d\n", 10 / zero);
    }
    printf("caught %d\n", last_sig);
    double d = 1.5;
    for (int i = 0; i < 3; i++) d = d * d;
    printf("fpu fine after handlers: %g\n", d);

    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("usr1=%d\n", usr1);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    printf("blocked: usr1=%d\n", usr1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: usr1=%d\n", usr1);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    struct sigaction now;
    sigaction(SIGUSR2, NULL, &now);
    printf("resethand: usr1=%d default=%d\n", usr1, now.sa_handler == SIG_DFL);

    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGTERM, on_term);
        close(p[0]);
        write(p[1], "r", 1);
        for (;;) pause();
    }
    char c;
    read(p[0], &c, 1);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    printf("child handled SIGTERM: exited=%d code=%d\n", WIFEXITED(status), WEXITSTATUS(status));
    return 0;
}

/* Two processes crunch floating point at the same time, so the timer preempts each
 * many times mid-computation: x87 and SSE registers must be saved per process. */
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static double crunch(double seed, long n) {
    double acc = seed;
    long double ext = seed;
    for (long i = 1; i <= n; i++) {
        acc = acc * 1.0000001 + 1.0 / (double)i;
        ext = ext * 0.9999999L + (long double)seed / (long double)(i + 3);
    }
    return acc + (double)ext;
}

int main(void) {
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        double r = crunch(2.5, 1000000);
        write(p[1], &r, sizeof r);
        _exit(0);
    }
    double mine = crunch(7.25, 1000000);
    double theirs = 0;
    read(p[0], &theirs, sizeof theirs);
    waitpid(pid, NULL, 0);
    printf("parent %.17g\nchild  %.17g\n", mine, theirs);
    return 0;
}

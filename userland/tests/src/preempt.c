/* Preemption: a child spins forever; the parent, sleeping and waking on the timer,
 * must still run, then kills the spinner. Output is the parent's alone. */
#include <stdio.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void) {
    fflush(stdout);
    pid_t hog = fork();
    if (hog == 0) {
        volatile unsigned long x = 0;
        for (;;) x++;
    }
    struct timespec ts = {0, 30 * 1000 * 1000};
    for (int i = 0; i < 3; i++) {
        nanosleep(&ts, NULL);
        printf("parent still runs: %d\n", i);
        fflush(stdout);
    }
    kill(hog, SIGKILL);
    int status;
    waitpid(hog, &status, 0);
    printf("hog killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    return 0;
}

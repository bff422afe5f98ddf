/*
 * Job control stops a whole process: SIGSTOP or SIGTSTP to a process with three running
 * threads stops all of them before waitpid(WUNTRACED) reports the stop, whichever thread
 * took the signal; SIGCONT runs them all again. The threads count in shared memory, so
 * the parent can see whether any of them moved while the process was stopped.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THREADS 3

struct shared {
    volatile unsigned long count[THREADS];
    volatile int tids[THREADS];
    volatile int quit;
};

static struct shared *sh;

static void *spin(void *arg)
{
    long i = (long)arg;
    sh->tids[i] = (int)syscall(SYS_gettid);
    while (!sh->quit) {
        sh->count[i]++;
    }
    return NULL;
}

static void nap(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Whether every thread has counted since the snapshot. */
static int all_moved(const unsigned long *before)
{
    for (int i = 0; i < THREADS; i++) {
        if (sh->count[i] == before[i]) {
            return 0;
        }
    }
    return 1;
}

static int none_moved(const unsigned long *before)
{
    for (int i = 0; i < THREADS; i++) {
        if (sh->count[i] != before[i]) {
            return 0;
        }
    }
    return 1;
}

static void snapshot(unsigned long *out)
{
    for (int i = 0; i < THREADS; i++) {
        out[i] = sh->count[i];
    }
}

/* Stops the child with sig sent to the process (or to one thread with tgkill), checks it. */
static void round_trip(pid_t child, int sig, int thread)
{
    unsigned long before[THREADS];
    int status;
    if (thread < 0) {
        kill(child, sig);
    } else {
        syscall(SYS_tgkill, child, sh->tids[thread], sig);
    }
    pid_t w = waitpid(child, &status, WUNTRACED);
    printf("%s to %s: waitpid is the process %d, stopped %d by %s\n", strsignal(sig),
           thread < 0 ? "the process" : "one thread", w == child, WIFSTOPPED(status),
           strsignal(WSTOPSIG(status)));
    snapshot(before);
    nap(50);
    printf("  no thread ran while stopped: %d\n", none_moved(before));
    kill(child, SIGCONT);
    w = waitpid(child, &status, WCONTINUED);
    printf("  continued: %d\n", w == child && WIFCONTINUED(status));
    snapshot(before);
    for (int tries = 0; tries < 200 && !all_moved(before); tries++) {
        nap(5);
    }
    printf("  every thread runs again: %d\n", all_moved(before));
}

int main(void)
{
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t child = fork();
    if (child == 0) {
        /* A job of its own, as a shell makes one: a stop from the terminal's keys
         * (SIGTSTP) is discarded in an orphaned group, and the parent's may be one. */
        setpgid(0, 0);
        pthread_t t[THREADS - 1];
        for (long i = 1; i < THREADS; i++) {
            pthread_create(&t[i - 1], NULL, spin, (void *)i);
        }
        spin((void *)0);
        for (int i = 0; i < THREADS - 1; i++) {
            pthread_join(t[i], NULL);
        }
        _exit(7);
    }
    setpgid(child, child);
    unsigned long zero[THREADS] = {0};
    for (int tries = 0; tries < 400 && !all_moved(zero); tries++) {
        nap(5);
    }
    printf("all threads started: %d\n", all_moved(zero));
    round_trip(child, SIGSTOP, -1);
    round_trip(child, SIGTSTP, -1);
    round_trip(child, SIGSTOP, 2);
    sh->quit = 1;
    int status;
    waitpid(child, &status, 0);
    printf("exit %d\n", WEXITSTATUS(status));
    return 0;
}

/* How a threaded process ends (glibc only: musl's exit after the main thread's
 * pthread_exit can hang, on the host as here): the main thread leaves with pthread_exit
 * and a worker finishes the process; exit() in a thread ends every thread; a fault in
 * one thread kills them all. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

static void *late(void *arg) {
    (void)arg;
    usleep(20000);
    write(1, "worker outlived main\n", 21);
    return NULL;
}

static void *quitter(void *arg) {
    (void)arg;
    usleep(10000);
    exit(6);
}

static void *forever(void *arg) {
    (void)arg;
    for (;;) {
        pause();
    }
    return NULL;
}

int main(void) {
    pthread_t a, b;
    int st;
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        pthread_create(&a, NULL, late, NULL);
        pthread_exit(NULL);
    }
    waitpid(p, &st, 0);
    printf("main left with pthread_exit: status %d\n", WEXITSTATUS(st));
    fflush(stdout);
    p = fork();
    if (p == 0) {
        pthread_create(&a, NULL, forever, NULL);
        pthread_create(&b, NULL, quitter, NULL);
        for (;;) {
            pause();
        }
    }
    waitpid(p, &st, 0);
    printf("exit in a thread: status %d\n", WEXITSTATUS(st));
    fflush(stdout);
    p = fork();
    if (p == 0) {
        pthread_create(&a, NULL, forever, NULL);
        usleep(10000);
        *(volatile int *)0 = 1;
    }
    waitpid(p, &st, 0);
    printf("a fault kills every thread: signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return 0;
}

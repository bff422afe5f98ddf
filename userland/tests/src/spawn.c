/* Starting programs: fork, vfork, posix_spawn, system and popen, each running this
 * program again (found through /proc/self/exe) with "child" as its first argument, and
 * execve from a thread other than the main one. */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

extern char **environ;

static char self[4096];
static char pid_before[32];

static void *execer(void *arg) {
    (void)arg;
    execl(self, self, "after-exec", pid_before, (char *)NULL);
    return NULL;
}

static void *sleeper(void *arg) {
    (void)arg;
    for (;;) {
        pause();
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "after-exec") == 0) {
        printf("exec from a thread: same pid %d, the thread is the leader %d\n", getpid() == atoi(argv[2]),
               (long)getpid() == syscall(SYS_gettid));
        return 5;
    }
    if (argc > 2 && strcmp(argv[1], "child") == 0) {
        printf("child says %s\n", argv[2]);
        return 7;
    }
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        printf("readlink /proc/self/exe failed\n");
        return 1;
    }
    self[n] = 0;
    int st;
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        printf("in the fork child\n");
        fflush(stdout);
        _exit(3);
    }
    waitpid(p, &st, 0);
    printf("fork: child exited %d\n", WEXITSTATUS(st));

    volatile int shared = 0;
    p = vfork();
    if (p == 0) {
        shared = 1;
        _exit(4);
    }
    waitpid(p, &st, 0);
    printf("vfork: child exited %d, wrote the parent's memory %d\n", WEXITSTATUS(st), shared);

    fflush(stdout);
    p = vfork();
    if (p == 0) {
        execl(self, self, "child", "vfork-exec", (char *)NULL);
        _exit(127);
    }
    waitpid(p, &st, 0);
    printf("vfork+exec: exited %d\n", WEXITSTATUS(st));

    char *args[] = {self, "child", "posix_spawn", NULL};
    fflush(stdout);
    if (posix_spawn(&p, self, NULL, NULL, args, environ) != 0) {
        printf("posix_spawn failed\n");
        return 1;
    }
    waitpid(p, &st, 0);
    printf("posix_spawn: exited %d\n", WEXITSTATUS(st));
    fflush(stdout);
    int e = posix_spawn(&p, "/nonexistent/program", NULL, NULL, args, environ);
    printf("posix_spawn of a missing file: %s\n", e == 0 ? "started" : strerror(e));
    if (e == 0) {
        waitpid(p, &st, 0);
        printf("  and it exited %d\n", WEXITSTATUS(st));
    }

    /* File actions and attributes: the child's stdout is a pipe, its group and mask set. */
    int pfd[2];
    pipe(pfd);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pfd[0]);
    posix_spawn_file_actions_addclose(&fa, pfd[1]);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    char *args2[] = {self, "child", "through-a-pipe", NULL};
    fflush(stdout);
    e = posix_spawn(&p, self, &fa, &at, args2, environ);
    close(pfd[1]);
    char pbuf[64] = {0};
    ssize_t pn = 0, pk;
    while ((pk = read(pfd[0], pbuf + pn, sizeof pbuf - 1 - pn)) > 0) {
        pn += pk;
    }
    waitpid(p, &st, 0);
    printf("posix_spawn with file actions: %d, read '%s' (%zd), exited %d, own group %d\n", e,
           strtok(pbuf, "\n"), pn, WEXITSTATUS(st), p != getpgrp());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);

    /* execve from a thread that is not the leader: the process keeps its pid. */
    fflush(stdout);
    p = fork();
    if (p == 0) {
        snprintf(pid_before, sizeof pid_before, "%d", getpid());
        pthread_t sl, ex;
        pthread_create(&sl, NULL, sleeper, NULL);
        pthread_create(&ex, NULL, execer, NULL);
        pthread_join(ex, NULL);
        _exit(99);
    }
    pid_t w = waitpid(p, &st, 0);
    printf("the parent reaped the same pid %d, exited %d\n", w == p, WEXITSTATUS(st));

    char cmd[4200];
    snprintf(cmd, sizeof cmd, "'%s' child system", self);
    fflush(stdout);
    st = system(cmd);
    printf("system: exited %d\n", WEXITSTATUS(st));

    snprintf(cmd, sizeof cmd, "'%s' child popen", self);
    FILE *f = popen(cmd, "r");
    char line[100];
    if (f != NULL && fgets(line, sizeof line, f) != NULL) {
        printf("popen read: %s", line);
    }
    printf("pclose: exited %d\n", f == NULL ? -1 : WEXITSTATUS(pclose(f)));
    return 0;
}

/* Out of memory: a child takes nearly all free memory and sleeps; then its parent
 * (init here) needs pages. The OOM killer must pick the largest process, the child,
 * not whoever faulted: a user's memory hog must not be able to kill init (which would
 * stop the machine). Guest-only: the sizes are this machine's. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static long mem_free_kb(void) {
    char line[128];
    long kb = -1;
    FILE *f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

int main(void) {
    int p[2], status = 0;
    char c;
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        long n = (mem_free_kb() - 512) * 1024;
        char *m = mmap(0, (size_t)n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (long i = 0; i < n; i += 4096)
            m[i] = 1;
        write(p[1], "x", 1);
        pause();
        _exit(0);
    }
    read(p[0], &c, 1);
    long n = 8L << 20;
    char *m = mmap(0, (size_t)n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (long i = 0; i < n; i += 4096)
        m[i] = 2;
    waitpid(pid, &status, WNOHANG);
    printf("parent touched 8 MiB: ok\nchild: %s\n",
           WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "killed by the OOM killer" : "still there");
    return 0;
}

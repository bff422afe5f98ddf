/* fork, copy-on-write and wait4: each child changes its copy of shared data and exits
 * with a status derived from it; the parent's copy must be untouched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static int shared[1024];

int main(void) {
    for (int i = 0; i < 1024; i++) shared[i] = i;
    char *heap = malloc(100000);
    memset(heap, 'p', 100000);
    fflush(stdout);
    for (int k = 0; k < 5; k++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            for (int i = 0; i < 1024; i++) shared[i] += 1000 * (k + 1);
            memset(heap, 'c', 100000);
            long sum = 0;
            for (int i = 0; i < 1024; i++) sum += shared[i];
            _exit((int)(sum % 200) + (heap[99999] == 'c'));
        }
        int status = 0;
        pid_t got = waitpid(pid, &status, 0);
        printf("child %d: waited=%s exited=%d status=%d\n", k, got == pid ? "yes" : "no",
               WIFEXITED(status), WEXITSTATUS(status));
    }
    long sum = 0;
    for (int i = 0; i < 1024; i++) sum += shared[i];
    printf("parent sum=%ld heap=%c\n", sum, heap[12345]);
    printf("no more children: %d\n", waitpid(-1, NULL, WNOHANG));
    pid_t pid = fork();
    if (pid == 0) { int *p = NULL; *p = 1; _exit(0); }
    int status;
    waitpid(pid, &status, 0);
    printf("crashing child: signaled=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));
    return 0;
}

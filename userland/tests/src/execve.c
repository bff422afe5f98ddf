/* execve of a program in the image from a forked child, with argv and envp, and
 * execve's errors on a missing file and a non-executable one. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {"echo", "exec", "works", NULL};
        char *envp[] = {"A=1", NULL};
        execve("/bin/echo", argv, envp);
        _exit(99);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    char *none[] = {"x", NULL};
    int r = execve("/no/such/file", none, none);
    printf("missing: %d %s\n", r, strerror(errno));
    r = execve("/etc", none, none);
    printf("directory: %d %s\n", r, strerror(errno));
    return 0;
}

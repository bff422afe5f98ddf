/* A fork bomb meets the process-table limit: fork fails with EAGAIN, the system goes
 * on, and every child is reaped once released. Guest-only: the host's limit differs. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void) {
    int p[2];
    pipe(p);
    int forks = 0, err = 0;
    fflush(stdout);
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) {
            char c;
            close(p[1]);
            read(p[0], &c, 1);
            _exit(0);
        }
        if (pid < 0) {
            err = errno;
            break;
        }
        forks++;
        if (forks > 10000) break;
    }
    close(p[1]);
    int reaped = 0;
    while (wait(NULL) > 0) reaped++;
    printf("contained: %s after %d forks; reaped %d\n", err == EAGAIN ? "EAGAIN" : strerror(err), forks, reaped);
    pid_t again = fork();
    if (again == 0) _exit(3);
    int st;
    waitpid(again, &st, 0);
    printf("fork works again: %d\n", WEXITSTATUS(st));
    return 0;
}

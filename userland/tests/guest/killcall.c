/* A process killed while its system call waits for a server's reply. Each child opens a
 * file of its own, removes its name (the open descriptor is then all that keeps it) and
 * reads it over and over until a POSIX timer's SIGKILL ends it. In the microkernel model
 * the reads are calls to the ramfs server and the timer fires from a tick taken while
 * one is served: the kill must wait for the call, or the child's files close under it
 * and the last close's eviction is refused by the busy server, leaking the file.
 * Guest-only: KillDuringCallTest compares the kernel's memory with a run of no child. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
    static char buf[65536];
    int n = argc > 1 ? atoi(argv[1]) : 10, status, i, killed = 0;
    for (i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) {
            struct sigevent sev;
            timer_t id;
            struct itimerspec its = {{0, 1000000}, {0, 1000000 + i * 37000}};
            char name[32];
            int fd;
            snprintf(name, sizeof name, "/tmp/killcall%d", i);
            fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
            write(fd, buf, sizeof buf);
            unlink(name);
            memset(&sev, 0, sizeof sev);
            sev.sigev_notify = SIGEV_SIGNAL;
            sev.sigev_signo = SIGKILL;
            syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id);
            syscall(SYS_timer_settime, id, 0, &its, 0);
            for (;;) {
                lseek(fd, 0, SEEK_SET);
                read(fd, buf, sizeof buf);
            }
        }
        waitpid(p, &status, 0);
        killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    printf("%d of %d killed by their timers\n", killed, n);
    return 0;
}

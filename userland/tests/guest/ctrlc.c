/* Ctrl-C on the console kills the foreground job only: the child is put in its own
 * process group and made the terminal's foreground; ^C (0x03 on stdin) sends SIGINT
 * to that group while the parent, in another group, goes on. */
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

int main(void) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        char c;
        for (;;) read(0, &c, 1);
    }
    setpgid(pid, pid);
    tcsetpgrp(0, pid);
    int st;
    waitpid(pid, &st, 0);
    printf("child: signaled=%d sig=%d; parent still here\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return 0;
}

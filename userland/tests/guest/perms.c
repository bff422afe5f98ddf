/* An unprivileged user cannot read a root-only file, cannot remove root's file in
 * sticky /tmp, and cannot become root again. Guest-only: it needs to start as root. */
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *res(int r) { return r < 0 ? strerror(errno) : "ok"; }

int main(void) {
    int fd = open("/tmp/secret", O_CREAT | O_WRONLY, 0600);
    write(fd, "root only\n", 10);
    close(fd);
    printf("root reads secret: %s\n", res(open("/tmp/secret", O_RDONLY)));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setgid(1000);
        setuid(1000);
        printf("uid=%d gid=%d\n", getuid(), getgid());
        printf("user reads secret: %s\n", res(open("/tmp/secret", O_RDONLY)));
        printf("user reads motd: %s\n", res(open("/etc/motd", O_RDONLY)));
        printf("user writes motd: %s\n", res(open("/etc/motd", O_WRONLY)));
        printf("user unlinks secret in sticky /tmp: %s\n", res(unlink("/tmp/secret")));
        printf("user creates own file: %s\n", res(open("/tmp/mine", O_CREAT | O_WRONLY, 0644)));
        printf("user chmods secret: %s\n", res(chmod("/tmp/secret", 0644)));
        printf("user becomes root: %s\n", res(setuid(0)));
        printf("user mkdir in /: %s\n", res(mkdir("/newdir", 0755)));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    struct stat st;
    stat("/tmp/mine", &st);
    printf("file made by user is owned by %d\n", (int)st.st_uid);
    return 0;
}

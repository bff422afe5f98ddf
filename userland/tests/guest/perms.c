/* An unprivileged user cannot read a root-only file, cannot remove root's file in
 * sticky /tmp, cannot become root again, and cannot run root's programs (no execute
 * permission, or no search permission on the way). Guest-only: it needs to start as root. */
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *res(int r) { return r < 0 ? strerror(errno) : "ok"; }

/* Copies /bin/true to path with the given mode. */
static void copy_true(const char *path, int mode) {
    static char buf[1 << 16];
    int in = open("/bin/true", O_RDONLY), out = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        write(out, buf, (size_t)n);
    close(in);
    close(out);
}

/* execve in a child: "ok" if it ran (and exited 0), else why not. */
static const char *exec_result(const char *path) {
    int status = 0;
    pid_t p = fork();
    if (p == 0) {
        char *argv[] = {(char *)path, NULL};
        execve(path, argv, NULL);
        _exit(errno);
    }
    waitpid(p, &status, 0);
    return WEXITSTATUS(status) == 0 ? "ok" : strerror(WEXITSTATUS(status));
}

int main(void) {
    int fd = open("/tmp/secret", O_CREAT | O_WRONLY, 0600);
    write(fd, "root only\n", 10);
    close(fd);
    printf("root reads secret: %s\n", res(open("/tmp/secret", O_RDONLY)));
    copy_true("/tmp/rootonly", 0700);
    mkdir("/tmp/shut", 0700);
    copy_true("/tmp/shut/true", 0755);
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
        printf("user runs a 0700 program of root's: %s\n", exec_result("/tmp/rootonly"));
        printf("user runs a program in a 0700 directory: %s\n", exec_result("/tmp/shut/true"));
        printf("user runs /bin/true: %s\n", exec_result("/bin/true"));
        /* mount and umount2 look the path up before they check privilege, as Linux */
        printf("user mounts on a missing directory: %s\n", res(mount("none", "/nonexistent", "ramfs", 0, "")));
        printf("user mounts on /mnt: %s\n", res(mount("none", "/mnt", "ramfs", 0, "")));
        printf("user unmounts a missing directory: %s\n", res(umount2("/nonexistent", 0)));
        printf("user unmounts /proc: %s\n", res(umount2("/proc", 0)));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    struct stat st;
    stat("/tmp/mine", &st);
    printf("file made by user is owned by %d\n", (int)st.st_uid);
    return 0;
}

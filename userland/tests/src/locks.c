/* Files: record locks between processes (F_SETLK, F_GETLK, F_SETLKW), flock, links,
 * symlinks, FIFOs, pread/pwrite, ftruncate and fsync, as SQLite and shells use them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *F = "/tmp/locks-test.db";

static void show_lock(int fd, short type, off_t start, off_t len) {
    struct flock q = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    if (fcntl(fd, F_GETLK, &q) != 0) {
        printf("F_GETLK: %s\n", strerror(errno));
        return;
    }
    if (q.l_type == F_UNLCK) {
        printf("F_GETLK [%ld,+%ld): unlocked\n", (long)start, (long)len);
    } else {
        printf("F_GETLK [%ld,+%ld): %s lock at %ld len %ld by parent %d\n", (long)start, (long)len,
               q.l_type == F_WRLCK ? "write" : "read", (long)q.l_start, (long)q.l_len, q.l_pid == getppid());
    }
}

int main(void) {
    unlink(F);
    int fd = open(F, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (pwrite(fd, "0123456789abcdef", 16, 0) != 16 || fsync(fd) != 0 || fdatasync(fd) != 0) {
        printf("pwrite/fsync failed: %s\n", strerror(errno));
    }
    char b[8] = {0};
    ssize_t pr = pread(fd, b, 4, 10);
    printf("pread %zd '%s', offset still %ld\n", pr, b, (long)lseek(fd, 0, SEEK_CUR));
    struct flock w = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 4};
    struct flock r = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 8, .l_len = 0};
    int l1 = fcntl(fd, F_SETLK, &w);
    int l2 = fcntl(fd, F_SETLK, &r);
    printf("parent locks: %d %d\n", l1, l2);
    fflush(stdout);
    /* The child says when it has looked at the parent's locks, so that the parent's
     * unlock cannot overtake those checks on a busy host. */
    int ready[2];
    if (pipe(ready) != 0) {
        printf("pipe: %s\n", strerror(errno));
    }
    pid_t p = fork();
    if (p == 0) {
        int cfd = open(F, O_RDWR);
        show_lock(cfd, F_WRLCK, 2, 1);
        show_lock(cfd, F_RDLCK, 9, 5);
        show_lock(cfd, F_WRLCK, 100, 1);
        show_lock(cfd, F_WRLCK, 4, 4);
        struct flock c = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 3, .l_len = 2};
        errno = 0;
        int cl = fcntl(cfd, F_SETLK, &c);
        printf("child F_SETLK over the parent's: %d %s\n", cl, strerror(errno));
        c.l_start = 4;
        c.l_len = 4;
        printf("child F_SETLK beside it: %d\n", fcntl(cfd, F_SETLK, &c));
        fflush(stdout);
        if (write(ready[1], "k", 1) != 1) {
            printf("write: %s\n", strerror(errno));
        }
        c.l_start = 0;
        c.l_len = 1;
        printf("child F_SETLKW (waits for the parent): %d\n", fcntl(cfd, F_SETLKW, &c));
        fflush(stdout);
        _exit(0);
    }
    char k;
    if (read(ready[0], &k, 1) != 1) {
        printf("read: %s\n", strerror(errno));
    }
    usleep(20000);
    struct flock u = {.l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    fcntl(fd, F_SETLK, &u);
    int st;
    waitpid(p, &st, 0);
    printf("child exited %d\n", WEXITSTATUS(st));

    int a = open(F, O_RDONLY), c = open(F, O_RDONLY);
    int f1 = flock(a, LOCK_EX);
    int f2 = flock(c, LOCK_EX | LOCK_NB);
    const char *f2err = strerror(errno);
    int f3 = flock(a, LOCK_UN);
    int f4 = flock(c, LOCK_SH | LOCK_NB);
    printf("flock: %d, second description: %d %s, unlock: %d, again: %d\n", f1, f2, f2err, f3, f4);
    struct flock bad = {.l_type = 7};
    errno = 0;
    int bl = fcntl(fd, F_SETLK, &bad);
    printf("bad lock type: %d %s\n", bl, strerror(errno));
    struct flock rd = {.l_type = F_WRLCK};
    errno = 0;
    int rl = fcntl(a, F_SETLK, &rd);
    printf("write lock on a read-only fd: %d %s\n", rl, strerror(errno));

    int tr = ftruncate(fd, 5);
    printf("ftruncate %d, size %ld\n", tr, (long)lseek(fd, 0, SEEK_END));
    int pp[2];
    pipe(pp);
    struct flock pl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
    errno = 0;
    int plr = fcntl(pp[0], F_SETLK, &pl);
    printf("record lock on a pipe: %d %s\n", plr, strerror(errno));
    close(pp[0]);
    close(pp[1]);
    unlink("/tmp/locks-link");
    unlink("/tmp/locks-sym");
    int ln = link(F, "/tmp/locks-link");
    int sl = symlink(F, "/tmp/locks-sym");
    printf("link %d, symlink %d\n", ln, sl);
    struct stat s1, s2;
    stat("/tmp/locks-link", &s1);
    lstat("/tmp/locks-sym", &s2);
    char target[64] = {0};
    readlink("/tmp/locks-sym", target, sizeof target - 1);
    printf("nlink %ld, symlink is a link %d -> %s\n", (long)s1.st_nlink, S_ISLNK(s2.st_mode), target);

    /* A FIFO opened blocking by a reader and a writer in two processes, each order. */
    for (int order = 0; order < 2; order++) {
        unlink("/tmp/locks-fifo");
        printf("mkfifo %d\n", mkfifo("/tmp/locks-fifo", 0600));
        fflush(stdout);
        p = fork();
        if (p == 0) {
            if (order == 1) {
                usleep(20000);
            }
            int wfd = open("/tmp/locks-fifo", O_WRONLY);
            write(wfd, "through the fifo", 16);
            _exit(0);
        }
        if (order == 0) {
            usleep(20000);
        }
        int rfd = open("/tmp/locks-fifo", O_RDONLY);
        char fb[32] = {0};
        ssize_t got = 0, k;
        while ((k = read(rfd, fb + got, sizeof fb - 1 - got)) > 0) {
            got += k;
        }
        close(rfd);
        waitpid(p, &st, 0);
        printf("fifo (%s opens first) read %zd '%s'\n", order == 0 ? "writer" : "reader", got, fb);
    }
    unlink("/tmp/locks-fifo");
    unlink("/tmp/locks-link");
    unlink("/tmp/locks-sym");
    unlink(F);
    return 0;
}

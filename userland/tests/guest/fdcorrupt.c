/* Two open files, then a pause while FdTableCorruptionTest rewrites this process's
 * descriptor table in kernel memory, as a wild write in the kernel would; then it reads
 * the first descriptor and closes both. Guest-only: what it prints depends on what the
 * test wrote (the file the descriptor now names, or nothing at all after an oops). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int make(const char *name, const char *text) {
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, text, 4);
    lseek(fd, 0, SEEK_SET);
    return fd;
}

int main(void) {
    int a = make("/tmp/a", "AAAA");
    int b = make("/tmp/b", "BBBB");
    char buf[8] = {0};
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("ready %d %d\n", a, b);
    for (volatile long i = 0; i < 3000000; i++) {
    }
    int n = read(a, buf, 4);
    printf("fd %d reads %d: %s\n", a, n, buf);
    int ra = close(a);
    int rb = close(b);
    printf("close %d %d\n", ra, rb);
    return 0;
}

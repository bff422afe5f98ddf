/*
 * forkread FILE: the parent fills a page and forks; the child reads the page (so its
 * TLB holds the translation it shares copy-on-write with the parent), then read(2)s
 * FILE into it and prints it. The kernel's write into the child's page breaks the
 * sharing while the child is not running (in the microkernel model, a server's grant
 * copy): a TLB entry of the child that survived (tagged TLBs) would show the old bytes.
 * The parent's copy must be unchanged. Prints "child: <file>" and "parent: <fill>".
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static char page[4096] __attribute__((aligned(4096)));

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: forkread FILE\n");
        return 2;
    }
    memset(page, 'p', 64);
    page[64] = 0;
    long pid = syscall(SYS_fork);
    if (pid == 0) {
        volatile char before = page[0];
        (void)before;
        long fd = syscall(SYS_open, (long)argv[1], 0, 0);
        long n = fd < 0 ? -1 : syscall(SYS_read, fd, (long)page, 63);
        if (n < 0) {
            fprintf(stderr, "forkread: cannot read %s\n", argv[1]);
            _exit(1);
        }
        page[n] = 0;
        printf("child: %s\n", page);
        fflush(stdout);
        _exit(0);
    }
    int status;
    syscall(SYS_wait4, pid, (long)&status, 0, 0);
    printf("parent: %s\n", page);
    return status == 0 ? 0 : 1;
}

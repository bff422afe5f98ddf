/* A ramfs file stops at its maximum size (1 GiB, the ramfs module's s_maxbytes): a write
 * past it fails with EFBIG, one that straddles it is cut short there (Linux's
 * generic_write_checks), and a write at LONG_MAX must not wrap round (the fuzzer's find
 * on the old kernel: lseek + writev, pos + len negative, a panic). The pages of a sparse
 * file are allocated only where bytes were written. Guest-only: the limit is this
 * kernel's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void try(int fd, long off, const char *bytes) {
    long w;
    errno = 0;
    lseek(fd, off, SEEK_SET);
    w = write(fd, bytes, strlen(bytes));
    if (w < 0)
        printf("write at %ld: %s\n", off, strerror(errno));
    else
        printf("write at %ld: %ld of %ld\n", off, w, (long)strlen(bytes));
}

int main(void) {
    int fd = open("/tmp/big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    try(fd, 0x60000000L, "x");
    try(fd, 0x7ffffff0L, "x");
    try(fd, (1L << 30) - 1, "xy");
    try(fd, 1L << 30, "x");
    try(fd, 0x7fffffffffffffffL, "x");
    printf("size %ld\n", (long)lseek(fd, 0, SEEK_END));
    close(fd);
    printf("unlink: %s\n", unlink("/tmp/big") == 0 ? "ok" : strerror(errno));
    return 0;
}

/* cat [-]...: copy standard input to standard output.
 * There is no open() in the kernel yet, so any other operand is reported
 * as missing and makes the exit status 1. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

static int copy_stdin(void)
{
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cat: -: %s\n", strerror(errno));
            return 1;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                fprintf(stderr, "cat: write error: %s\n", strerror(errno));
                return 1;
            }
            off += w;
        }
    }
}

int main(int argc, char **argv)
{
    int status = 0;

    if (argc < 2)
        return copy_stdin();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) {
            if (copy_stdin() != 0)
                status = 1;
        } else {
            fprintf(stderr, "cat: %s: No such file or directory\n", argv[i]);
            status = 1;
        }
    }
    return status;
}

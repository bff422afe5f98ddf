/* microlith libc: stdout/stderr streams. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "stdio_impl.h"

static char stdout_buf[BUFSIZ];

static struct __file stdout_file = { 1, stdout_buf, 0, BUFSIZ, 0 };
static struct __file stderr_file = { 2, NULL, 0, 0, 0 };

FILE *const stdout = &stdout_file;
FILE *const stderr = &stderr_file;

/* Writes all of p[0..n), retrying short writes. */
static int write_all(FILE *f, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t r = write(f->fd, p, n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            f->error = 1;
            return -1;
        }
        if (r == 0) {
            f->error = 1;
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

int fflush(FILE *f)
{
    int r;
    if (f == NULL) {
        __stdio_flush_all();
        return 0;
    }
    if (f->len == 0)
        return 0;
    r = write_all(f, f->buf, f->len);
    f->len = 0;
    return r == 0 ? 0 : EOF;
}

void __stdio_flush_all(void)
{
    fflush(stdout);
    fflush(stderr);
}

int __fwrite_bytes(FILE *f, const char *p, size_t n)
{
    if (f->cap == 0)
        return write_all(f, p, n);
    if (f->len + n > f->cap) {
        if (fflush(f) != 0)
            return -1;
        if (n >= f->cap)
            return write_all(f, p, n);
    }
    memcpy(f->buf + f->len, p, n);
    f->len += n;
    return 0;
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    size_t total = size * n;
    if (size != 0 && total / size != n)
        return 0;
    if (__fwrite_bytes(f, p, total) != 0)
        return 0;
    return n;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;
    if (__fwrite_bytes(f, &ch, 1) != 0)
        return EOF;
    return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
    return __fwrite_bytes(f, s, strlen(s)) == 0 ? 0 : EOF;
}

int puts(const char *s)
{
    if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF)
        return EOF;
    return 0;
}

void perror(const char *s)
{
    const char *msg = strerror(errno);
    if (s && *s) {
        fputs(s, stderr);
        fputs(": ", stderr);
    }
    fputs(msg, stderr);
    fputc('\n', stderr);
}

/* microlith libc: FILE layout (private). */
#ifndef _LIBC_STDIO_IMPL_H
#define _LIBC_STDIO_IMPL_H

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>

struct __file {
    int fd;
    char *buf;      /* NULL and cap == 0: unbuffered */
    size_t len;     /* bytes pending in buf */
    size_t cap;
    int error;
};

int __fwrite_bytes(FILE *f, const char *p, size_t n);

/* Formatting engine: emits output through out(ctx, p, n); returns the
 * number of characters produced. */
typedef void (*__fmt_out)(void *ctx, const char *p, size_t n);
int __vformat(__fmt_out out, void *ctx, const char *fmt, va_list ap);

#endif

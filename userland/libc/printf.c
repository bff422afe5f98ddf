/* microlith libc: printf family.
 * Conversions: d i u x X o c s p %.  Flags: - 0 + space #.
 * Width and precision (digits or *).  Lengths: hh h l ll z j t. */
#include <stdint.h>
#include <string.h>
#include "stdio_impl.h"

#define F_LEFT  1
#define F_ZERO  2
#define F_PLUS  4
#define F_SPACE 8
#define F_ALT   16

struct sink {
    __fmt_out out;
    void *ctx;
    int count;
};

static void emit(struct sink *s, const char *p, size_t n)
{
    if (n) {
        s->out(s->ctx, p, n);
        s->count += (int)n;
    }
}

static void pad(struct sink *s, char c, int n)
{
    char block[32];
    int i;
    if (n <= 0)
        return;
    for (i = 0; i < (int)sizeof block; i++)
        block[i] = c;
    while (n > 0) {
        int k = n < (int)sizeof block ? n : (int)sizeof block;
        emit(s, block, (size_t)k);
        n -= k;
    }
}

/* Emits body[0..len) with the given prefix, honoring width and flags.
 * zeros: number of '0's to insert between prefix and body (precision). */
static void field(struct sink *s, int flags, int width, const char *prefix, int plen,
                  int zeros, const char *body, int len)
{
    int total = plen + zeros + len;
    if (!(flags & F_LEFT) && !(flags & F_ZERO))
        pad(s, ' ', width - total);
    emit(s, prefix, (size_t)plen);
    if (!(flags & F_LEFT) && (flags & F_ZERO))
        pad(s, '0', width - total);
    pad(s, '0', zeros);
    emit(s, body, (size_t)len);
    if (flags & F_LEFT)
        pad(s, ' ', width - total);
}

static void format_int(struct sink *s, uintmax_t v, int negative, int base, int upper,
                       int flags, int width, int prec)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    char prefix[3];
    int plen = 0, len = 0, zeros;

    while (v) {
        buf[sizeof buf - 1 - len] = digits[v % (unsigned)base];
        v /= (unsigned)base;
        len++;
    }
    if (prec < 0) {
        prec = 1;
    } else {
        flags &= ~F_ZERO;       /* a precision disables zero padding */
    }
    zeros = prec > len ? prec - len : 0;

    if (negative)
        prefix[plen++] = '-';
    else if (flags & F_PLUS)
        prefix[plen++] = '+';
    else if (flags & F_SPACE)
        prefix[plen++] = ' ';

    if (flags & F_ALT) {
        if (base == 16 && len > 0) {
            prefix[plen++] = '0';
            prefix[plen++] = upper ? 'X' : 'x';
        } else if (base == 8 && zeros == 0 && (len == 0 || buf[sizeof buf - len] != '0')) {
            zeros = 1;
        }
    }
    field(s, flags, width, prefix, plen, zeros, buf + sizeof buf - len, len);
}

int __vformat(__fmt_out out, void *ctx, const char *fmt, va_list ap)
{
    struct sink s = { out, ctx, 0 };
    const char *p = fmt;

    while (*p) {
        const char *q = p;
        int flags = 0, width = 0, prec = -1, lenmod = 0;
        uintmax_t uv;
        intmax_t sv;

        while (*q && *q != '%')
            q++;
        emit(&s, p, (size_t)(q - p));
        if (*q == '\0')
            break;
        p = q + 1;              /* after '%' */

        for (;; p++) {
            if (*p == '-') flags |= F_LEFT;
            else if (*p == '0') flags |= F_ZERO;
            else if (*p == '+') flags |= F_PLUS;
            else if (*p == ' ') flags |= F_SPACE;
            else if (*p == '#') flags |= F_ALT;
            else break;
        }
        if (*p == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                width = width * 10 + (*p++ - '0');
        }
        if (*p == '.') {
            p++;
            if (*p == '*') {
                prec = va_arg(ap, int);
                if (prec < 0)
                    prec = -1;
                p++;
            } else {
                prec = 0;
                while (*p >= '0' && *p <= '9')
                    prec = prec * 10 + (*p++ - '0');
            }
        }
        if (flags & F_LEFT)
            flags &= ~F_ZERO;
        if (flags & F_PLUS)
            flags &= ~F_SPACE;

        /* lenmod: -2 hh, -1 h, 0 int, 1 long/size/ptrdiff/intmax, 2 long long */
        switch (*p) {
        case 'h':
            p++;
            lenmod = -1;
            if (*p == 'h') {
                p++;
                lenmod = -2;
            }
            break;
        case 'l':
            p++;
            lenmod = 1;
            if (*p == 'l') {
                p++;
                lenmod = 2;
            }
            break;
        case 'z':
        case 'j':
        case 't':
            p++;
            lenmod = 1;
            break;
        default:
            break;
        }

        switch (*p) {
        case 'd':
        case 'i':
            if (lenmod >= 2)
                sv = va_arg(ap, long long);
            else if (lenmod == 1)
                sv = va_arg(ap, long);
            else
                sv = va_arg(ap, int);
            if (lenmod == -1)
                sv = (short)sv;
            else if (lenmod == -2)
                sv = (signed char)sv;
            uv = sv < 0 ? -(uintmax_t)sv : (uintmax_t)sv;
            format_int(&s, uv, sv < 0, 10, 0, flags, width, prec);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            if (lenmod >= 2)
                uv = va_arg(ap, unsigned long long);
            else if (lenmod == 1)
                uv = va_arg(ap, unsigned long);
            else
                uv = va_arg(ap, unsigned int);
            if (lenmod == -1)
                uv = (unsigned short)uv;
            else if (lenmod == -2)
                uv = (unsigned char)uv;
            format_int(&s, uv, 0, *p == 'u' ? 10 : *p == 'o' ? 8 : 16, *p == 'X',
                       flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        case 'p': {
            void *ptr = va_arg(ap, void *);
            if (ptr == NULL)
                field(&s, flags & ~F_ZERO, width, "", 0, 0, "(nil)", 5);
            else
                format_int(&s, (uintptr_t)ptr, 0, 16, 0, (flags | F_ALT) & ~(F_PLUS | F_SPACE),
                           width, prec);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            field(&s, flags & ~F_ZERO, width, "", 0, 0, &c, 1);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            size_t n;
            if (str == NULL)
                str = "(null)";
            n = prec >= 0 ? strnlen(str, (size_t)prec) : strlen(str);
            field(&s, flags & ~F_ZERO, width, "", 0, 0, str, (int)n);
            break;
        }
        case '%':
            emit(&s, "%", 1);
            break;
        case '\0':
            p--;                /* lone '%' at end: print nothing more */
            break;
        default:
            /* Unknown conversion: print it verbatim. */
            emit(&s, q, (size_t)(p + 1 - q));
            break;
        }
        p++;
    }
    return s.count;
}

/* --- FILE output --- */

static void file_out(void *ctx, const char *p, size_t n)
{
    __fwrite_bytes((FILE *)ctx, p, n);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    return __vformat(file_out, f, fmt, ap);
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return r;
}

/* --- string output --- */

struct strbuf {
    char *buf;
    size_t cap;     /* usable bytes, excluding the terminating NUL */
    size_t len;
};

static void str_out(void *ctx, const char *p, size_t n)
{
    struct strbuf *b = ctx;
    if (b->len < b->cap) {
        size_t room = b->cap - b->len;
        memcpy(b->buf + b->len, p, n < room ? n : room);
    }
    b->len += n;
}

int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt, va_list ap)
{
    struct strbuf b = { buf, n ? n - 1 : 0, 0 };
    int r = __vformat(str_out, &b, fmt, ap);
    if (n)
        buf[b.len < b.cap ? b.len : b.cap] = '\0';
    return r;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return vsnprintf(buf, (size_t)-1 >> 1, fmt, ap);
}

int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsprintf(buf, fmt, ap);
    va_end(ap);
    return r;
}

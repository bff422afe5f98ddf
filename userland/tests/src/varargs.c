/* varargs: variadic functions with many integer and pointer arguments
 * (spilling past the register save area), va_copy, forwarding to vsnprintf. */
#include <stdio.h>
#include <stdarg.h>
#include <stdint.h>

static long sum_ints(int n, ...)
{
    va_list ap;
    long s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        s = s * 3 + va_arg(ap, int);
    va_end(ap);
    return s;
}

static unsigned long long mixed(const char *spec, ...)
{
    va_list ap, cp;
    unsigned long long h = 0;
    va_start(ap, spec);
    va_copy(cp, ap);
    for (const char *p = spec; *p; p++) {
        switch (*p) {
        case 'i': h = h * 31 + (unsigned)va_arg(ap, int); break;
        case 'l': h = h * 31 + (unsigned long long)va_arg(ap, long); break;
        case 's': for (const char *s = va_arg(ap, const char *); *s; s++) h = h * 31 + (unsigned char)*s; break;
        case 'p': h = h * 31 + (va_arg(ap, void *) != 0); break;
        case 'c': h = h * 31 + (unsigned)(char)va_arg(ap, int); break;
        }
    }
    /* the copy walks the same list again: count the int-like ones */
    int ints = 0;
    for (const char *p = spec; *p; p++) {
        if (*p == 'i' || *p == 'c') {
            (void)va_arg(cp, int);
            ints++;
        } else if (*p == 'l') {
            (void)va_arg(cp, long);
        } else {
            (void)va_arg(cp, void *);
        }
    }
    va_end(cp);
    va_end(ap);
    return h * 10 + (unsigned)ints;
}

static int fmt(char *buf, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));
static int fmt(char *buf, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int r = vsnprintf(buf, n, f, ap);
    va_end(ap);
    return r;
}

static void vlog(const char *prefix, const char *f, va_list ap)
{
    printf("[%s] ", prefix);
    vprintf(f, ap);
}

static void logf2(const char *f, ...) __attribute__((format(printf, 1, 2)));
static void logf2(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vlog("log", f, ap);
    va_end(ap);
}

int main(void)
{
    printf("sum0=%ld\n", sum_ints(0));
    printf("sum3=%ld\n", sum_ints(3, 1, 2, 3));
    printf("sum20=%ld\n", sum_ints(20, 1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 15, -16, 17, -18, 19, -20));
    int x = 5;
    printf("mixed=%llu\n", mixed("ilspcilspcilspc", 1, 2L, "ab", &x, 'z', -1, -2L, "", (void *)0, 'A', 100000,
                                 1L << 40, "xyz", &x, '\n'));
    char buf[16];
    int r = fmt(buf, sizeof buf, "%d-%s-%x-%lld", 12345, "truncated-string", 0xbeef, -99LL);
    printf("fmt r=%d buf='%s'\n", r, buf);
    logf2("%s has %d items costing %u (%5.3s|%-6d|%+d)\n", "cart", 3, 250u, "abcdef", 42, 7);
    return (int)(sum_ints(4, 10, 20, 30, 40) % 256);
}

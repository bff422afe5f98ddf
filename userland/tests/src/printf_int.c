/* printf_int: snprintf/printf with integer, char, string and pointer
 * conversions, every flag, widths, precisions and length modifiers. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <stddef.h>

int main(void)
{
    char buf[256];
    unsigned h = 0;
    static const long long vals[] = { 0, 1, -1, 42, -42, 255, 65535, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN, 1000000 };
    static const char *fmts[] = { "[%d]", "[%5d]", "[%-5d]", "[%05d]", "[%+d]", "[% d]", "[%.3d]", "[%8.3d]",
                                  "[%-8.3d|]", "[%x]", "[%#x]", "[%08X]", "[%#o]", "[%o]", "[%u]", "[%.0d]",
                                  "[%+.0d]", "[%#.0o]", "[%-+8d]", "[%0-8d]" };
    for (unsigned f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        for (unsigned i = 0; i < 9; i++) {
            int n = snprintf(buf, sizeof buf, fmts[f], (int)vals[i]);
            printf("%s ", buf);
            h = h * 31 + (unsigned)n;
        }
        printf("\n");
    }
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        printf("ll: %lld %llu %llx %#llo %+lld %20lld|%-20lld|\n", vals[i], (unsigned long long)vals[i],
               (unsigned long long)vals[i], (unsigned long long)vals[i], vals[i], vals[i], vals[i]);
        printf("l: %ld %lx z: %zu %zx t: %td j: %jd h: %hd %hu hh: %hhd %hhu %hhx\n", (long)vals[i],
               (unsigned long)vals[i], (size_t)vals[i], (size_t)vals[i], (ptrdiff_t)vals[i], (intmax_t)vals[i],
               (short)vals[i], (unsigned short)vals[i], (signed char)vals[i], (unsigned char)vals[i],
               (unsigned char)vals[i]);
    }
    printf("star: [%*d] [%-*d] [%.*d] [%*.*d]\n", 6, 7, 6, 7, 4, 7, 8, 5, -3);
    printf("neg star width: [%*d]\n", -6, 9);
    printf("chars: [%c] [%3c] [%-3c] [%%]\n", 'x', 'y', 'z');
    printf("strings: [%s] [%10s] [%-10s] [%.2s] [%10.3s] [%s]\n", "abc", "right", "left", "truncate", "middle", "");
    printf("null ptr: [%p]\n", (void *)0);
    printf("ptr: [%p] [%p]\n", (void *)0x1234, (void *)0xffffffffffffull);
    volatile size_t lim = 10;
    int n = snprintf(buf, lim, "%s", "0123456789abcdef");
    printf("truncated: %d '%s'\n", n, buf);
    n = snprintf(NULL, 0, "%lld-%lld", LLONG_MIN, LLONG_MAX);
    printf("measure only: %d\n", n);
    printf("printf_int h=%08x\n", h);
    return (int)(h % 256);
}

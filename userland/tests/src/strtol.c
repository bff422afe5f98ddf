/* strtol: strtol/strtoul/strtoll/strtoull/atoi parsing of many bases,
 * signs, prefixes, whitespace, overflow saturation and end pointers. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

static const char *inputs[] = {
    "0", "  42", "-17", "+99", "0x1F", "0X1f", "077", "08", "0b101", "z", "  -0x80000000",
    "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "-1", "123abc", "   ", "", "0x", "1e5", "\t\n 12", "-", "+-3", "zzzz",
};

static const int bases[] = { 0, 10, 16, 8, 2, 36 };

int main(void)
{
    unsigned long long h = 0;
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *s = inputs[i];
        for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            char *end;
            errno = 0;
            long v = strtol(s, &end, bases[b]);
            int e1 = errno;
            errno = 0;
            unsigned long u = strtoul(s, &end, bases[b]);
            int e2 = errno;
            errno = 0;
            long long ll = strtoll(s, &end, bases[b]);
            errno = 0;
            unsigned long long ull = strtoull(s, &end, bases[b]);
            printf("'%s' base %2d: l=%ld(%d) ul=%lu(%d) ll=%lld ull=%llu end=+%d\n", s, bases[b], v,
                   e1 == ERANGE, u, e2 == ERANGE, ll, ull, (int)(end - s));
            h = h * 37 + (unsigned long long)v + u + (unsigned long)(end - s);
        }
        printf("atoi('%s')=%d atol=%ld\n", s, i < 11 || i > 20 ? atoi(s) : 0, i < 11 ? atol(s) : 0L);
    }
    printf("strtol hash=%016llx\n", h);
    return (int)(h % 7) + 20;
}

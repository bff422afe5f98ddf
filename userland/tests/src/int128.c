/* int128: __int128 multiply, divide, modulo, shifts and comparisons,
 * printed through a hand-written decimal/hex conversion. */
#include <stdio.h>
#include <stdint.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

static char *u128_dec(u128 v, char *buf)
{
    char tmp[48];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}

static char *s128_dec(s128 v, char *buf)
{
    if (v < 0) {
        buf[0] = '-';
        u128_dec((u128)0 - (u128)v, buf + 1);
    } else {
        u128_dec((u128)v, buf);
    }
    return buf;
}

static void hex(u128 v, char *buf)
{
    snprintf(buf, 40, "%016llx%016llx", (unsigned long long)(v >> 64), (unsigned long long)v);
}

int main(void)
{
    char a[64], b[64], c[64], d[64];
    u128 f = 1;
    for (int i = 1; i <= 34; i++) {
        f *= (u128)i;
        if (i % 3 == 0 || i > 30)
            printf("%d! = %s\n", i, u128_dec(f, a));
    }
    u128 max = ~(u128)0;
    s128 smax = (s128)(max >> 1), smin = -smax - 1;
    printf("umax = %s\nsmax = %s\nsmin = %s\n", u128_dec(max, a), s128_dec(smax, b), s128_dec(smin, c));
    volatile u128 x = ((u128)0x0123456789abcdefull << 64) | 0xfedcba9876543210ull;
    static const uint64_t divs[] = { 1, 3, 10, 0xffffffffull, 0x100000000ull, 0xffffffffffffffffull };
    for (unsigned i = 0; i < sizeof divs / sizeof divs[0]; i++) {
        u128 dv = divs[i];
        printf("x / %llu = %s rem %s\n", (unsigned long long)divs[i], u128_dec(x / dv, a), u128_dec(x % dv, b));
    }
    u128 big = ((u128)0xabcdefull << 70) + 12345;
    printf("x / big = %s rem %s\n", u128_dec(x / big, a), u128_dec(x % big, b));
    volatile s128 n = -(s128)x / 7;
    printf("-x/7 = %s  -x%%7 = %s  -x/-13 = %s -x%%-13 = %s\n", s128_dec(n, a), s128_dec(-(s128)x % 7, b),
           s128_dec(-(s128)x / -13, c), s128_dec(-(s128)x % -13, d));
    for (int s = 0; s < 128; s += 9) {
        volatile int sh = s;
        hex(x << sh, a);
        hex(x >> sh, b);
        hex((u128)((s128)x >> sh), c);
        hex((u128)(-(s128)x >> sh), d);
        printf("sh %3d: %s %s %s %s\n", s, a, b, c, d);
    }
    /* integer square root by Newton on u128 */
    u128 v = max / 3, r = v, last = 0;
    while (r != last) {
        last = r;
        r = (r + v / r) / 2;
        if (r > last)
            r = last;
    }
    printf("isqrt(max/3) = %s\n", u128_dec(r, a));
    printf("cmp: %d %d %d\n", smin < (s128)0, (u128)smin > (u128)smax, (s128)x > (s128)0);
    return (int)(r % 256);
}

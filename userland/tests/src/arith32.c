/* arith32: 32-bit signed/unsigned arithmetic, comparisons, widening and
 * narrowing conversions, multiply-high, negation of extremes. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

static volatile int32_t sv[] = { 0, 1, -1, 2, -2, 10, -10, 65535, 65536, -65536, 123456789, -123456789,
                                 INT_MAX, INT_MIN + 1, INT_MIN, 0x40000000, -0x40000000 };
static volatile uint32_t uv[] = { 0, 1, 2, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000u, 0x80000001u,
                                  0xdeadbeefu, 0xfffffffeu, 0xffffffffu };

int main(void)
{
    uint64_t h = 1469598103934665603ull;
    int ns = sizeof sv / sizeof sv[0], nu = sizeof uv / sizeof uv[0];
    for (int i = 0; i < ns; i++) {
        for (int j = 0; j < ns; j++) {
            int32_t a = sv[i], b = sv[j];
            int32_t add = (int32_t)((uint32_t)a + (uint32_t)b);
            int32_t sub = (int32_t)((uint32_t)a - (uint32_t)b);
            int32_t mul = (int32_t)((uint32_t)a * (uint32_t)b);
            int64_t wide = (int64_t)a * b;
            int32_t q = 0, r = 0;
            if (b != 0 && !(a == INT_MIN && b == -1)) {
                q = a / b;
                r = a % b;
            }
            printf("%11d %11d: %11d %11d %11d %20lld %11d %11d %d%d%d\n", a, b, add, sub, mul,
                   (long long)wide, q, r, a < b, a == b, (uint32_t)a < (uint32_t)b);
            h = (h ^ (uint32_t)add) * 1099511628211ull;
            h = (h ^ (uint64_t)wide) * 1099511628211ull;
            h = (h ^ (uint32_t)(q ^ r)) * 1099511628211ull;
        }
    }
    for (int i = 0; i < nu; i++) {
        for (int j = 0; j < nu; j++) {
            uint32_t a = uv[i], b = uv[j];
            uint64_t full = (uint64_t)a * b;
            printf("%10u %10u: %10u %10u %08x %08x %10u %10u\n", a, b, a + b, a - b,
                   (uint32_t)(full >> 32), (uint32_t)full, b ? a / b : 0, b ? a % b : 0);
            h = (h ^ full) * 1099511628211ull;
        }
        printf("conv %u: s8=%d u8=%u s16=%d u16=%u s64=%lld neg=%u not=%08x\n", uv[i], (int8_t)uv[i],
               (uint8_t)uv[i], (int16_t)uv[i], (uint16_t)uv[i], (long long)(int32_t)uv[i], -uv[i], ~uv[i]);
    }
    printf("arith32 hash=%016llx\n", (unsigned long long)h);
    return (int)(h % 97);
}

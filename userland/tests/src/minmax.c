/* minmax: branchless min/max/abs/clamp/select idioms (cmov, setcc, sbb
 * masks) on signed and unsigned values of all widths. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

static inline int64_t smin(int64_t a, int64_t b) { return a < b ? a : b; }
static inline uint64_t umax(uint64_t a, uint64_t b) { return a > b ? a : b; }
static inline int32_t clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int sgn(int64_t v) { return (v > 0) - (v < 0); }
static inline uint32_t sel(int c, uint32_t a, uint32_t b) { uint32_t m = 0u - (uint32_t)(c != 0); return (a & m) | (b & ~m); }

int main(void)
{
    uint64_t x = 88172645463325252ull;
    int64_t h = 0;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t a = (int64_t)x, b = (int64_t)(x * 0x9e3779b97f4a7c15ull);
        int32_t a32 = (int32_t)a, b32 = (int32_t)(b >> 32);
        int16_t a16 = (int16_t)a, b16 = (int16_t)b;
        int8_t a8 = (int8_t)(a >> 8), b8 = (int8_t)(b >> 16);
        int64_t r = smin(a, b) ^ (int64_t)umax((uint64_t)a, (uint64_t)b);
        r += clamp(a32, -1000000, 1000000) + sgn(a - (b >> 1)) + (int64_t)sel(a8 < b8, (uint32_t)a16, (uint32_t)b16);
        r += abs(a32 == INT32_MIN ? 0 : a32) + labs((long)(b16 - a16)) + (a8 > b8 ? a8 : b8) + (a16 < b16);
        r += (uint8_t)a8 > (uint8_t)b8 ? 1 : 2;
        r ^= (int64_t)b32 << 3;
        h = h * 31 + r;
        if (i < 8)
            printf("%lld %lld -> %lld\n", (long long)a, (long long)b, (long long)r);
    }
    printf("minmax h=%lld\n", (long long)h);
    return (int)((uint64_t)h % 256);
}

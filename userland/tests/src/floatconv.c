/* floatconv: conversions between float, double and every integer width
 * (cvttsd2si, cvtsi2sd, unsigned 64-bit paths), rounding of ties, and
 * float<->double narrowing, printed as bit patterns. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint64_t dbits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static uint32_t fbits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

int main(void)
{
    static volatile double dv[] = { 0.0, -0.0, 0.4, 0.5, 0.6, 1.5, -1.5, 2.5, -2.5, 127.9, -128.9, 255.5, 32767.7,
                                    -32768.2, 2147483647.9, -2147483648.9, 4294967295.5, 9.2233720368547748e18,
                                    1.8446744073709550e19, -9.2233720368547758e18, 1e-310, 3.4028235677973366e38,
                                    1e39, 16777217.0, 9007199254740993.0 };
    uint64_t h = 0;
    for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++) {
        double d = dv[i];
        float f = (float)d;
        long long s64 = (d > -9.3e18 && d < 9.2e18) ? (long long)d : 0;
        unsigned long long u64 = (d >= 0 && d < 1.8e19) ? (unsigned long long)d : 0;
        int s32 = (d > -2147483649.0 && d < 2147483648.0) ? (int)d : 0;
        unsigned u32 = (d > -1.0 && d < 4294967296.0) ? (unsigned)d : 0;
        short s16 = (d > -32769.0 && d < 32768.0) ? (short)d : 0;
        signed char s8 = (d > -129.0 && d < 128.0) ? (signed char)d : 0;
        printf("%.17g: f=%08x d=%016llx s64=%lld u64=%llu s32=%d u32=%u s16=%d s8=%d back=%016llx\n", d, fbits(f),
               (unsigned long long)dbits(d), s64, u64, s32, u32, s16, s8, (unsigned long long)dbits((double)f));
        h = h * 31 + fbits(f) + (uint64_t)s64 + u64;
    }
    static volatile int64_t iv[] = { 0, 1, -1, 16777217, -16777217, 9007199254740993ll, INT64_MAX, INT64_MIN,
                                     0x7ffffffffffffdffll };
    static volatile uint64_t uv[] = { 0, 1, 0x8000000000000000ull, 0xffffffffffffffffull, 0x8000000000000401ull,
                                      0xfffffffffffff7ffull, 0x20000000000001ull };
    for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; i++)
        printf("s64 %lld -> d=%016llx f=%08x\n", (long long)iv[i], (unsigned long long)dbits((double)iv[i]),
               fbits((float)iv[i]));
    for (unsigned i = 0; i < sizeof uv / sizeof uv[0]; i++)
        printf("u64 %llu -> d=%016llx f=%08x\n", (unsigned long long)uv[i], (unsigned long long)dbits((double)uv[i]),
               fbits((float)uv[i]));
    for (int i = -5; i <= 5; i++) {
        volatile int32_t x = i * 1000003;
        volatile uint32_t ux = 0xfffffff0u + (uint32_t)i;
        printf("i32 %d -> %016llx %08x; u32 %u -> %016llx %08x\n", x, (unsigned long long)dbits(x), fbits((float)x),
               ux, (unsigned long long)dbits(ux), fbits((float)ux));
    }
    printf("floatconv h=%016llx\n", (unsigned long long)h);
    return (int)(h % 256);
}

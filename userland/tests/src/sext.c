/* sext: sign and zero extension and truncation between every pair of
 * integer widths (movsx/movzx/movsxd/cbw/cwde/cdqe/cqo), via memory and registers. */
#include <stdio.h>
#include <stdint.h>

static volatile uint64_t pats[] = { 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
                                    0xffffffff, 0x8000000000000000ull, 0xffffffffffffffffull, 0x123456789abcdef0ull,
                                    0xfedcba9876543210ull, 0x00000000ff00ff80ull };

static int64_t cqo_hi(int64_t v)
{
    int64_t d;
    __asm__("cqto" : "=d"(d) : "a"(v));
    return d;
}

static int64_t cdqe(uint64_t v)
{
    __asm__("cltq" : "+a"(v));
    return (int64_t)v;
}

static uint64_t cbw_cwde(uint64_t v)
{
    __asm__("cbtw\n\tcwtl" : "+a"(v));
    return v;
}

int main(void)
{
    uint64_t h = 0;
    for (unsigned i = 0; i < sizeof pats / sizeof pats[0]; i++) {
        uint64_t p = pats[i];
        int64_t s8 = (int8_t)p, s16 = (int16_t)p, s32 = (int32_t)p;
        uint64_t z8 = (uint8_t)p, z16 = (uint16_t)p, z32 = (uint32_t)p;
        int32_t s8_32 = (int8_t)p, s16_32 = (int16_t)p;
        int16_t s8_16 = (int8_t)p;
        printf("%016llx: s8=%lld s16=%lld s32=%lld z8=%llu z16=%llu z32=%llu | %d %d %d | cqo=%lld cdqe=%lld cbw=%016llx\n",
               (unsigned long long)p, (long long)s8, (long long)s16, (long long)s32, (unsigned long long)z8,
               (unsigned long long)z16, (unsigned long long)z32, s8_32, s16_32, s8_16, (long long)cqo_hi((int64_t)p),
               (long long)cdqe(p), (unsigned long long)cbw_cwde(p));
        h = h * 1099511628211ull + (uint64_t)s8 + (uint64_t)s16 * 3 + (uint64_t)s32 * 5 + z8 + z16 + z32;
    }
    printf("sext h=%016llx\n", (unsigned long long)h);
    return (int)(h % 256);
}

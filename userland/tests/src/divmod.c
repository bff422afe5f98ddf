/* divmod: signed and unsigned division/remainder of every width with
 * negative operands, C truncation semantics, and raw idiv/div instructions
 * via inline asm (including the INT_MIN / -1 case avoided). */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

static int64_t asm_idiv64(int64_t a, int64_t b, int64_t *rem)
{
    int64_t q, r;
    __asm__("cqto\n\tidivq %3" : "=a"(q), "=&d"(r) : "a"(a), "r"(b) : "cc");
    *rem = r;
    return q;
}

static uint32_t asm_div32(uint32_t hi, uint32_t lo, uint32_t b, uint32_t *rem)
{
    uint32_t q, r;
    __asm__("divl %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "r"(b) : "cc");
    *rem = r;
    return q;
}

static int8_t asm_idiv8(int16_t a, int8_t b, int8_t *rem)
{
    uint16_t ax = (uint16_t)a;
    __asm__("idivb %b1" : "+a"(ax) : "q"(b) : "cc");
    *rem = (int8_t)(ax >> 8);
    return (int8_t)ax;
}

static volatile int64_t nums[] = { 0, 1, -1, 7, -7, 13, -13, 100, -100, 255, -255, 32767, -32768,
                                   INT_MAX, INT_MIN, 1ll << 40, -(1ll << 40), LLONG_MAX, LLONG_MIN };
static volatile int64_t dens[] = { 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 256, -256, 65537, INT_MAX, INT_MIN };

int main(void)
{
    int mismatches = 0;
    uint64_t h = 7;
    int nn = sizeof nums / sizeof nums[0], nd = sizeof dens / sizeof dens[0];
    for (int i = 0; i < nn; i++) {
        for (int j = 0; j < nd; j++) {
            int64_t a = nums[i], b = dens[j];
            if (a == LLONG_MIN && b == -1)
                continue;
            int64_t r, q = asm_idiv64(a, b, &r);
            if (q != a / b || r != a % b)
                mismatches++;
            int32_t a32 = (int32_t)a, b32 = (int32_t)b;
            int32_t q32 = 0, r32 = 0;
            if (b32 != 0 && !(a32 == INT_MIN && b32 == -1)) {
                q32 = a32 / b32;
                r32 = a32 % b32;
            }
            uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
            uint32_t ua32 = (uint32_t)a, ub32 = (uint32_t)b;
            printf("%lld / %lld = %lld r %lld | 32: %d %d | u64: %llu %llu | u32: %u %u\n", (long long)a,
                   (long long)b, (long long)q, (long long)r, q32, r32, (unsigned long long)(ua / ub),
                   (unsigned long long)(ua % ub), ub32 ? ua32 / ub32 : 0, ub32 ? ua32 % ub32 : 0);
            h = h * 31 + (uint64_t)q + (uint64_t)r * 7 + (uint64_t)(ua / ub);
        }
    }
    for (int a = -128; a <= 127; a += 17) {
        for (int b = -128; b <= 127; b += 29) {
            if (b == 0)
                continue;
            int8_t rr, qq = asm_idiv8((int16_t)a, (int8_t)b, &rr);
            if (qq != a / b || rr != a % b)
                mismatches++;
            h = h * 3 + (uint8_t)qq + (uint8_t)rr;
        }
    }
    uint32_t rem, q = asm_div32(0x12345, 0x6789abcd, 0x7fffffff, &rem);
    printf("div32 wide: q=%u r=%u\n", q, rem);
    q = asm_div32(0xfffffffe, 0xffffffff, 0xffffffff, &rem);
    printf("div32 max: q=%u r=%u\n", q, rem);
    printf("divmod hash=%016llx mismatches=%d\n", (unsigned long long)h, mismatches);
    return mismatches ? 100 : 5;
}

/* bits: popcount, clz, ctz, ffs, parity, rotations, byte swaps, bit
 * reversal and other classic bit tricks on 32- and 64-bit values. */
#include <stdio.h>
#include <stdint.h>

static uint32_t rotl32(uint32_t v, unsigned c) { c &= 31; return c ? (v << c) | (v >> (32 - c)) : v; }
static uint64_t rotr64(uint64_t v, unsigned c) { c &= 63; return c ? (v >> c) | (v << (64 - c)) : v; }

static int pop_naive(uint64_t v)
{
    int n = 0;
    while (v) {
        v &= v - 1;
        n++;
    }
    return n;
}

static uint32_t rev32(uint32_t v)
{
    v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
    v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
    v = ((v >> 4) & 0x0f0f0f0fu) | ((v & 0x0f0f0f0fu) << 4);
    return __builtin_bswap32(v);
}

static uint64_t next_perm(uint64_t v)
{
    uint64_t t = v | (v - 1);
    return (t + 1) | (((~t & -~t) - 1) >> (__builtin_ctzll(v) + 1));
}

int main(void)
{
    uint64_t x = 0x243f6a8885a308d3ull;
    uint64_t h = 0;
    int errors = 0;
    for (int i = 0; i < 64; i++) {
        uint64_t v = x;
        uint32_t w = (uint32_t)(x >> 13);
        if (i % 8 == 0)
            v &= 0xffff0000ull << i % 48;
        if (i == 5)
            v = 1;
        if (i == 6)
            v = 0x8000000000000000ull;
        int pc = __builtin_popcountll(v);
        if (pc != pop_naive(v))
            errors++;
        int clz = v ? __builtin_clzll(v) : 64;
        int ctz = v ? __builtin_ctzll(v) : 64;
        int clz32 = w ? __builtin_clz(w) : 32;
        printf("%016llx: pop=%2d clz=%2d ctz=%2d ffs=%2d par=%d clrsb=%2d | %08x pop=%2d clz=%2d ctz=%2d "
               "bswap=%08x rev=%08x rotl=%08x\n", (unsigned long long)v, pc, clz, ctz, __builtin_ffsll((long long)v),
               __builtin_parityll(v), __builtin_clrsbll((long long)v), w, __builtin_popcount(w), clz32,
               w ? __builtin_ctz(w) : 32, __builtin_bswap32(w), rev32(w), rotl32(w, (unsigned)i));
        printf("  bswap64=%016llx rotr=%016llx lowbit=%016llx blsr=%016llx mask=%016llx bswap16=%04x\n",
               (unsigned long long)__builtin_bswap64(v), (unsigned long long)rotr64(v, (unsigned)i * 3),
               (unsigned long long)(v & -v), (unsigned long long)(v & (v - 1)),
               (unsigned long long)(v ^ (v - 1)), __builtin_bswap16((uint16_t)v));
        h = h * 1000003 + (uint64_t)pc * 64 + (uint64_t)clz + rev32(w);
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    }
    uint64_t p = 0x7;
    for (int i = 0; i < 12; i++) {
        printf("perm %016llx\n", (unsigned long long)p);
        p = next_perm(p);
    }
    printf("bits hash=%016llx errors=%d\n", (unsigned long long)h, errors);
    return errors ? 1 : 0;
}

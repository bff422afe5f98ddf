/* shifts: shifts and rotates by variable counts, including counts at and
 * beyond the operand width.  C shifts stay within the defined range; the raw
 * instructions (which mask the count to 5 or 6 bits, and for 8/16-bit
 * rotates use the masked count modulo width) are exercised via inline asm. */
#include <stdio.h>
#include <stdint.h>

#define RAW(name, insn, type, suf, reg)                                          \
    static type name(type v, uint8_t c)                                       \
    {                                                                          \
        __asm__(insn suf " %%cl, %" reg "0" : "+r"(v) : "c"(c) : "cc");         \
        return v;                                                              \
    }

RAW(shl64, "shl", uint64_t, "q", "q")
RAW(shr64, "shr", uint64_t, "q", "q")
RAW(sar64, "sar", uint64_t, "q", "q")
RAW(rol64, "rol", uint64_t, "q", "q")
RAW(ror64, "ror", uint64_t, "q", "q")
RAW(shl32, "shl", uint32_t, "l", "k")
RAW(shr32, "shr", uint32_t, "l", "k")
RAW(sar32, "sar", uint32_t, "l", "k")
RAW(rol32, "rol", uint32_t, "l", "k")
RAW(ror32, "ror", uint32_t, "l", "k")
RAW(shl16, "shl", uint16_t, "w", "w")
RAW(shr16, "shr", uint16_t, "w", "w")
RAW(sar16, "sar", uint16_t, "w", "w")
RAW(rol16, "rol", uint16_t, "w", "w")
RAW(ror16, "ror", uint16_t, "w", "w")
RAW(rcl16, "rcl", uint16_t, "w", "w")
RAW(shl8, "shl", uint8_t, "b", "b")
RAW(shr8, "shr", uint8_t, "b", "b")
RAW(sar8, "sar", uint8_t, "b", "b")
RAW(rol8, "rol", uint8_t, "b", "b")
RAW(ror8, "ror", uint8_t, "b", "b")

static uint64_t shld64(uint64_t a, uint64_t b, uint8_t c)
{
    __asm__("shldq %%cl, %1, %0" : "+r"(a) : "r"(b), "c"(c) : "cc");
    return a;
}

static uint64_t shrd64(uint64_t a, uint64_t b, uint8_t c)
{
    __asm__("shrdq %%cl, %1, %0" : "+r"(a) : "r"(b), "c"(c) : "cc");
    return a;
}

static uint32_t shld32(uint32_t a, uint32_t b, uint8_t c)
{
    __asm__("shldl %%cl, %1, %0" : "+r"(a) : "r"(b), "c"(c) : "cc");
    return a;
}

/* Carry flag after a shift by count c (count masked; c&31==0 leaves CF as set before). */
static int shl32_cf(uint32_t v, uint8_t c)
{
    uint8_t cf;
    __asm__("stc\n\tshll %%cl, %1\n\tsetc %0" : "=q"(cf), "+r"(v) : "c"(c) : "cc");
    return cf;
}

static volatile uint8_t counts[] = { 0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 200, 255 };

int main(void)
{
    uint64_t h = 0;
    uint64_t v64 = 0x8123456789abcdefull;
    uint32_t v32 = 0x89abcdefu;
    uint16_t v16 = 0x8a5f;
    uint8_t v8 = 0x96;
    for (unsigned i = 0; i < sizeof counts; i++) {
        uint8_t c = counts[i];
        unsigned cm64 = c & 63, cm32 = c & 31;
        printf("c=%3u q: %016llx %016llx %016llx %016llx %016llx\n", c,
               (unsigned long long)shl64(v64, c), (unsigned long long)shr64(v64, c),
               (unsigned long long)sar64(v64, c), (unsigned long long)rol64(v64, c),
               (unsigned long long)ror64(v64, c));
        printf("c=%3u l: %08x %08x %08x %08x %08x cf=%d\n", c, shl32(v32, c), shr32(v32, c),
               sar32(v32, c), rol32(v32, c), ror32(v32, c), shl32_cf(v32, c));
        printf("c=%3u w: %04x %04x %04x %04x %04x %04x\n", c, shl16(v16, c), shr16(v16, c),
               sar16(v16, c), rol16(v16, c), ror16(v16, c), rcl16(v16, c));
        printf("c=%3u b: %02x %02x %02x %02x %02x\n", c, shl8(v8, c), shr8(v8, c), sar8(v8, c),
               rol8(v8, c), ror8(v8, c));
        printf("c=%3u d: %016llx %016llx %08x\n", c, (unsigned long long)shld64(v64, 0xfedcba9876543210ull, c),
               (unsigned long long)shrd64(v64, 0xfedcba9876543210ull, c), shld32(v32, 0x13572468u, c));
        /* the C equivalents of the masked counts must agree */
        uint64_t cshl = v64 << cm64, cshr = v64 >> cm64;
        uint64_t csar = (uint64_t)((int64_t)v64 >> cm64);
        uint32_t c32 = v32 << cm32;
        if (cshl != shl64(v64, c) || cshr != shr64(v64, c) || csar != sar64(v64, c) || c32 != shl32(v32, c))
            printf("  mismatch between C and raw shift at c=%u\n", c);
        h = h * 131 + shl64(v64, c) + shr32(v32, c) + rol16(v16, c) + sar8(v8, c);
    }
    /* shifts of narrow types via promotion: defined for counts < 32 */
    for (int c = 0; c < 32; c += 5) {
        int8_t s8 = -100;
        uint8_t u8 = 200;
        printf("promo c=%2d: %d %d %u %u\n", c, s8 >> c, (int)((unsigned)s8 << c), (unsigned)u8 << c, u8 >> c);
    }
    printf("shifts hash=%016llx\n", (unsigned long long)h);
    return (int)(h & 0x7f);
}

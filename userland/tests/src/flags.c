/* flags: arithmetic flag results (CF PF AF ZF SF OF) of add, adc, sub, sbb,
 * and, or, xor, inc, dec, neg, cmp, imul and mul at 8/16/32/64 bits, read back
 * with pushf. Undefined flags are masked out per instruction; for not (which
 * leaves flags alone) only the CF set just before is kept. */
#include <stdio.h>
#include <stdint.h>

#define CF 0x001
#define PF 0x004
#define AF 0x010
#define ZF 0x040
#define SF 0x080
#define OF 0x800
#define ALL (CF | PF | AF | ZF | SF | OF)

#define BINOP(name, insn, T, sfx, reg)                                                         \
    static unsigned name(T *a, T b, unsigned cin)                                          \
    {                                                                                       \
        uint64_t fl;                                                                        \
        T r = *a;                                                                           \
        __asm__("bt $0, %q3\n\t" insn sfx " %" reg "2, %" reg "0\n\tpushfq\n\tpopq %1"      \
                : "+r"(r), "=r"(fl) : "r"(b), "r"((uint64_t)cin) : "cc");                   \
        *a = r;                                                                             \
        return (unsigned)fl & ALL;                                                          \
    }

#define UNOP(name, insn, T, sfx, reg)                                                          \
    static unsigned name(T *a)                                                              \
    {                                                                                       \
        uint64_t fl;                                                                        \
        T r = *a;                                                                           \
        __asm__("stc\n\t" insn sfx " %" reg "0\n\tpushfq\n\tpopq %1" : "+r"(r), "=r"(fl) : : "cc"); \
        *a = r;                                                                             \
        return (unsigned)fl & ALL;                                                          \
    }

#define WIDTH(T, sfx, reg, w)                  \
    BINOP(add##w, "add", T, sfx, reg)          \
    BINOP(adc##w, "adc", T, sfx, reg)          \
    BINOP(sub##w, "sub", T, sfx, reg)          \
    BINOP(sbb##w, "sbb", T, sfx, reg)          \
    BINOP(and##w, "and", T, sfx, reg)          \
    BINOP(or##w, "or", T, sfx, reg)            \
    BINOP(xor##w, "xor", T, sfx, reg)          \
    BINOP(cmp##w, "cmp", T, sfx, reg)          \
    BINOP(test##w, "test", T, sfx, reg)        \
    UNOP(inc##w, "inc", T, sfx, reg)           \
    UNOP(dec##w, "dec", T, sfx, reg)           \
    UNOP(neg##w, "neg", T, sfx, reg)           \
    UNOP(notf##w, "not", T, sfx, reg) \
    static unsigned not##w(T *a) { return notf##w(a) & CF; }

WIDTH(uint8_t, "b", "b", 8)
WIDTH(uint16_t, "w", "w", 16)
WIDTH(uint32_t, "l", "k", 32)
WIDTH(uint64_t, "q", "q", 64)

/* imul r, r: only CF and OF are defined */
static unsigned imul32(uint32_t *a, uint32_t b)
{
    uint64_t fl;
    uint32_t r = *a;
    __asm__("imull %2, %0\n\tpushfq\n\tpopq %1" : "+r"(r), "=r"(fl) : "r"(b) : "cc");
    *a = r;
    return (unsigned)fl & (CF | OF);
}

static unsigned mul64(uint64_t *lo, uint64_t *hi, uint64_t b)
{
    uint64_t fl, a = *lo, d;
    __asm__("mulq %3\n\tpushfq\n\tpopq %2" : "+a"(a), "=d"(d), "=r"(fl) : "r"(b) : "cc");
    *lo = a;
    *hi = d;
    return (unsigned)fl & (CF | OF);
}

static unsigned imul16(uint16_t *a, uint16_t b)
{
    uint64_t fl;
    uint16_t r = *a;
    __asm__("imulw %2, %0\n\tpushfq\n\tpopq %1" : "+r"(r), "=r"(fl) : "r"(b) : "cc");
    *a = r;
    return (unsigned)fl & (CF | OF);
}

static const uint64_t vals[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
                                 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                                 0xffffffffffffffffull, 0x0f0f0f0f0f0f0f0full, 0x123456789abcdef0ull };

int main(void)
{
    unsigned h = 0;
    int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            for (unsigned c = 0; c < 2; c++) {
                uint64_t a = vals[i], b = vals[j];
                uint8_t r8[9];
                uint16_t r16[9];
                uint32_t r32[9];
                uint64_t r64[9];
                unsigned f8[9], f16[9], f32[9], f64[9];
                for (int k = 0; k < 9; k++) {
                    r8[k] = (uint8_t)a;
                    r16[k] = (uint16_t)a;
                    r32[k] = (uint32_t)a;
                    r64[k] = a;
                }
                f8[0] = add8(&r8[0], (uint8_t)b, c); f8[1] = adc8(&r8[1], (uint8_t)b, c); f8[2] = sub8(&r8[2], (uint8_t)b, c);
                f8[3] = sbb8(&r8[3], (uint8_t)b, c); f8[4] = and8(&r8[4], (uint8_t)b, c) & ~AF; f8[5] = or8(&r8[5], (uint8_t)b, c) & ~AF;
                f8[6] = xor8(&r8[6], (uint8_t)b, c) & ~AF; f8[7] = cmp8(&r8[7], (uint8_t)b, c); f8[8] = test8(&r8[8], (uint8_t)b, c) & ~AF;
                f16[0] = add16(&r16[0], (uint16_t)b, c); f16[1] = adc16(&r16[1], (uint16_t)b, c); f16[2] = sub16(&r16[2], (uint16_t)b, c);
                f16[3] = sbb16(&r16[3], (uint16_t)b, c); f16[4] = and16(&r16[4], (uint16_t)b, c) & ~AF; f16[5] = or16(&r16[5], (uint16_t)b, c) & ~AF;
                f16[6] = xor16(&r16[6], (uint16_t)b, c) & ~AF; f16[7] = cmp16(&r16[7], (uint16_t)b, c); f16[8] = test16(&r16[8], (uint16_t)b, c) & ~AF;
                f32[0] = add32(&r32[0], (uint32_t)b, c); f32[1] = adc32(&r32[1], (uint32_t)b, c); f32[2] = sub32(&r32[2], (uint32_t)b, c);
                f32[3] = sbb32(&r32[3], (uint32_t)b, c); f32[4] = and32(&r32[4], (uint32_t)b, c) & ~AF; f32[5] = or32(&r32[5], (uint32_t)b, c) & ~AF;
                f32[6] = xor32(&r32[6], (uint32_t)b, c) & ~AF; f32[7] = cmp32(&r32[7], (uint32_t)b, c); f32[8] = test32(&r32[8], (uint32_t)b, c) & ~AF;
                f64[0] = add64(&r64[0], b, c); f64[1] = adc64(&r64[1], b, c); f64[2] = sub64(&r64[2], b, c);
                f64[3] = sbb64(&r64[3], b, c); f64[4] = and64(&r64[4], b, c) & ~AF; f64[5] = or64(&r64[5], b, c) & ~AF;
                f64[6] = xor64(&r64[6], b, c) & ~AF; f64[7] = cmp64(&r64[7], b, c); f64[8] = test64(&r64[8], b, c) & ~AF;
                if (c == 0 && j % 3 == 0) {
                    printf("%llx,%llx:", (unsigned long long)a, (unsigned long long)b);
                    for (int k = 0; k < 9; k++)
                        printf(" %03x/%03x/%03x/%03x", f8[k], f16[k], f32[k], f64[k]);
                    printf("\n");
                }
                for (int k = 0; k < 9; k++)
                    h = h * 31 + f8[k] + f16[k] * 3 + f32[k] * 5 + f64[k] * 7 + r8[k] + r16[k] + r32[k] + (uint32_t)r64[k];
            }
        }
        uint8_t u8 = (uint8_t)vals[i];
        uint16_t u16 = (uint16_t)vals[i];
        uint32_t u32 = (uint32_t)vals[i];
        uint64_t u64 = vals[i];
        unsigned fi = inc8(&u8) | inc16(&u16) << 12, fi2 = inc32(&u32), fi3 = inc64(&u64);
        unsigned fd = dec8(&u8) | dec16(&u16) << 12, fd2 = dec32(&u32), fd3 = dec64(&u64);
        unsigned fn = neg8(&u8) | neg16(&u16) << 12, fn2 = neg32(&u32), fn3 = neg64(&u64);
        unsigned fo = not8(&u8) | not16(&u16) << 12 | not32(&u32) << 24, fo2 = not64(&u64);
        printf("unary %llx: inc %06x %03x %03x dec %06x %03x %03x neg %06x %03x %03x not %x %03x -> %02x %04x %08x %016llx\n",
               (unsigned long long)vals[i], fi, fi2, fi3, fd, fd2, fd3, fn, fn2, fn3, fo, fo2, u8, u16, u32,
               (unsigned long long)u64);
        uint32_t m = (uint32_t)vals[i];
        uint16_t m16 = (uint16_t)vals[i];
        uint64_t lo = vals[i], hi;
        unsigned fm = imul32(&m, 0x10001u), fm16 = imul16(&m16, 0x1ff), fmu = mul64(&lo, &hi, 0xfffffffffull);
        printf("mul %llx: imul32 %08x %03x imul16 %04x %03x mul64 %016llx:%016llx %03x\n", (unsigned long long)vals[i],
               m, fm, m16, fm16, (unsigned long long)hi, (unsigned long long)lo, fmu);
        h = h * 7 + fi + fd + fn + fo + fm + fmu;
    }
    printf("flags h=%08x\n", h);
    return (int)(h % 256);
}

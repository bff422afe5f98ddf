/* x87: exactly specified x87 instructions via inline asm: fsqrt, fprem,
 * fprem1, frndint under each rounding mode (fldcw), fscale, fxtract, fabs,
 * fchs, fbstp/fbld (BCD), fild/fistp of 16/32/64 bits, fcomi/fucomip flags,
 * fxch, the status word after compares, and the constants fldpi/fldl2e/fldz. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static void show(const char *name, long double v)
{
    unsigned char b[10];
    memcpy(b, &v, 10);
    printf("%-10s %.21Lg  %02x%02x:", name, v, b[9], b[8]);
    for (int i = 7; i >= 0; i--)
        printf("%02x", b[i]);
    printf("\n");
}

static long double x_sqrt(long double v) { __asm__("fsqrt" : "+t"(v)); return v; }
static long double x_abs(long double v) { __asm__("fabs" : "+t"(v)); return v; }
static long double x_chs(long double v) { __asm__("fchs" : "+t"(v)); return v; }

static long double x_prem(long double a, long double b, unsigned *sw)
{
    long double r;
    unsigned short s;
    __asm__("1: fprem\n\tfnstsw %%ax\n\ttestw $0x400, %%ax\n\tjnz 1b" : "=t"(r), "=a"(s) : "0"(a), "u"(b) : "cc");
    *sw = s & 0x4700;
    return r;
}

static long double x_prem1(long double a, long double b)
{
    long double r;
    __asm__("1: fprem1\n\tfnstsw %%ax\n\ttestw $0x400, %%ax\n\tjnz 1b" : "=t"(r) : "0"(a), "u"(b) : "ax", "cc");
    return r;
}

static long double x_scale(long double a, long double e)
{
    long double r;
    __asm__("fscale" : "=t"(r) : "0"(a), "u"(e));
    return r;
}

static void x_xtract(long double v, long double *sig, long double *ex)
{
    long double s, e;
    __asm__("fxtract" : "=t"(s), "=u"(e) : "0"(v));
    *sig = s;
    *ex = e;
}

static long double x_rndint(long double v, unsigned mode)
{
    unsigned short old, cw;
    __asm__ volatile("fnstcw %0" : "=m"(old));
    cw = (unsigned short)((old & ~0xc00u) | mode << 10);
    __asm__ volatile("fldcw %0" : : "m"(cw));
    __asm__("frndint" : "+t"(v));
    __asm__ volatile("fldcw %0" : : "m"(old));
    return v;
}

static unsigned x_fcomi(long double a, long double b)
{
    uint64_t fl;
    __asm__("fucomip %%st(1), %%st\n\tfstp %%st(0)\n\tpushfq\n\tpopq %0" : "=r"(fl) : "t"(a), "u"(b) : "st", "st(1)", "cc");
    return (unsigned)fl & 0x45;
}

static unsigned x_fcom_sw(long double a, long double b)
{
    unsigned short s;
    __asm__("fcom %%st(1)\n\tfnstsw %%ax" : "=a"(s) : "t"(a), "u"(b) : "cc");
    return s & 0x4500;
}

int main(void)
{
    long double pi, l2e, z;
    __asm__("fldpi" : "=t"(pi));
    __asm__("fldl2e" : "=t"(l2e));
    __asm__("fldz" : "=t"(z));
    show("pi", pi);
    show("l2e", l2e);
    show("zero", z);
    show("sqrt2", x_sqrt(2.0L));
    show("sqrt-tiny", x_sqrt(3.6e-4951L));
    show("abs", x_abs(-7.25L));
    show("chs0", x_chs(0.0L));
    static const long double nums[] = { 10.0L, -10.0L, 1e30L, 7.5L, -0.0L, 123456789.123L };
    static const long double dens[] = { 3.0L, -3.0L, 0.7L, 2.5L };
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 4; j++) {
            unsigned sw;
            long double r = x_prem(nums[i], dens[j], &sw);
            printf("prem %Lg %Lg sw=%04x ", nums[i], dens[j], sw);
            show("", r);
            show("  prem1", x_prem1(nums[i], dens[j]));
        }
    static const long double rv[] = { 2.5L, -2.5L, 3.5L, -0.5L, 0.49999999999999999999L, 1e19L + 0.5L };
    for (int i = 0; i < 6; i++)
        for (unsigned m = 0; m < 4; m++) {
            printf("rnd m%u ", m);
            show("", x_rndint(rv[i], m));
        }
    show("scale", x_scale(1.5L, 100.9L));
    show("scale-", x_scale(1.5L, -16400.0L));
    long double sig, ex;
    x_xtract(-1536.0L, &sig, &ex);
    show("xt-sig", sig);
    show("xt-exp", ex);
    long double bcdv = -987654321012345678.0L;
    unsigned char bcd[10];
    __asm__("fbstp %0" : "=m"(bcd) : "t"(bcdv) : "st");
    printf("bcd:");
    for (int i = 9; i >= 0; i--)
        printf(" %02x", bcd[i]);
    printf("\n");
    long double back;
    __asm__("fbld %1" : "=t"(back) : "m"(bcd));
    show("fbld", back);
    int16_t i16 = -12345;
    int32_t i32 = 2000000001;
    int64_t i64 = -9000000000000000001ll;
    long double f16, f32, f64;
    __asm__("filds %1" : "=t"(f16) : "m"(i16));
    __asm__("fildl %1" : "=t"(f32) : "m"(i32));
    __asm__("fildll %1" : "=t"(f64) : "m"(i64));
    show("fild16", f16);
    show("fild32", f32);
    show("fild64", f64);
    int64_t o64;
    int32_t o32;
    int16_t o16;
    long double big = 4e18L;
    __asm__("fistpll %0" : "=m"(o64) : "t"(big * 2.5L) : "st");
    __asm__("fistpl %0" : "=m"(o32) : "t"(-2.5L) : "st");
    __asm__("fistps %0" : "=m"(o16) : "t"(40000.0L) : "st");
    printf("fistp: %lld %d %d\n", (long long)o64, o32, o16);
    long double nan = __builtin_nanl("");
    printf("fucomip: %02x %02x %02x %02x\n", x_fcomi(1.0L, 2.0L), x_fcomi(2.0L, 1.0L), x_fcomi(1.0L, 1.0L),
           x_fcomi(nan, 1.0L));
    printf("fcom sw: %04x %04x %04x\n", x_fcom_sw(1.0L, 2.0L), x_fcom_sw(3.0L, 2.0L), x_fcom_sw(-0.0L, 0.0L));
    return 0;
}

/* strtod: parsing decimal and hex floats (strtod, strtof, atof), round
 * trips through %.17g and %a, end pointers, overflow/underflow and special values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdint.h>

int main(void)
{
    static const char *in[] = { "0", "-0", "1", "0.1", "1e23", "8.98846567431158e307", "2.2250738585072011e-308",
                                "4.9406564584124654e-324", "1e-400", "1e400", "-1e400", "0x1.8p1", "0X1P-1074",
                                "  +3.25xyz", ".5", "5.", "inf", "-Infinity", "nan", "NAN(123)", "1.000000000000000111",
                                "123456789012345678901234567890", "0.30000000000000004", "2.5e-3", "e5", "", "-",
                                "1e", "1e+", "0x", "9007199254740993", "1.7976931348623159e308" };
    uint64_t h = 0;
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *end;
        errno = 0;
        double d = strtod(in[i], &end);
        int e = errno;
        char *endf;
        float f = strtof(in[i], &endf);
        char rt[64];
        snprintf(rt, sizeof rt, "%.17g", d);
        double back = strtod(rt, 0);
        uint64_t bits, bbits;
        memcpy(&bits, &d, 8);
        memcpy(&bbits, &back, 8);
        uint32_t fbits;
        memcpy(&fbits, &f, 4);
        printf("'%s': %.17g bits=%016llx erange=%d end=+%d | f=%.9g %08x end=+%d | rt=%s same=%d %a\n", in[i], d,
               (unsigned long long)bits, e == ERANGE, (int)(end - in[i]), (double)f, fbits, (int)(endf - in[i]), rt,
               bits == bbits || d != d, d);
        h = h * 31 + bits + fbits;
    }
    /* round trip many values through %a and %.17g */
    int bad = 0;
    uint64_t x = 0x3ff0000000000001ull;
    for (int i = 0; i < 2000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t b = x & 0x7fefffffffffffffull;
        double v;
        memcpy(&v, &b, 8);
        char s1[64], s2[64];
        snprintf(s1, sizeof s1, "%.17g", v);
        snprintf(s2, sizeof s2, "%a", v);
        double v1 = strtod(s1, 0), v2 = strtod(s2, 0);
        if (v1 != v || v2 != v)
            bad++;
        h += (uint64_t)strlen(s1);
    }
    printf("atof: %g\n", atof("  -12.5e-1"));
    printf("strtod h=%016llx bad=%d\n", (unsigned long long)h, bad);
    return bad ? 1 : 0;
}

/* longdouble: 80-bit long double arithmetic (x87), printf with %Lf %Le %Lg
 * %La, strtold parsing, and conversions to/from integers and double. */
#include <stdio.h>
#include <stdlib.h>
#include <float.h>
#include <stdint.h>

int main(void)
{
    long double third = 1.0L / 3.0L;
    long double e = 1.0L, term = 1.0L;
    for (int i = 1; i < 30; i++) {
        term /= i;
        e += term;
    }
    printf("third=%.21Lf\n", third);
    printf("e=%.21Lg %La %Le\n", e, e, e);
    printf("limits: %Lg %Lg %Lg %d\n", LDBL_MAX, LDBL_MIN, LDBL_EPSILON, LDBL_MANT_DIG);
    long double big = 18446744073709551615.0L;
    unsigned long long u = (unsigned long long)big;
    long long s = (long long)-9223372036854775807.0L;
    printf("u64 from ld: %llu s64: %lld\n", u, s);
    long double fromint = (long double)0xfedcba9876543210ull;
    printf("from u64: %.0Lf\n", fromint);
    static const char *in[] = { "0.1", "1e4000", "3.36210314311209350626e-4932", "-2.5", "0x1.fffffffffffffffep16383",
                                "123456789012345678901234567890" };
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *end;
        long double v = strtold(in[i], &end);
        printf("strtold('%s') = %.25Lg %La end=+%d\n", in[i], v, v, (int)(end - in[i]));
    }
    long double acc = 0;
    for (int i = 1; i <= 1000; i++)
        acc += 1.0L / ((long double)i * i);
    double dacc = (double)acc;
    printf("zeta2 ~ %.20Lf as double %.17g\n", acc, dacc);
    long double x = 2.0L;
    for (int i = 0; i < 6; i++)
        x = x - (x * x - 2.0L) / (2.0L * x);
    printf("sqrt2 newton %.20Lf\n", x);
    printf("cmp: %d %d %d\n", third < 0.34L, third == 1.0L / 3.0L, (double)third == 1.0 / 3.0);
    return (int)((long long)(acc * 100) % 256);
}

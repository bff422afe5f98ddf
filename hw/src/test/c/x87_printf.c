/*
 * x87_printf.c: end-to-end check of the x87 emulation through musl's printf, which formats
 * every floating-point value via long double (FLDT/FSTPT, FILD/FISTP, FMUL, FSUB...).
 *
 *     musl-gcc -static -O2 -o x87_printf hw/src/test/c/x87_printf.c
 *     ./x87_printf > host.txt; ./microlith run x87_printf > sim.txt; cmp host.txt sim.txt
 *
 * The output must be identical on the host CPU and on microlith.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>

static const double doubles[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, 3.141592653589793, 2.718281828459045, 1e-5, 123456.789,
    1e10, 1e22, 1e23, 1e100, 1e300, 1.7976931348623157e308, 2.2250738585072014e-308, 4.9e-324,
    5e-324, 1e-310, 0.3, 2.0 / 3.0, 1.0 / 3.0, 9007199254740993.0, 4503599627370496.5, 0.000123,
    65536.0, 1e15 + 0.3, 123.456e-200, -987654321.123456789,
};

static const char *dfmt[] = {"%f", "%.0f", "%.1f", "%.3f", "%.17f", "%e", "%.0e", "%.3e", "%.20e",
                             "%g", "%.1g", "%.10g", "%.17g", "%a", "%.3a", "%#g", "%+.5f", "%12.4e"};

int main(void) {
    for (unsigned i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
        for (unsigned f = 0; f < sizeof dfmt / sizeof dfmt[0]; f++) {
            printf(dfmt[f], doubles[i]);
            putchar(f + 1 < sizeof dfmt / sizeof dfmt[0] ? ' ' : '\n');
        }
    }
    long double ld[] = {0.1L, 1.0L / 3.0L, 3.14159265358979323846264338327950288L, 1e4000L, 1e-4000L,
                        LDBL_MAX, LDBL_MIN, LDBL_TRUE_MIN, -2.5L, 18446744073709551615.0L, 1e-20L};
    for (unsigned i = 0; i < sizeof ld / sizeof ld[0]; i++) {
        printf("%Lf %.25Le %Lg %.21Lg %La\n", ld[i], ld[i], ld[i], ld[i], ld[i]);
    }
    printf("%f %f %f %e %g\n", INFINITY, -INFINITY, NAN, NAN, -NAN);
    double x = 1.0;
    for (int k = 0; k < 60; k++) {
        printf("%.15g %.6e\n", x, x / 7.0);
        x *= 3.7;
    }
    return 0;
}

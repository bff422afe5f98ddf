/* nancmp: comparisons involving NaN, infinities and signed zeros for
 * float and double (ucomis/comis flags, cmpsd predicates), fmin/fmax, copysign, signbit. */
#include <stdio.h>
#include <math.h>

int main(void)
{
    static volatile double v[] = { 0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN, 1e-320, 5.0 };
    static const char *nm[] = { "0", "-0", "1", "-1", "inf", "-inf", "nan", "denorm", "5" };
    unsigned h = 0;
    int n = sizeof v / sizeof v[0];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            double a = v[i], b = v[j];
            float fa = (float)a, fb = (float)b;
            unsigned bits = (unsigned)(a < b) | (unsigned)(a <= b) << 1 | (unsigned)(a > b) << 2 |
                            (unsigned)(a >= b) << 3 | (unsigned)(a == b) << 4 | (unsigned)(a != b) << 5 |
                            (unsigned)isless(a, b) << 6 | (unsigned)isunordered(a, b) << 7 |
                            (unsigned)(fa < fb) << 8 | (unsigned)(fa == fb) << 9 | (unsigned)(fa >= fb) << 10;
            printf("%s,%s:%03x min=%g max=%g ", nm[i], nm[j], bits, fmin(a, b), fmax(a, b));
            h = h * 7 + bits;
        }
        printf("\n  sign=%d copysign=%g neg=%g add0=%g mul=%g\n", !!signbit(v[i]), copysign(3.0, v[i]), -v[i],
               v[i] + 0.0, v[i] * -1.0);
    }
    printf("nancmp h=%08x\n", h);
    return (int)(h % 256);
}

/* printf_float: %f %e %g %a (and upper-case forms) with many precisions,
 * widths and flags on float-promoted and double values incl. inf/nan/-0. */
#include <stdio.h>
#include <math.h>
#include <float.h>

int main(void)
{
    static const double vals[] = { 0.0, -0.0, 1.0, -1.5, 0.1, 2.0 / 3.0, 123456.789, 1e-5, 9.999999e-5, 0.5, 2.5,
                                   1e15, 1e16, 1.7976931348623157e308, 4.9e-324, 2.2250738585072014e-308, 1e100,
                                   3.14159265358979323846, 1048576.125, 0.000123456, 99.995, 1e21 };
    static const char *fmts[] = { "%f", "%.0f", "%.1f", "%.3f", "%.10f", "%e", "%.0e", "%.2e", "%.15e", "%E",
                                  "%g", "%.1g", "%.3g", "%.10g", "%.17g", "%#g", "%G", "%a", "%.3a", "%A",
                                  "%12.4f", "%-12.2e|", "%+g", "% .2f", "%012.3f", "%#.0f", "%#.0e" };
    char buf[512];
    unsigned h = 0;
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        printf("v%u:", i);
        for (unsigned f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
            int n = snprintf(buf, sizeof buf, fmts[f], vals[i]);
            if (n < 60)
                printf(" %s", buf);
            else
                printf(" [len %d]", n);
            h = h * 31 + (unsigned)n;
        }
        printf("\n");
    }
    float fv = 1.0f / 3.0f;
    printf("float: %f %.9g %a %e\n", fv, fv, fv, (double)fv * 3);
    printf("special: %f %f %e %g %a %F\n", INFINITY, -INFINITY, NAN, -NAN, INFINITY, NAN);
    printf("limits: %g %g %g %a\n", DBL_MAX, DBL_MIN, DBL_EPSILON, DBL_TRUE_MIN);
    printf("f %.60f\n", 0.1);
    printf("big %f\n", 1e300);
    printf("printf_float h=%08x\n", h);
    return (int)(h % 256);
}

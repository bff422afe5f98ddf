/* mathlib: libm functions (sqrt floor ceil trunc round fmod remainder pow
 * exp log log10 sin cos tan atan2 hypot cbrt frexp ldexp modf) on many inputs,
 * printed with %a so every bit shows. */
#include <stdio.h>
#include <math.h>

int main(void)
{
    static const double in[] = { 0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 2.5, -2.5, 3.5, 10.0, 0.1, 1e-10, 123.456, -7.75,
                                 1e10, 3.14159265358979, 100.0, 1e300, -1e-300, 0.7853981633974483 };
    unsigned long long h = 0;
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        double x = in[i];
        int ex;
        double ip;
        double fr = frexp(x, &ex);
        double mf = modf(x, &ip);
        printf("x=%a sqrt=%a floor=%a ceil=%a trunc=%a round=%a rint=%a\n", x, sqrt(fabs(x)), floor(x), ceil(x),
               trunc(x), round(x), rint(x));
        printf("  fmod=%a rem=%a pow=%a exp=%a log=%a log10=%a\n", fmod(x, 0.75), remainder(x, 0.75),
               pow(fabs(x), 1.5), exp(x > 700 ? 1 : x), log(fabs(x) + 1), log10(fabs(x) + 1));
        printf("  sin=%a cos=%a tan=%a atan2=%a hypot=%a cbrt=%a\n", sin(x), cos(x), tan(x), atan2(x, 3.0),
               hypot(x, 4.0), cbrt(x));
        printf("  frexp=%a,%d ldexp=%a modf=%a,%a lround=%ld\n", fr, ex, ldexp(x, 7), mf, ip,
               fabs(x) < 1e15 ? lround(x) : 0L);
        h = h * 31 + (unsigned long long)(sqrt(fabs(x)) * 1000);
    }
    float f = 2.0f;
    printf("float: sqrtf=%a sinf=%a expf=%a powf=%a\n", sqrtf(f), sinf(f), expf(f), powf(f, 0.5f));
    printf("special: %g %g %g %g %d %d\n", sqrt(-1.0), log(0.0), pow(0.0, -1.0), fmod(1.0, 0.0), isnan(sqrt(-1.0)),
           isinf(log(0.0)));
    printf("mathlib h=%llu\n", h);
    return (int)(h % 256);
}

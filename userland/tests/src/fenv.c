/* fenv: floating-point rounding modes (fesetround) and exception flags
 * (fetestexcept) around SSE and x87 operations, rint/nearbyint/lrint per mode. */
#include <stdio.h>
#include <fenv.h>
#include <math.h>

static const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
static const char *names[] = { "nearest", "down", "up", "zero" };

int main(void)
{
    volatile double one = 1.0, three = 3.0, big = 1e308, tiny = 1e-308, zero = 0.0;
    volatile long double lone = 1.0L, lthree = 3.0L;
    static volatile double vals[] = { 2.5, -2.5, 3.5, 0.4999999999999999, -0.5, 1e15 + 0.5 };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        double q = one / three;
        float qf = (float)one / (float)three;
        long double ql = lone / lthree;
        printf("%-7s: 1/3=%a f=%a ld=%La", names[m], q, (double)qf, ql);
        for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
            printf(" [%g rint=%g lrint=%ld]", vals[i], rint(vals[i]), lrint(vals[i]));
        printf(" sqrt2=%a\n", sqrt(2.0));
    }
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double r = big * 10;
    printf("overflow: %d inexact: %d r=%g\n", !!fetestexcept(FE_OVERFLOW), !!fetestexcept(FE_INEXACT), r);
    feclearexcept(FE_ALL_EXCEPT);
    r = tiny / 1e10;
    printf("underflow: %d r=%g\n", !!fetestexcept(FE_UNDERFLOW), r);
    feclearexcept(FE_ALL_EXCEPT);
    r = one / zero;
    printf("divbyzero: %d r=%g\n", !!fetestexcept(FE_DIVBYZERO), r);
    feclearexcept(FE_ALL_EXCEPT);
    r = zero / zero;
    printf("invalid: %d nan=%d\n", !!fetestexcept(FE_INVALID), r != r);
    feclearexcept(FE_ALL_EXCEPT);
    r = one + one;
    printf("exact: any=%d\n", !!fetestexcept(FE_ALL_EXCEPT));
    return fegetround() == FE_TONEAREST ? 0 : 1;
}

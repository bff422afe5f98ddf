/* dotprod: float and double dot products, saxpy and Kahan summation over
 * arrays (vectorizable at -O2: packed SSE mulps/addps/shufps paths). */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#define N 1000

static float xf[N], yf[N];
static double xd[N], yd[N];

int main(void)
{
    for (int i = 0; i < N; i++) {
        xf[i] = (float)((i % 17) - 8) * 0.125f + (float)i * 1e-3f;
        yf[i] = (float)((i * 7) % 23) * 0.5f - 5.0f;
        xd[i] = (double)xf[i] / 3.0;
        yd[i] = (double)yf[i] * 1.0000001;
    }
    float df = 0;
    double dd = 0;
    for (int i = 0; i < N; i++) {
        df += xf[i] * yf[i];
        dd += xd[i] * yd[i];
    }
    for (int r = 0; r < 10; r++)
        for (int i = 0; i < N; i++) {
            yf[i] = 0.5f * xf[i] + yf[i];
            yd[i] = -0.25 * xd[i] + yd[i];
        }
    double sum = 0, c = 0, naive = 0;
    for (int i = 0; i < N; i++) {
        double v = yd[i] * 1e-8 + 1.0 / (i + 1);
        double y = v - c;
        double t = sum + y;
        c = (t - sum) - y;
        sum = t;
        naive += v;
    }
    float mx = yf[0], mn = yf[0];
    for (int i = 1; i < N; i++) {
        mx = yf[i] > mx ? yf[i] : mx;
        mn = yf[i] < mn ? yf[i] : mn;
    }
    uint32_t fb;
    memcpy(&fb, &df, 4);
    printf("dot float=%.9g (%08x) double=%.17g\n", (double)df, fb, dd);
    printf("saxpy yf[10]=%.9g yd[999]=%.17g min=%g max=%g\n", (double)yf[10], yd[999], (double)mn, (double)mx);
    printf("kahan=%.17g naive=%.17g\n", sum, naive);
    return (int)(sum * 10) % 256;
}

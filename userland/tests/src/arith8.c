/* arith8: 8-bit signed and unsigned arithmetic edge cases (promotion, wrap,
 * truncation, sign extension, multiplication and division of int8 values). */
#include <stdio.h>
#include <stdint.h>

static volatile int8_t sv[] = { 0, 1, -1, 2, -2, 7, -7, 63, 64, -64, 100, -100, 127, -127, -128 };
static volatile uint8_t uv[] = { 0, 1, 2, 3, 15, 16, 127, 128, 129, 200, 254, 255 };

int main(void)
{
    unsigned sum = 0;
    int ns = sizeof sv / sizeof sv[0], nu = sizeof uv / sizeof uv[0];
    for (int i = 0; i < ns; i++) {
        for (int j = 0; j < ns; j++) {
            int8_t a = sv[i], b = sv[j];
            int8_t add = (int8_t)(uint8_t)((uint8_t)a + (uint8_t)b);
            int8_t sub = (int8_t)(uint8_t)((uint8_t)a - (uint8_t)b);
            int8_t mul = (int8_t)(uint8_t)((unsigned)a * (unsigned)b);
            int wide = a * b;
            int q = b ? a / b : 0, r = b ? a % b : 0;
            printf("%4d %4d: add=%4d sub=%4d mul=%4d wide=%6d q=%4d r=%4d lt=%d\n",
                   a, b, add, sub, mul, wide, q, r, a < b);
            sum = sum * 31 + (uint8_t)add + (uint8_t)mul * 3u + (unsigned)wide;
        }
    }
    for (int i = 0; i < nu; i++) {
        for (int j = 0; j < nu; j++) {
            uint8_t a = uv[i], b = uv[j];
            uint8_t add = (uint8_t)(a + b), sub = (uint8_t)(a - b), mul = (uint8_t)(a * b);
            unsigned q = b ? a / b : 0, r = b ? a % b : 0;
            int8_t as = (int8_t)a;
            printf("%3u %3u: add=%3u sub=%3u mul=%3u q=%3u r=%3u sx=%4d neg=%3u\n",
                   a, b, add, sub, mul, q, r, as, (uint8_t)-a);
            sum = sum * 17 + add + sub + mul + q + r;
        }
    }
    printf("arith8 sum=%08x\n", sum);
    return (int)(sum % 200) + 1;
}

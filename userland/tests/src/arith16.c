/* arith16: 16-bit arithmetic: wraparound, sign extension, multiply high
 * halves, division and remainder of int16/uint16. */
#include <stdio.h>
#include <stdint.h>

static volatile int16_t sv[] = { 0, 1, -1, 3, -3, 255, 256, -256, 1000, -1000,
                                 16383, 16384, -16384, 32767, -32767, -32768 };
static volatile uint16_t uv[] = { 0, 1, 7, 255, 256, 4096, 32767, 32768, 40000, 65534, 65535 };

int main(void)
{
    uint32_t h = 2166136261u;
    int ns = sizeof sv / sizeof sv[0], nu = sizeof uv / sizeof uv[0];
    for (int i = 0; i < ns; i++) {
        for (int j = 0; j < ns; j++) {
            int16_t a = sv[i], b = sv[j];
            int16_t add = (int16_t)(uint16_t)(a + b);
            int16_t mul = (int16_t)(uint16_t)((uint32_t)a * (uint32_t)b);
            int32_t full = (int32_t)a * b;
            int16_t hi = (int16_t)(full >> 16);
            int q = b ? a / b : 0, r = b ? a % b : 0;
            printf("%6d %6d: add=%6d mul=%6d hi=%6d full=%11d q=%6d r=%6d\n", a, b, add, mul, hi, full, q, r);
            h = (h ^ (uint16_t)add) * 16777619u;
            h = (h ^ (uint16_t)hi) * 16777619u;
            h = (h ^ (uint32_t)(q * 7 + r)) * 16777619u;
        }
    }
    for (int i = 0; i < nu; i++) {
        for (int j = 0; j < nu; j++) {
            uint16_t a = uv[i], b = uv[j];
            uint32_t full = (uint32_t)a * b;
            printf("%5u %5u: add=%5u sub=%5u mulhi=%5u mullo=%5u q=%5u r=%5u s=%6d\n", a, b,
                   (uint16_t)(a + b), (uint16_t)(a - b), (unsigned)(full >> 16), (uint16_t)full,
                   b ? a / b : 0u, b ? a % b : 0u, (int16_t)a);
            h = (h ^ full) * 16777619u;
        }
    }
    printf("arith16 hash=%08x\n", h);
    return (int)(h & 0x3f) + 10;
}

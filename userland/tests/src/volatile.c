/* volatile: loops over volatile variables so every access is a real memory
 * operation; read-modify-write on bytes, words and quadwords. */
#include <stdio.h>
#include <stdint.h>

static volatile uint8_t vb;
static volatile uint16_t vw;
static volatile uint32_t vl;
static volatile uint64_t vq;
static volatile int counter;

int main(void)
{
    volatile int i;
    for (i = 0; i < 100000; i++) {
        vb += (uint8_t)i;
        vw ^= (uint16_t)(vw << 1) ^ (uint16_t)i;
        vl = vl * 1664525u + 1013904223u;
        vq += vl;
        if (vq & 1)
            counter++;
    }
    printf("vb=%u vw=%u vl=%u vq=%llu counter=%d\n", vb, vw, vl, (unsigned long long)vq, counter);
    volatile uint32_t arr[64];
    for (int k = 0; k < 64; k++)
        arr[k] = (uint32_t)k;
    for (int r = 0; r < 500; r++)
        for (int k = 1; k < 64; k++)
            arr[k] += arr[k - 1] ^ (uint32_t)r;
    printf("arr[63]=%u arr[31]=%u\n", arr[63], arr[31]);
    return counter % 256;
}

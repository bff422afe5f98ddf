/* malloc: many allocations of varied sizes, frees in scrambled order,
 * realloc growth/shrink preserving contents, calloc zeroing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define N 400

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

int main(void)
{
    static unsigned char *ptrs[N];
    static size_t sizes[N];
    int errors = 0;
    uint32_t h = 0;
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < N; i++) {
            size_t sz = next() % (round == 3 ? 9000 : 600) + 1;
            if (ptrs[i] && next() % 3 == 0) {
                unsigned char *np = realloc(ptrs[i], sz);
                if (!np) {
                    errors++;
                    continue;
                }
                size_t keep = sz < sizes[i] ? sz : sizes[i];
                for (size_t k = 0; k < keep; k++)
                    if (np[k] != (unsigned char)(i + k))
                        errors++;
                for (size_t k = keep; k < sz; k++)
                    np[k] = (unsigned char)(i + k);
                ptrs[i] = np;
                sizes[i] = sz;
                continue;
            }
            free(ptrs[i]);
            ptrs[i] = malloc(sz);
            if (!ptrs[i]) {
                errors++;
                continue;
            }
            if (((uintptr_t)ptrs[i] & 15) != 0)
                errors++;
            sizes[i] = sz;
            for (size_t k = 0; k < sz; k++)
                ptrs[i][k] = (unsigned char)(i + k);
        }
        for (int i = 0; i < N; i++) {
            int j = (int)(next() % N);
            if (ptrs[j] && (next() & 1)) {
                for (size_t k = 0; k < sizes[j]; k++)
                    if (ptrs[j][k] != (unsigned char)(j + k))
                        errors++;
                h = h * 31 + (uint32_t)sizes[j];
                free(ptrs[j]);
                ptrs[j] = 0;
            }
        }
        printf("round %d: h=%08x errors=%d\n", round, h, errors);
    }
    for (int i = 0; i < N; i++)
        free(ptrs[i]);
    unsigned *z = calloc(1000, sizeof *z);
    unsigned nz = 0;
    for (int i = 0; i < 1000; i++)
        nz += z[i] != 0;
    free(z);
    char *s = 0;
    size_t len = 0;
    for (int i = 0; i < 200; i++) {
        char piece[16];
        int n = snprintf(piece, sizeof piece, "%d,", i * i);
        s = realloc(s, len + (size_t)n + 1);
        memcpy(s + len, piece, (size_t)n + 1);
        len += (size_t)n;
    }
    printf("calloc nonzero=%u string len=%d tail=%s\n", nz, (int)len, s + len - 12);
    free(s);
    printf("malloc errors=%d\n", errors);
    return errors ? 1 : 0;
}

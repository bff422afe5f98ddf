/* sieve: sieve of Eratosthenes over a byte array and a bit array; prints
 * prime counts, the last primes and twin-prime statistics. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define LIMIT 200000

static uint8_t composite[LIMIT + 1];
static uint64_t bits[LIMIT / 64 + 1];

int main(void)
{
    memset(composite, 0, sizeof composite);
    for (uint32_t i = 2; i * i <= LIMIT; i++)
        if (!composite[i])
            for (uint32_t j = i * i; j <= LIMIT; j += i)
                composite[j] = 1;
    for (uint32_t i = 2; i * i <= LIMIT; i++)
        if (!(bits[i >> 6] >> (i & 63) & 1))
            for (uint32_t j = i * i; j <= LIMIT; j += i)
                bits[j >> 6] |= 1ull << (j & 63);
    int count = 0, twins = 0, mismatch = 0;
    uint32_t last = 0, prev = 0;
    uint64_t sum = 0;
    for (uint32_t i = 2; i <= LIMIT; i++) {
        int p = !composite[i];
        if (p != !(bits[i >> 6] >> (i & 63) & 1))
            mismatch++;
        if (p) {
            count++;
            sum += i;
            if (prev && i - prev == 2)
                twins++;
            prev = i;
            last = i;
        }
        if (i == 10 || i == 100 || i == 1000 || i == 10000 || i == 100000)
            printf("pi(%u) = %d\n", i, count);
    }
    printf("primes<=%d: %d sum=%llu last=%u twins=%d mismatch=%d\n", LIMIT, count, (unsigned long long)sum, last,
           twins, mismatch);
    return mismatch ? 1 : count % 256;
}

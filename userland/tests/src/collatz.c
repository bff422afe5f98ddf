/* collatz: longest Collatz chain below 300000 with a memo table; 64-bit
 * arithmetic with many data-dependent branches. */
#include <stdio.h>
#include <stdint.h>

#define LIM 300000

static uint16_t memo[LIM];

int main(void)
{
    uint32_t best = 1, bestlen = 1;
    uint64_t total = 0;
    uint64_t peak = 0;
    memo[1] = 1;
    for (uint32_t i = 2; i < LIM; i++) {
        uint64_t n = i;
        uint32_t steps = 0;
        while (n >= LIM || (n != 1 && memo[n] == 0)) {
            n = n & 1 ? 3 * n + 1 : n >> 1;
            if (n > peak)
                peak = n;
            steps++;
        }
        uint32_t len = steps + memo[n];
        memo[i] = (uint16_t)len;
        total += len;
        if (len > bestlen) {
            bestlen = len;
            best = i;
        }
    }
    printf("longest below %d: %u with %u terms; peak %llu; total %llu\n", LIM, best, bestlen,
           (unsigned long long)peak, (unsigned long long)total);
    return (int)(bestlen % 256);
}

/* millerrabin: deterministic Miller-Rabin for 64-bit numbers using
 * 128-bit mulmod (mul/div on __int128), prime gaps and the largest primes below 2^64. */
#include <stdio.h>
#include <stdint.h>

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) { return (uint64_t)((unsigned __int128)a * b % m); }

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
    uint64_t r = 1;
    b %= m;
    while (e) {
        if (e & 1)
            r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

static int is_prime(uint64_t n)
{
    static const uint64_t bases[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37 };
    if (n < 2)
        return 0;
    for (int i = 0; i < 12; i++) {
        if (n % bases[i] == 0)
            return n == bases[i];
    }
    uint64_t d = n - 1;
    int s = 0;
    while ((d & 1) == 0) {
        d >>= 1;
        s++;
    }
    for (int i = 0; i < 12; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1)
            continue;
        int comp = 1;
        for (int r = 1; r < s; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1) {
                comp = 0;
                break;
            }
        }
        if (comp)
            return 0;
    }
    return 1;
}

int main(void)
{
    int found = 0;
    for (uint64_t n = 0xffffffffffffffffull; found < 5; n--) {
        if (is_prime(n)) {
            printf("prime %llu\n", (unsigned long long)n);
            found++;
        }
    }
    int count = 0;
    uint64_t base = 1000000000000ull;
    for (uint64_t n = base; n < base + 3000; n++)
        count += is_prime(n);
    printf("primes in [1e12, 1e12+3000): %d\n", count);
    static const uint64_t carm[] = { 561, 1105, 1729, 2465, 3215031751ull, 3825123056546413051ull };
    for (int i = 0; i < 6; i++)
        printf("%llu prime=%d\n", (unsigned long long)carm[i], is_prime(carm[i]));
    printf("2^61-1 prime=%d, 2^67 powmod=%llu\n", is_prime((1ull << 61) - 1),
           (unsigned long long)powmod(2, 67, 1000000007ull));
    return count;
}

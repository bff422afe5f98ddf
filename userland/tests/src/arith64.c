/* arith64: 64-bit arithmetic edge cases, unsigned wrap, signed extremes,
 * 64x64->128 high halves via __int128, comparison chains. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

static volatile int64_t sv[] = { 0, 1, -1, 3, -3, 1000000007, -1000000007, 0x100000000ll, -0x100000000ll,
                                 0x7fffffffll, 0x80000000ll, LLONG_MAX, LLONG_MIN + 1, LLONG_MIN,
                                 0x123456789abcdefll, -0x123456789abcdefll };
static volatile uint64_t uv[] = { 0, 1, 0xffffffffull, 0x100000000ull, 0x8000000000000000ull,
                                  0xfffffffffffffffeull, 0xffffffffffffffffull, 0x9e3779b97f4a7c15ull,
                                  12345678901234567ull };

int main(void)
{
    uint64_t h = 0;
    int bad = 0;
    int ns = sizeof sv / sizeof sv[0], nu = sizeof uv / sizeof uv[0];
    for (int i = 0; i < ns; i++) {
        for (int j = 0; j < ns; j++) {
            int64_t a = sv[i], b = sv[j];
            int64_t add = (int64_t)((uint64_t)a + (uint64_t)b);
            int64_t mul = (int64_t)((uint64_t)a * (uint64_t)b);
            __int128 full = (__int128)a * b;
            int64_t hi = (int64_t)(full >> 64);
            int64_t q = 0, r = 0;
            if (b != 0 && !(a == LLONG_MIN && b == -1)) {
                q = a / b;
                r = a % b;
                if (q * b + r != a)
                    bad++;
            }
            printf("%20lld %20lld: %20lld %20lld hi=%20lld q=%20lld r=%20lld %d%d\n", (long long)a,
                   (long long)b, (long long)add, (long long)mul, (long long)hi, (long long)q,
                   (long long)r, a < b, a >= b);
            h = h * 0x100000001b3ull + (uint64_t)add + (uint64_t)hi * 3 + (uint64_t)q * 5 + (uint64_t)r;
        }
    }
    for (int i = 0; i < nu; i++) {
        for (int j = 0; j < nu; j++) {
            uint64_t a = uv[i], b = uv[j];
            unsigned __int128 full = (unsigned __int128)a * b;
            printf("%016llx %016llx: %016llx %016llx hi=%016llx lo=%016llx q=%llu r=%llu\n",
                   (unsigned long long)a, (unsigned long long)b, (unsigned long long)(a + b),
                   (unsigned long long)(a - b), (unsigned long long)(full >> 64),
                   (unsigned long long)full, b ? (unsigned long long)(a / b) : 0ull,
                   b ? (unsigned long long)(a % b) : 0ull);
            h ^= (uint64_t)(full >> 64) + (uint64_t)full;
        }
    }
    printf("arith64 hash=%016llx bad=%d\n", (unsigned long long)h, bad);
    return bad ? 1 : (int)(h >> 58) + 64;
}

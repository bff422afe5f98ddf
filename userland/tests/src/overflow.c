/* overflow: __builtin_{add,sub,mul}_overflow on int8..int64 and unsigned
 * types, plus manual carry/borrow chains via adc/sbb inline asm. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

#define CHECK3(T, FMT, CAST, a, b)                                                  \
    do {                                                                           \
        T r1, r2, r3;                                                              \
        int o1 = __builtin_add_overflow((T)(a), (T)(b), &r1);                      \
        int o2 = __builtin_sub_overflow((T)(a), (T)(b), &r2);                      \
        int o3 = __builtin_mul_overflow((T)(a), (T)(b), &r3);                      \
        printf("%-8s " FMT " " FMT ": add=" FMT "/%d sub=" FMT "/%d mul=" FMT "/%d\n", #T, \
               (CAST)(T)(a), (CAST)(T)(b), (CAST)r1, o1, (CAST)r2, o2, (CAST)r3, o3); \
        total += o1 + o2 * 2 + o3 * 4;                                             \
    } while (0)

static volatile long long sv[] = { 0, 1, -1, 2, 100, -100, 127, -128, 255, 32767, -32768, 65535,
                                   INT_MAX, INT_MIN, 0xffffffffll, LLONG_MAX, LLONG_MIN };

static unsigned add3_carry(uint64_t *dst, const uint64_t *a, const uint64_t *b)
{
    uint64_t a0 = a[0], a1 = a[1], a2 = a[2];
    uint8_t c;
    __asm__("addq %4, %0\n\tadcq %5, %1\n\tadcq %6, %2\n\tsetc %3"
            : "+&r"(a0), "+&r"(a1), "+&r"(a2), "=&q"(c)
            : "rm"(b[0]), "rm"(b[1]), "rm"(b[2]) : "cc");
    dst[0] = a0;
    dst[1] = a1;
    dst[2] = a2;
    return c;
}

static unsigned sub3_borrow(uint64_t *dst, const uint64_t *a, const uint64_t *b)
{
    uint64_t a0 = a[0], a1 = a[1], a2 = a[2];
    uint8_t c;
    __asm__("subq %4, %0\n\tsbbq %5, %1\n\tsbbq %6, %2\n\tsetc %3"
            : "+&r"(a0), "+&r"(a1), "+&r"(a2), "=&q"(c)
            : "rm"(b[0]), "rm"(b[1]), "rm"(b[2]) : "cc");
    dst[0] = a0;
    dst[1] = a1;
    dst[2] = a2;
    return c;
}

int main(void)
{
    int total = 0;
    int n = sizeof sv / sizeof sv[0];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j += 2) {
            long long a = sv[i], b = sv[j];
            CHECK3(int8_t, "%d", int, a, b);
            CHECK3(uint8_t, "%u", unsigned, a, b);
            CHECK3(int16_t, "%d", int, a, b);
            CHECK3(uint16_t, "%u", unsigned, a, b);
            CHECK3(int32_t, "%d", int, a, b);
            CHECK3(uint32_t, "%u", unsigned, a, b);
            CHECK3(int64_t, "%lld", long long, a, b);
            CHECK3(uint64_t, "%llu", unsigned long long, a, b);
        }
    }
    uint64_t a[3] = { 0xffffffffffffffffull, 0xffffffffffffffffull, 0x7fffffffffffffffull };
    uint64_t b[3] = { 1, 0, 0x8000000000000000ull };
    uint64_t r[3];
    unsigned c = add3_carry(r, a, b);
    printf("add3: %016llx %016llx %016llx carry=%u\n", (unsigned long long)r[2], (unsigned long long)r[1],
           (unsigned long long)r[0], c);
    c = sub3_borrow(r, b, a);
    printf("sub3: %016llx %016llx %016llx borrow=%u\n", (unsigned long long)r[2], (unsigned long long)r[1],
           (unsigned long long)r[0], c);
    int mixed;
    int o = __builtin_add_overflow(-5, 3u, &mixed);
    printf("mixed: %d %d\n", mixed, o);
    printf("overflow total=%d\n", total);
    return total % 251;
}

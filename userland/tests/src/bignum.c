/* bignum: arbitrary-precision unsigned arithmetic on 32-bit limbs: computes
 * 2^1000, 300!, and Fibonacci(2000) in decimal by repeated division. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define LIMBS 300

typedef struct { uint32_t d[LIMBS]; int n; } big;

static void set(big *a, uint32_t v) { memset(a, 0, sizeof *a); a->d[0] = v; a->n = 1; }

static void mul_small(big *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry)
        a->d[a->n++] = (uint32_t)carry;
}

static void add(big *r, const big *a, const big *b)
{
    uint64_t carry = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        uint64_t t = (uint64_t)(i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
        r->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    r->n = n;
    if (carry)
        r->d[r->n++] = (uint32_t)carry;
}

static uint32_t div_small(big *a, uint32_t dv)
{
    uint64_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        uint64_t cur = rem << 32 | a->d[i];
        a->d[i] = (uint32_t)(cur / dv);
        rem = cur % dv;
    }
    while (a->n > 1 && a->d[a->n - 1] == 0)
        a->n--;
    return (uint32_t)rem;
}

static unsigned print(const char *label, const big *v)
{
    static char out[4000];
    big t = *v;
    int n = 0;
    do {
        uint32_t chunk = div_small(&t, 1000000000u);
        for (int k = 0; k < 9; k++) {
            out[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    } while (t.n > 1 || t.d[0]);
    while (n > 1 && out[n - 1] == '0')
        n--;
    unsigned digsum = 0;
    printf("%s (%d digits) = ", label, n);
    for (int i = n - 1; i >= 0; i--) {
        putchar(out[i]);
        digsum += (unsigned)(out[i] - '0');
    }
    printf("\n");
    return digsum;
}

int main(void)
{
    static big a, b, c;
    set(&a, 1);
    for (int i = 0; i < 1000; i++)
        mul_small(&a, 2);
    unsigned s1 = print("2^1000", &a);
    set(&a, 1);
    for (uint32_t i = 2; i <= 300; i++)
        mul_small(&a, i);
    unsigned s2 = print("300!", &a);
    set(&a, 0);
    set(&b, 1);
    for (int i = 0; i < 2000; i++) {
        add(&c, &a, &b);
        a = b;
        b = c;
    }
    unsigned s3 = print("fib(2000)", &a);
    printf("digit sums: %u %u %u\n", s1, s2, s3);
    return (int)(s1 % 256);
}

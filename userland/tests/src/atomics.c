/* atomics: single-threaded __atomic builtins compiling to lock xadd,
 * lock cmpxchg, xchg, lock or/and/xor and cmpxchg16b-free 64-bit CAS loops. */
#include <stdio.h>
#include <stdint.h>

static uint64_t q;
static uint32_t l;
static uint16_t w;
static uint8_t b;

int main(void)
{
    uint64_t h = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t old = __atomic_fetch_add(&q, (uint64_t)i * 0x10001, __ATOMIC_SEQ_CST);
        uint32_t ol = __atomic_fetch_sub(&l, (uint32_t)i, __ATOMIC_SEQ_CST);
        uint16_t ow = __atomic_exchange_n(&w, (uint16_t)(i * 7), __ATOMIC_SEQ_CST);
        uint8_t ob = __atomic_fetch_xor(&b, (uint8_t)i, __ATOMIC_SEQ_CST);
        __atomic_fetch_or(&l, 1u << (i % 32), __ATOMIC_SEQ_CST);
        __atomic_and_fetch(&q, ~(1ull << (i % 64)), __ATOMIC_SEQ_CST);
        uint32_t expect = l;
        int ok = __atomic_compare_exchange_n(&l, &expect, expect * 3 + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        uint32_t wrong = expect + 1;
        int bad = __atomic_compare_exchange_n(&l, &wrong, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        h = h * 31 + old + ol + ow + ob + (uint64_t)ok * 2 + (uint64_t)bad * 5 + wrong;
    }
    printf("q=%016llx l=%08x w=%04x b=%02x h=%016llx\n", (unsigned long long)q, l, w, b, (unsigned long long)h);
    int flag = __atomic_test_and_set(&b, __ATOMIC_SEQ_CST);
    printf("test_and_set: %d\n", flag);
    uint64_t val = 5;
    uint64_t exp = 5;
    int r = __sync_bool_compare_and_swap(&val, exp, 9);
    printf("sync cas: %d %llu %llu\n", r, (unsigned long long)val, (unsigned long long)__sync_add_and_fetch(&val, 10));
    return (int)(h % 256);
}

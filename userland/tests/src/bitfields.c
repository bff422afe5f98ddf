/* bitfields: packed signed/unsigned bitfields of odd widths, read-modify-
 * write, sign extension of signed fields, and unions with raw words. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

struct flags {
    unsigned a : 1;
    unsigned b : 3;
    signed c : 5;
    unsigned d : 7;
    signed e : 13;
    unsigned f : 3;
};

struct wide {
    uint64_t lo : 33;
    int64_t mid : 17;
    uint64_t hi : 14;
};

union view {
    struct flags f;
    uint32_t raw;
};

int main(void)
{
    union view v;
    uint32_t h = 0;
    for (int i = 0; i < 50; i++) {
        memset(&v, 0, sizeof v);
        v.f.a = (unsigned)i & 1;
        v.f.b = (unsigned)i * 3;
        v.f.c = i - 25;
        v.f.d = (unsigned)i * 11;
        v.f.e = i * 331 - 8000;
        v.f.f = (unsigned)i >> 2;
        printf("%2d: raw=%08x a=%u b=%u c=%3d d=%3u e=%6d f=%u\n", i, v.raw, v.f.a, v.f.b, v.f.c, v.f.d, v.f.e, v.f.f);
        v.f.c += 3;
        v.f.e = -v.f.e;
        v.f.d++;
        h = h * 17 + v.raw;
    }
    struct wide w = { 0 };
    for (int i = 0; i < 20; i++) {
        w.lo += 0x12345678ull * (uint64_t)i;
        w.mid -= 5000 * i;
        w.hi ^= (uint64_t)i * 1111;
        uint64_t raw;
        memcpy(&raw, &w, sizeof raw);
        printf("wide %2d: lo=%llx mid=%lld hi=%llu raw=%016llx\n", i, (unsigned long long)w.lo, (long long)w.mid,
               (unsigned long long)w.hi, (unsigned long long)raw);
        h ^= (uint32_t)raw + (uint32_t)(raw >> 32);
    }
    printf("bitfields h=%08x\n", h);
    return (int)(h % 256);
}

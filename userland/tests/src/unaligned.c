/* unaligned: loads and stores of 16/32/64-bit values at every byte offset,
 * through memcpy and through packed structs, plus cache-line straddling. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

struct __attribute__((packed)) rec {
    uint8_t kind;
    uint64_t a;
    uint16_t b;
    uint32_t c;
    int64_t d;
};

static uint8_t buf[256] __attribute__((aligned(64)));

int main(void)
{
    uint64_t h = 0;
    for (int i = 0; i < 256; i++)
        buf[i] = (uint8_t)(i * 29 + 7);
    for (int off = 0; off < 16; off++) {
        uint16_t w;
        uint32_t l;
        uint64_t q;
        memcpy(&w, buf + off, 2);
        memcpy(&l, buf + off + 1, 4);
        memcpy(&q, buf + 60 + off, 8);
        printf("off %2d: %04x %08x %016llx\n", off, w, l, (unsigned long long)q);
        h = h * 257 + w + l + q;
    }
    struct rec recs[7];
    for (int i = 0; i < 7; i++) {
        recs[i].kind = (uint8_t)i;
        recs[i].a = 0x1122334455667788ull * (uint64_t)(i + 1);
        recs[i].b = (uint16_t)(0xabcd + i);
        recs[i].c = 0xdeadbeefu ^ (uint32_t)i;
        recs[i].d = -1234567890123ll * i;
    }
    for (int i = 0; i < 7; i++) {
        volatile struct rec *r = &recs[i];
        printf("rec %d: %llx %x %x %lld\n", r->kind, (unsigned long long)r->a, r->b, r->c, (long long)r->d);
        h ^= r->a + r->b + r->c + (uint64_t)r->d;
    }
    /* stores at odd offsets, then read back aligned */
    uint8_t *p = buf + 61;
    for (int i = 0; i < 8; i++) {
        uint64_t v = 0x0102030405060708ull << i;
        memcpy(p + i * 9, &v, 8);
    }
    for (int i = 0; i < 80; i += 8) {
        uint64_t v;
        memcpy(&v, buf + 56 + i, 8);
        printf("aligned %2d: %016llx\n", i, (unsigned long long)v);
        h += v;
    }
    printf("sizeof rec=%d h=%016llx\n", (int)sizeof(struct rec), (unsigned long long)h);
    return (int)(h % 200);
}

/* bigstruct: large struct assignment, pass/return by value and array
 * copies, so the compiler emits rep movs / SSE block copies and memcpy calls. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

struct big {
    uint32_t tag;
    char name[37];
    uint64_t vals[61];
    uint16_t tail[9];
};

struct huge {
    struct big parts[17];
    uint8_t extra[333];
};

static struct huge g1, g2;

static uint32_t sum_big(struct big b)
{
    uint32_t s = b.tag;
    for (int i = 0; i < 37; i++)
        s = s * 3 + (uint8_t)b.name[i];
    for (int i = 0; i < 61; i++)
        s ^= (uint32_t)(b.vals[i] >> (i % 32)) + (uint32_t)i;
    for (int i = 0; i < 9; i++)
        s += b.tail[i];
    return s;
}

static struct big make_big(uint32_t seed)
{
    struct big b;
    memset(&b, 0, sizeof b);
    b.tag = seed;
    for (int i = 0; i < 36; i++)
        b.name[i] = (char)('A' + (seed + (uint32_t)i) % 26);
    for (int i = 0; i < 61; i++)
        b.vals[i] = (uint64_t)seed * 0x9e3779b97f4a7c15ull + (uint64_t)i * 0x12345;
    for (int i = 0; i < 9; i++)
        b.tail[i] = (uint16_t)(seed * 7 + (uint32_t)i);
    return b;
}

static uint32_t checksum(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t a = 1, c = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + b[i]) % 65521;
        c = (c + a) % 65521;
    }
    return (c << 16) | a;
}

int main(void)
{
    for (int i = 0; i < 17; i++)
        g1.parts[i] = make_big((uint32_t)i * 11 + 1);
    for (int i = 0; i < 333; i++)
        g1.extra[i] = (uint8_t)(i * 13);
    g2 = g1;
    printf("copy equal: %d size=%d\n", memcmp(&g1, &g2, sizeof g1) == 0, (int)sizeof(struct huge));
    uint32_t s = 0;
    for (int i = 0; i < 17; i++)
        s += sum_big(g2.parts[i]);
    printf("sum parts: %08x\n", s);
    struct big local[5];
    for (int i = 0; i < 5; i++)
        local[i] = g1.parts[16 - i];
    struct big swap = local[0];
    local[0] = local[4];
    local[4] = swap;
    printf("local checksum: %08x\n", checksum(local, sizeof local));
    /* unaligned destination copies of many sizes */
    static uint8_t src[4096], dst[4200];
    for (int i = 0; i < 4096; i++)
        src[i] = (uint8_t)(i ^ (i >> 3));
    uint32_t acc = 0;
    for (int off = 0; off < 16; off++) {
        for (size_t n = 1; n < 4096; n = n * 2 + 3) {
            memset(dst, 0xee, sizeof dst);
            memcpy(dst + off, src + (off & 3), n);
            acc = acc * 7 + checksum(dst, sizeof dst);
        }
    }
    printf("memcpy acc: %08x\n", acc);
    printf("whole checksum: %08x\n", checksum(&g2, sizeof g2));
    return (int)(checksum(&g2, sizeof g2) & 0x7f);
}

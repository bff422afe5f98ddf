/* crc: table-driven and bitwise CRC-32 (reflected), CRC-16/CCITT and
 * Adler-32 over generated data; the three must agree with known vectors. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint32_t table[256];

static void init_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc32_table(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--)
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

static uint32_t crc32_bits(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

static uint16_t crc16_ccitt(const uint8_t *p, size_t n)
{
    uint16_t c = 0xffff;
    while (n--) {
        c ^= (uint16_t)(*p++ << 8);
        for (int k = 0; k < 8; k++)
            c = (uint16_t)(c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1);
    }
    return c;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    while (n--) {
        a = (a + *p++) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

static uint8_t data[65536];

int main(void)
{
    init_table();
    const char *v = "123456789";
    printf("check: crc32=%08x crc16=%04x adler=%08x\n", crc32_table((const uint8_t *)v, 9),
           crc16_ccitt((const uint8_t *)v, 9), adler32((const uint8_t *)v, 9));
    uint32_t x = 1;
    for (size_t i = 0; i < sizeof data; i++) {
        x = x * 48271u % 2147483647u;
        data[i] = (uint8_t)(x >> 7);
    }
    int bad = 0;
    for (size_t n = 1; n <= sizeof data; n *= 4) {
        uint32_t a = crc32_table(data, n), b = crc32_bits(data, n);
        bad += a != b;
        printf("n=%6d crc32=%08x crc16=%04x adler=%08x\n", (int)n, a, crc16_ccitt(data, n), adler32(data, n));
    }
    uint32_t all = crc32_table(data, sizeof data);
    printf("crc all=%08x bad=%d\n", all, bad);
    return bad ? 1 : (int)(all >> 25);
}

/* base64: encode and decode round trips over all lengths up to 100 bytes,
 * with table lookups and bit packing. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t encode(const uint8_t *in, size_t n, char *out)
{
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
        out[o++] = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
        out[o++] = '=';
    }
    out[o] = 0;
    return o;
}

static int decode(const char *in, uint8_t *out)
{
    int8_t rev[256];
    memset(rev, -1, sizeof rev);
    for (int i = 0; i < 64; i++)
        rev[(uint8_t)alphabet[i]] = (int8_t)i;
    int o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (; *in && *in != '='; in++) {
        int v = rev[(uint8_t)*in];
        if (v < 0)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return o;
}

int main(void)
{
    uint8_t data[100], back[100];
    char text[200];
    for (int i = 0; i < 100; i++)
        data[i] = (uint8_t)(i * i * 7 + 3);
    int bad = 0;
    unsigned h = 0;
    for (size_t n = 0; n <= 100; n++) {
        size_t len = encode(data, n, text);
        int m = decode(text, back);
        if (m != (int)n || memcmp(back, data, n) != 0)
            bad++;
        for (size_t k = 0; k < len; k++)
            h = h * 31 + (uint8_t)text[k];
        if (n < 8 || n == 100)
            printf("%3d -> %s\n", (int)n, text);
    }
    encode((const uint8_t *)"Many hands make light work.", 27, text);
    printf("%s\n", text);
    printf("base64 h=%08x bad=%d\n", h, bad);
    return bad;
}

/* strings: the string.h functions (len, cmp, cpy, cat, chr, str, mem*)
 * on aligned and misaligned buffers of many lengths, with overlap for memmove. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

static char big[600];
static char buf[700];

static int sign(int v) { return (v > 0) - (v < 0); }

int main(void)
{
    unsigned h = 0;
    for (int i = 0; i < (int)sizeof big - 1; i++)
        big[i] = (char)('a' + (i * 7 + i / 26) % 26);
    big[sizeof big - 1] = 0;
    for (int off = 0; off < 9; off++) {
        for (int len = 0; len < 70; len += 3) {
            memset(buf, '#', sizeof buf);
            memcpy(buf + off, big + (len % 5), (size_t)len);
            buf[off + len] = 0;
            size_t l = strlen(buf + off);
            const char *c = strchr(buf + off, 'q');
            const char *rc = strrchr(buf + off, 'e');
            const char *ss = strstr(buf + off, "hov");
            int cmp = sign(strcmp(buf + off, big));
            int ncmp = sign(strncmp(buf + off, big + 1, 5));
            int mcmp = sign(memcmp(buf + off, big, l));
            h = h * 33 + (unsigned)l + (c ? (unsigned)(c - buf) : 999u) + (rc ? (unsigned)(rc - buf) * 5 : 7u) +
                (ss ? (unsigned)(ss - buf) * 11 : 3u) + (unsigned)(cmp + 2) * 13 + (unsigned)(ncmp + 2) + (unsigned)mcmp;
        }
        printf("off %d: h=%08x\n", off, h);
    }
    /* overlapping memmove both directions */
    char m[64];
    for (int i = 0; i < 64; i++)
        m[i] = (char)('0' + i % 64);
    memmove(m + 3, m, 40);
    memmove(m + 1, m + 9, 30);
    printf("memmove: %.64s\n", m);
    /* strcpy / strcat / strncpy */
    char d[128];
    strcpy(d, "alpha");
    strcat(d, "-beta");
    strcat(d, "-gamma");
    printf("cat: %s (%d)\n", d, (int)strlen(d));
    char n[12];
    memset(n, 'x', sizeof n);
    strncpy(n, "abc", sizeof n);
    printf("strncpy pad:");
    for (unsigned i = 0; i < sizeof n; i++)
        printf(" %d", n[i]);
    printf("\n");
    const char *volatile longsrc = "0123456789abcdef";
    strncpy(n, longsrc, 5);
    printf("strncpy trunc: %.5s %c\n", n, n[5] ? 'Z' : '0');
    printf("strnlen: %d %d\n", (int)strnlen(big, 3), (int)strnlen(d, 100));
    printf("memchr: %d\n", (int)((char *)memchr(big, 'z', sizeof big) - big));
    printf("strstr empty: %d\n", strstr("abc", "") != 0);
    printf("strcmp high: %d\n", sign(strcmp("\xff", "a")));
    printf("strings h=%08x\n", h);
    return (int)(h % 50) + 3;
}

/* strinsn: the x86 string instructions via inline asm: rep movsb/movsq,
 * rep stosb/stosd, repe cmpsb, repne scasb, lodsb, forward and with DF=1. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static void rep_movsb(void *d, const void *s, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static void rep_movsq(void *d, const void *s, size_t n)
{
    __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static void rep_movsb_back(void *dlast, const void *slast, size_t n)
{
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(dlast), "+S"(slast), "+c"(n) : : "memory", "cc");
}

static void rep_stosb(void *d, int c, size_t n)
{
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
}

static void rep_stosl(void *d, uint32_t v, size_t n)
{
    __asm__ volatile("rep stosl" : "+D"(d), "+c"(n) : "a"(v) : "memory");
}

/* returns remaining count and whether the last compare was equal */
static size_t repe_cmpsb(const void *a, const void *b, size_t n, int *eq)
{
    uint8_t z;
    __asm__ volatile("cmp %%rcx, %%rcx\n\trepe cmpsb\n\tsete %3" : "+S"(a), "+D"(b), "+c"(n), "=q"(z) : : "memory", "cc");
    *eq = z;
    return n;
}

static size_t repne_scasb(const void *s, int c, size_t n)
{
    __asm__ volatile("cmp %%rcx, %%rdx\n\trepne scasb" : "+D"(s), "+c"(n) : "a"(c), "d"(-1L) : "memory", "cc");
    return n;
}

static uint32_t lods_sum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    uint64_t a = 0;
    while (n--) {
        __asm__ volatile("lodsb" : "+S"(p), "+a"(a) : : "memory");
        sum = sum * 3 + (uint8_t)a;
    }
    return sum;
}

int main(void)
{
    static uint8_t src[1024], dst[1100];
    for (int i = 0; i < 1024; i++)
        src[i] = (uint8_t)(i * 37 + 11);
    unsigned h = 0;
    for (size_t n = 0; n < 1024; n = n * 3 + 1) {
        memset(dst, 0, sizeof dst);
        rep_movsb(dst + 3, src, n);
        h = h * 31 + (unsigned)memcmp(dst + 3, src, n) + dst[n + 2] + dst[3];
        rep_movsq(dst, src + 8, n / 8);
        h = h * 31 + (unsigned)memcmp(dst, src + 8, n / 8 * 8);
        printf("n=%4d h=%08x\n", (int)n, h);
    }
    /* overlapping backward copy: shift right by 5 */
    memcpy(dst, src, 200);
    rep_movsb_back(dst + 5 + 199, dst + 199, 200);
    printf("back: %d %d %d %d\n", dst[5], dst[6], dst[204], memcmp(dst + 5, src, 200));
    rep_stosb(dst, 0xa5, 77);
    rep_stosl(dst + 80, 0xdeadbeefu, 10);
    printf("stos: %02x %02x %02x %02x %02x\n", dst[0], dst[76], dst[77], dst[80], dst[83]);
    int eq;
    uint8_t a[32], b[32];
    memcpy(a, src, 32);
    memcpy(b, src, 32);
    b[20] ^= 1;
    size_t left = repe_cmpsb(a, b, 32, &eq);
    printf("cmps: left=%d eq=%d\n", (int)left, eq);
    left = repe_cmpsb(a, a, 32, &eq);
    printf("cmps same: left=%d eq=%d\n", (int)left, eq);
    const char *text = "find the first x in this sentence";
    left = repne_scasb(text, 'x', strlen(text));
    printf("scas: found at %d\n", (int)(strlen(text) - left - 1));
    printf("lods: %08x\n", lods_sum(src, 300));
    return (int)(h % 256);
}

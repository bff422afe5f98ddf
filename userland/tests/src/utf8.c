/* utf8: multibyte conversions in the C.UTF-8 locale (mbrtowc, wcrtomb,
 * mbstowcs, wcslen), including invalid sequences and 4-byte code points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wchar.h>

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";
    wchar_t w[32];
    size_t n = mbstowcs(w, s, 32);
    printf("mbstowcs n=%d:", (int)n);
    for (size_t i = 0; i < n; i++)
        printf(" U+%04X", (unsigned)w[i]);
    printf("\nwcslen=%d\n", (int)wcslen(w));
    char out[64];
    size_t m = wcstombs(out, w, sizeof out);
    printf("wcstombs m=%d same=%d\n", (int)m, strcmp(out, s) == 0);
    static const char *bad[] = { "\xc3", "\xc3\x28", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80", "\xe2\x82" };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mbstate_t st;
        memset(&st, 0, sizeof st);
        wchar_t wc = 0;
        size_t r = mbrtowc(&wc, bad[i], strlen(bad[i]), &st);
        printf("bad %u: r=%ld\n", i, (long)r);
    }
    static const unsigned cps[] = { 0x24, 0xa2, 0x939, 0x20ac, 0xd55c, 0x10348, 0x10ffff };
    for (unsigned i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        mbstate_t st;
        memset(&st, 0, sizeof st);
        char b[8];
        size_t k = wcrtomb(b, (wchar_t)cps[i], &st);
        printf("U+%04X ->", cps[i]);
        for (size_t j = 0; j < k; j++)
            printf(" %02x", (unsigned char)b[j]);
        printf("\n");
    }
    return (int)n;
}

/* strtok: tokenizing with strtok/strtok_r, strspn/strcspn/strpbrk,
 * memmem, strndup, strcasecmp and toupper/tolower over the C locale. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <ctype.h>

int main(void)
{
    char text[] = "  the quick,brown;;fox jumps , over the lazy   dog ";
    int n = 0;
    for (char *t = strtok(text, " ,;"); t; t = strtok(NULL, " ,;"))
        printf("tok %d: '%s'\n", n++, t);
    char pairs[] = "a=1&bb=22&ccc=333&=&d=";
    char *save1, *save2;
    for (char *kv = strtok_r(pairs, "&", &save1); kv; kv = strtok_r(NULL, "&", &save1)) {
        char *k = strtok_r(kv, "=", &save2);
        char *v = strtok_r(NULL, "=", &save2);
        printf("kv: %s -> %s\n", k ? k : "(none)", v ? v : "(none)");
    }
    printf("spn=%zu cspn=%zu pbrk=%s\n", strspn("aaabbbcd", "ab"), strcspn("hello world", "ow"),
           strpbrk("hello world", "xyzw"));
    const char hay[] = "binary\0data\0with\0zeros";
    const char *m = memmem(hay, sizeof hay, "with", 4);
    printf("memmem offset=%d\n", m ? (int)(m - hay) : -1);
    char *d = strndup("duplicate-me", 9);
    printf("strndup=%s casecmp=%d %d\n", d, strcasecmp("HeLLo", "hello"), strncasecmp("ABCx", "abcy", 3));
    free(d);
    char up[64];
    const char *src = "Mixed Case 123 _!";
    int i;
    for (i = 0; src[i]; i++)
        up[i] = (char)toupper((unsigned char)src[i]);
    up[i] = 0;
    printf("upper=%s\n", up);
    unsigned classes = 0;
    for (int c = 0; c < 128; c++)
        classes = classes * 3 + (unsigned)(!!isalpha(c) + !!isdigit(c) * 2 + !!isspace(c) * 4 + !!ispunct(c) * 8 +
                                           !!iscntrl(c) * 16 + !!isxdigit(c) * 32);
    printf("ctype digest=%08x\n", classes);
    return n;
}

/* switch: dense switch statements (jump tables) and sparse ones (binary
 * decision trees), including negative and large case values. */
#include <stdio.h>
#include <stdint.h>

__attribute__((noinline)) static int dense(int x)
{
    switch (x) {
    case 0: return 11;
    case 1: return 23;
    case 2: return 5;
    case 3: return 99;
    case 4: return -4;
    case 5: return 1000;
    case 6: return 77;
    case 7: return 8;
    case 8: return 12;
    case 9: return 31;
    case 10: return 64;
    case 11: return 3;
    case 12: return 17;
    case 13: return 256;
    case 14: return -100;
    case 15: return 42;
    default: return -1;
    }
}

__attribute__((noinline)) static const char *sparse(long x)
{
    switch (x) {
    case -1000000: return "minus-million";
    case -7: return "minus-seven";
    case 0: return "zero";
    case 13: return "thirteen";
    case 404: return "not-found";
    case 65536: return "two-sixteen";
    case 1000003: return "prime";
    case 0x7fffffffL: return "int-max";
    case 0x100000000L: return "two-thirtytwo";
    default: return "other";
    }
}

__attribute__((noinline)) static unsigned chars(unsigned char c)
{
    switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
    case 'A' ... 'Z': return 2;
    case '0' ... '9': return 3;
    case ' ': case '\t': case '\n': return 4;
    case 0x80 ... 0xff: return 5;
    default: return 0;
    }
}

__attribute__((noinline)) static int fallthrough(int x)
{
    int r = 0;
    switch (x & 7) {
    case 0: r += 1; /* fall through */
    case 1: r += 10; /* fall through */
    case 2: r += 100; break;
    case 3: r -= 5; /* fall through */
    case 4: r *= 3; break;
    default: r = x;
    }
    return r;
}

int main(void)
{
    long total = 0;
    for (int i = -3; i < 20; i++) {
        printf("dense(%d)=%d\n", i, dense(i));
        total += dense(i);
    }
    static const long probes[] = { -1000000, -7, -6, 0, 1, 13, 404, 405, 65536, 1000003, 0x7fffffffL, 0x100000000L, -1 };
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++)
        printf("sparse(%ld)=%s\n", probes[i], sparse(probes[i]));
    unsigned hist[6] = { 0 };
    const char *text = "The Quick brown fox, 1234 jumps\tover \xc3\xa9 lazy DOGS 99\n";
    for (const char *p = text; *p; p++)
        hist[chars((unsigned char)*p)]++;
    printf("hist: %u %u %u %u %u %u\n", hist[0], hist[1], hist[2], hist[3], hist[4], hist[5]);
    for (int i = 0; i < 10; i++)
        total += fallthrough(i * 3);
    printf("switch total=%ld\n", total);
    return (int)(total & 0xff);
}

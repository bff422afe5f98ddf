/* loop [N]: deterministic integer busy loop for measuring guest speed.
 * Each iteration mixes add, xor, shifts/rotates and multiplies over a few
 * variables that depend on each other, so the work cannot be folded away. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned long n = 10000000UL;
    uint64_t a = 0x0123456789abcdefULL;
    uint64_t b = 0x9e3779b97f4a7c15ULL;
    uint64_t c = 1;
    uint32_t d = 0xdeadbeefU;
    unsigned long i;

    if (argc > 1) {
        char *end;
        n = strtoul(argv[1], &end, 0);
        if (*argv[1] == '\0' || *end != '\0') {
            fprintf(stderr, "usage: loop [N]\n");
            return 2;
        }
    }

    for (i = 0; i < n; i++) {
        a += b ^ i;
        b = (b << 13) | (b >> 51);
        b ^= a;
        c = c * 6364136223846793005ULL + (a >> 7);
        d = (d ^ (uint32_t)c) * 2654435761U;
        a ^= (uint64_t)d << 17;
    }

    printf("loop %lu checksum=%016llx\n", n,
           (unsigned long long)(a ^ b ^ c ^ ((uint64_t)d << 32)));
    return 0;
}

/* rand: the libc's rand/srand and random/srandom sequences, drand48
 * family, used to fill and shuffle arrays deterministically. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    srand(12345);
    unsigned h = 0;
    for (int i = 0; i < 1000; i++)
        h = h * 31 + (unsigned)rand();
    printf("rand digest=%08x max=%d\n", h, RAND_MAX);
    srandom(777);
    long r[5];
    for (int i = 0; i < 5; i++)
        r[i] = random();
    printf("random: %ld %ld %ld %ld %ld\n", r[0], r[1], r[2], r[3], r[4]);
    srand48(42);
    printf("drand48: %.17g %.17g lrand48: %ld mrand48: %ld\n", drand48(), drand48(), lrand48(), mrand48());
    int deck[52];
    for (int i = 0; i < 52; i++)
        deck[i] = i;
    srand(2024);
    for (int i = 51; i > 0; i--) {
        int j = rand() % (i + 1);
        int t = deck[i];
        deck[i] = deck[j];
        deck[j] = t;
    }
    for (int i = 0; i < 52; i++)
        printf("%d%c", deck[i], i == 51 ? '\n' : ' ');
    return deck[0];
}

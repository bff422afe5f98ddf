/* life: Conway's game of life on a 64x32 torus for 200 generations,
 * using a byte grid; prints population history and the final board. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#define W 64
#define H 32

static uint8_t g[H][W], n[H][W];

int main(void)
{
    uint32_t s = 2463534242u;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            g[y][x] = (s % 3) == 0;
        }
    /* a glider in a corner */
    memset(g[0], 0, 8);
    g[1][2] = g[2][3] = g[3][1] = g[3][2] = g[3][3] = 1;
    for (int gen = 0; gen < 200; gen++) {
        int pop = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                int c = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                        if (dy || dx)
                            c += g[(y + dy + H) % H][(x + dx + W) % W];
                n[y][x] = (uint8_t)(c == 3 || (c == 2 && g[y][x]));
                pop += n[y][x];
            }
        memcpy(g, n, sizeof g);
        if (gen % 20 == 0)
            printf("gen %3d pop %d\n", gen, pop);
    }
    int pop = 0;
    for (int y = 0; y < H; y++) {
        char line[W + 1];
        for (int x = 0; x < W; x++) {
            line[x] = g[y][x] ? '#' : '.';
            pop += g[y][x];
        }
        line[W] = 0;
        puts(line);
    }
    return pop % 256;
}

/* queens: N-queens solution counts for N=1..10 by bitmask backtracking,
 * and the first solution for N=8 printed as a board. */
#include <stdio.h>
#include <stdint.h>

static int first[16];
static int have_first;

static long solve(int n, int row, uint32_t cols, uint32_t d1, uint32_t d2, int *pos)
{
    if (row == n) {
        if (!have_first && n == 8) {
            for (int i = 0; i < n; i++)
                first[i] = pos[i];
            have_first = 1;
        }
        return 1;
    }
    long count = 0;
    uint32_t avail = ~(cols | d1 | d2) & ((1u << n) - 1);
    while (avail) {
        uint32_t bit = avail & -avail;
        avail &= avail - 1;
        pos[row] = __builtin_ctz(bit);
        count += solve(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1, pos);
    }
    return count;
}

int main(void)
{
    int pos[16];
    long total = 0;
    for (int n = 1; n <= 10; n++) {
        long c = solve(n, 0, 0, 0, 0, pos);
        printf("queens(%d) = %ld\n", n, c);
        total += c;
    }
    for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++)
            putchar(first[r] == c ? 'Q' : '.');
        putchar('\n');
    }
    return (int)(total % 256);
}

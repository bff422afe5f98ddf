/* vla: variable-length arrays and __builtin_alloca with sizes from argv,
 * stack pointer realignment, and recursion with dynamic frames. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

static uint32_t frame(int n, int depth)
{
    uint32_t arr[n];
    for (int i = 0; i < n; i++)
        arr[i] = (uint32_t)(i * depth + n);
    uint32_t s = 0;
    for (int i = 0; i < n; i++)
        s = s * 33 + arr[i];
    if (depth > 0)
        s ^= frame(n * 3 % 97 + 1, depth - 1);
    return s;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strlen(argv[1]) * 50 + 13 : 77;
    char *a = __builtin_alloca((size_t)n);
    memset(a, 'v', (size_t)n);
    double aligned[3] __attribute__((aligned(32)));
    aligned[0] = 1;
    int ok = ((uintptr_t)aligned & 31) == 0 && ((uintptr_t)a & 15) == 0;
    int m[n % 10 + 2][n % 7 + 3];
    for (int i = 0; i < n % 10 + 2; i++)
        for (int j = 0; j < n % 7 + 3; j++)
            m[i][j] = i * j;
    printf("n=%d alloca ok=%d last=%c sizeof m=%d m[1][2]=%d\n", n, ok, a[n - 1], (int)sizeof m, m[1][2]);
    uint32_t s = frame(n, 40);
    printf("frames s=%08x\n", s);
    return (int)(s % 256);
}

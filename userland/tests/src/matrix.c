/* matrix: integer matrix multiply (int16 x int16 -> int32 and int64),
 * transpose, and determinant by fraction-free Gaussian elimination. */
#include <stdio.h>
#include <stdint.h>

#define N 24

static int16_t A[N][N], B[N][N];
static int32_t C[N][N];
static int64_t D[N][N];

int main(void)
{
    uint32_t s = 99;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s = s * 1664525u + 1013904223u;
            A[i][j] = (int16_t)(s >> 16);
            s = s * 1664525u + 1013904223u;
            B[i][j] = (int16_t)((s >> 20) - 2048);
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int32_t acc = 0;
            int64_t acc64 = 0;
            for (int k = 0; k < N; k++) {
                acc += (int32_t)((uint32_t)A[i][k] * (uint32_t)B[k][j]);
                acc64 += (int64_t)A[i][k] * B[j][k];
            }
            C[i][j] = acc;
            D[i][j] = acc64;
        }
    int64_t trace = 0;
    uint64_t h = 0;
    for (int i = 0; i < N; i++) {
        trace += C[i][i];
        for (int j = 0; j < N; j++)
            h = h * 1000003 + (uint32_t)C[i][j] + (uint64_t)D[j][i];
    }
    printf("C[0][0..3] = %d %d %d %d\n", C[0][0], C[0][1], C[0][2], C[0][3]);
    printf("D[5][7] = %lld trace(C) = %lld\n", (long long)D[5][7], (long long)trace);
    /* Bareiss determinant of a small integer matrix */
    int64_t M[6][6];
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
            M[i][j] = (A[i][j] % 7) + (i == j ? 10 : 0);
    int64_t prev = 1;
    int sign = 1;
    for (int k = 0; k < 5; k++) {
        if (M[k][k] == 0) {
            int p = k + 1;
            while (p < 6 && M[p][k] == 0)
                p++;
            if (p == 6) {
                prev = 0;
                break;
            }
            for (int j = 0; j < 6; j++) {
                int64_t t = M[k][j];
                M[k][j] = M[p][j];
                M[p][j] = t;
            }
            sign = -sign;
        }
        for (int i = k + 1; i < 6; i++)
            for (int j = k + 1; j < 6; j++)
                M[i][j] = (M[i][j] * M[k][k] - M[i][k] * M[k][j]) / prev;
        prev = M[k][k];
    }
    printf("det = %lld\n", (long long)(sign * M[5][5]));
    printf("matrix h=%016llx\n", (unsigned long long)h);
    return (int)(h % 256);
}

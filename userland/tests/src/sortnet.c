/* sortnet: branch-free sorting networks (compare-exchange with min/max, so
 * the compiler emits cmov/setcc), checked against insertion sort. */
#include <stdio.h>
#include <stdint.h>

#define CX(a, b) do { int32_t lo_ = v[a] < v[b] ? v[a] : v[b]; int32_t hi_ = v[a] < v[b] ? v[b] : v[a]; v[a] = lo_; v[b] = hi_; } while (0)

static void net8(int32_t *v)
{
    CX(0, 1); CX(2, 3); CX(4, 5); CX(6, 7);
    CX(0, 2); CX(1, 3); CX(4, 6); CX(5, 7);
    CX(1, 2); CX(5, 6); CX(0, 4); CX(3, 7);
    CX(1, 5); CX(2, 6);
    CX(1, 4); CX(3, 6);
    CX(2, 4); CX(3, 5);
    CX(3, 4);
}

/* bitonic sort for 16 elements */
static void bitonic16(int32_t *v)
{
    for (int k = 2; k <= 16; k <<= 1)
        for (int j = k >> 1; j > 0; j >>= 1)
            for (int i = 0; i < 16; i++) {
                int l = i ^ j;
                if (l > i) {
                    int up = (i & k) == 0;
                    if ((v[i] > v[l]) == up) {
                        int32_t t = v[i];
                        v[i] = v[l];
                        v[l] = t;
                    }
                }
            }
}

static void insertion(int32_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        int32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

int main(void)
{
    uint32_t s = 0x2545f491u;
    int bad = 0;
    uint64_t h = 0;
    for (int t = 0; t < 3000; t++) {
        int32_t a[16], b[16];
        for (int i = 0; i < 16; i++) {
            s = s * 1103515245u + 12345u;
            a[i] = b[i] = (int32_t)(s >> 8) % 1000 - 500;
        }
        if (t & 1) {
            net8(a);
            insertion(b, 8);
            for (int i = 0; i < 8; i++)
                bad += a[i] != b[i];
        } else {
            bitonic16(a);
            insertion(b, 16);
            for (int i = 0; i < 16; i++)
                bad += a[i] != b[i];
        }
        h = h * 31 + (uint32_t)a[0] + (uint32_t)a[7] * 3;
        if (t < 4) {
            for (int i = 0; i < ((t & 1) ? 8 : 16); i++)
                printf("%d ", a[i]);
            printf("\n");
        }
    }
    printf("sortnet h=%016llx bad=%d\n", (unsigned long long)h, bad);
    return bad ? 1 : 0;
}

/* setjmp: setjmp/longjmp out of deep recursion, repeated jumps with
 * different values, volatile locals surviving the jump, nested buffers. */
#include <stdio.h>
#include <setjmp.h>

static jmp_buf env, inner;
static int depth_reached;

static void dive(int depth, int limit)
{
    volatile char pad[64];
    pad[0] = (char)depth;
    depth_reached = depth + pad[0] - pad[0];
    if (depth == limit)
        longjmp(env, limit);
    if (depth > 1000000)
        return;
    dive(depth + 1, limit);
}

static int attempt(int n)
{
    if (setjmp(inner) == 0) {
        if (n % 3 == 0)
            longjmp(inner, 1);
        return n * 10;
    }
    return -n;
}

int main(void)
{
    volatile int count = 0;
    int r = setjmp(env);
    count++;
    printf("setjmp returned %d (count %d, depth %d)\n", r, count, depth_reached);
    if (r < 5000)
        dive(0, r * 2 + 1000);
    int total = 0;
    for (int i = 0; i < 10; i++)
        total += attempt(i);
    printf("attempts total %d\n", total);
    volatile long acc = 0;
    jmp_buf loop;
    int v = setjmp(loop);
    acc += v;
    if (v < 100)
        longjmp(loop, v + 7);
    printf("loop acc %ld v %d\n", acc, v);
    return count;
}

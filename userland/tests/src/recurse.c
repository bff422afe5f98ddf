/* recurse: deep recursion (100k frames), mutual recursion, Ackermann,
 * and naive Fibonacci; exercises call/ret, stack growth and the RSB. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long depth_sum(unsigned long n, volatile char *prev)
{
    volatile char pad[40];
    pad[0] = (char)n;
    pad[39] = prev ? prev[0] : 0;
    if (n == 0)
        return (unsigned long)(unsigned char)pad[39];
    return n + depth_sum(n - 1, pad) + (unsigned char)pad[0] % 3;
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static unsigned long ack(unsigned long m, unsigned long n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int hanoi_moves;
static void hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    hanoi_moves++;
    hanoi(n - 1, via, to, from);
}

int main(int argc, char **argv)
{
    unsigned long d = argc > 5 ? strtoul(argv[5], 0, 10) : 100000;
    unsigned long s = depth_sum(d, 0);
    printf("depth_sum(%lu) = %lu\n", d, s);
    printf("even(77777)=%d odd(77777)=%d\n", is_even(77777), is_odd(77777));
    printf("ack(2,3)=%lu ack(3,5)=%lu\n", ack(2, 3), ack(3, 5));
    printf("fib(24)=%u\n", fib(24));
    hanoi(14, 1, 3, 2);
    printf("hanoi(14) moves=%d\n", hanoi_moves);
    return (int)(s % 100);
}

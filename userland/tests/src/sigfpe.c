/* sigfpe: integer division by zero raises SIGFPE; the default action kills
 * the process, so the exit status is 128+8 after the first line is written. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    (void)argv;
    volatile int zero = argc - argc;
    const char msg[] = "about to divide by zero\n";
    write(1, msg, sizeof msg - 1);
    volatile int r = 100 / zero;
    printf("not reached %d\n", r);
    return 0;
}

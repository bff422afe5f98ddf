/* exitcode: writes to stdout and stderr, registers atexit handlers that run
 * in reverse order and flush, then exits with status 42 via exit(). */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit: first registered, runs last\n"); }
static void second(void) { printf("atexit: second registered, runs first\n"); }

int main(int argc, char **argv)
{
    atexit(first);
    atexit(second);
    printf("stdout line (buffered)\n");
    fprintf(stderr, "stderr line: argc=%d\n", argc);
    if (argc > 1)
        fprintf(stderr, "first argument: %s\n", argv[1]);
    exit(42);
}

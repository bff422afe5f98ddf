/* abortsig: abort() after output to stderr: SIGABRT, exit status 128+6. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    fprintf(stderr, "aborting now\n");
    abort();
}

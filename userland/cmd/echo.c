/* echo [-n] ARG...: print the arguments separated by spaces. */
#include "common.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int nl = 1, k = 1;
	prog = "echo";
	if (k < argc && !strcmp(argv[k], "-n")) { nl = 0; k++; }
	for (int first = 1; k < argc; k++, first = 0) {
		if (!first) putchar(' ');
		fputs(argv[k], stdout);
	}
	if (nl) putchar('\n');
	/* A line-buffered stdout may already have failed at the newline: ask ferror too. */
	if (fflush(stdout) != 0 || ferror(stdout)) { warnerr("write error"); return 1; }
	return 0;
}

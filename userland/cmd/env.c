/* env [-i] [NAME=VALUE...] [COMMAND [ARG...]]: print the environment, or run
 * a command in a modified one. */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	prog = "env";
	int k = 1;
	if (k < argc && (!strcmp(argv[k], "-i") || !strcmp(argv[k], "-"))) {
		static char *empty[1];
		environ = empty;
		k++;
	}
	for (; k < argc && strchr(argv[k], '='); k++) putenv(argv[k]);
	if (k < argc) {
		execvp(argv[k], argv + k);
		int e = errno;
		warnx("'%s': %s", argv[k], strerror(e));
		return e == ENOENT ? 127 : 126;
	}
	for (char **e = environ; *e; e++) puts(*e);
	return 0;
}

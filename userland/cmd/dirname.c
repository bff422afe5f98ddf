/* dirname NAME...: the directory part of each name, as coreutils prints it. */
#include "common.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	prog = "dirname";
	int k = 1;
	if (k < argc && !strcmp(argv[k], "--")) k++;
	if (k >= argc) { warnx("missing operand"); fputs("Try 'dirname --help' for more information.\n", stderr); return 1; }
	for (; k < argc; k++) {
		const char *s = argv[k];
		size_t n = strlen(s);
		while (n > 1 && s[n - 1] == '/') n--;
		while (n > 0 && s[n - 1] != '/') n--;
		if (n == 0) { puts("."); continue; }
		while (n > 1 && s[n - 1] == '/') n--;
		printf("%.*s\n", (int)n, s);
	}
	return 0;
}

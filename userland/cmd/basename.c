/* basename NAME [SUFFIX], basename -a [-s SUFFIX] NAME...: strip the directory
 * (and a suffix) from file names, as coreutils does. */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_base(const char *name, const char *suffix)
{
	size_t n = strlen(name);
	while (n > 1 && name[n - 1] == '/') n--;
	size_t start = n;
	while (start > 0 && name[start - 1] != '/') start--;
	if (n == 1 && name[0] == '/') start = 0;
	size_t len = n - start;
	if (suffix && *suffix) {
		size_t sl = strlen(suffix);
		if (sl < len && !strncmp(name + start + len - sl, suffix, sl)) len -= sl;
	}
	printf("%.*s\n", (int)len, name + start);
}

int main(int argc, char **argv)
{
	prog = "basename";
	int multi = 0, k = 1;
	const char *suffix = NULL;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "-a")) multi = 1;
		else if (!strcmp(argv[k], "-s") && k + 1 < argc) { suffix = argv[++k]; multi = 1; }
		else if (!strncmp(argv[k], "-s", 2)) { suffix = argv[k] + 2; multi = 1; }
		else { warnx("invalid option -- '%s'", argv[k] + 1); fputs("Try 'basename --help' for more information.\n", stderr); return 1; }
	}
	if (k >= argc) { warnx("missing operand"); fputs("Try 'basename --help' for more information.\n", stderr); return 1; }
	if (!multi) {
		if (argc - k > 2) { warnx("extra operand '%s'", argv[k + 2]); fputs("Try 'basename --help' for more information.\n", stderr); return 1; }
		print_base(argv[k], k + 1 < argc ? argv[k + 1] : NULL);
		return 0;
	}
	for (; k < argc; k++) print_base(argv[k], suffix);
	return 0;
}

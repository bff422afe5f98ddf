/* cmp [-l] [-s] FILE1 [FILE2]: compare two files byte by byte, with diffutils'
 * messages; status 0 same, 1 different, 2 trouble. */
#include "common.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	prog = "cmp";
	int list = 0, silent = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'l') list = 1;
			else if (*p == 's') silent = 1;
			else { warnx("invalid option -- '%c'", *p); fputs("cmp: Try 'cmp --help' for more information.\n", stderr); return 2; }
		}
	}
	if (k >= argc) { warnx("missing operand after 'cmp'"); fputs("cmp: Try 'cmp --help' for more information.\n", stderr); return 2; }
	const char *name[2] = { argv[k], k + 1 < argc ? argv[k + 1] : "-" };
	FILE *f[2];
	for (int q = 0; q < 2; q++) {
		f[q] = strcmp(name[q], "-") ? fopen(name[q], "r") : stdin;
		if (!f[q]) { if (!silent) warnerr("%s", name[q]); return 2; }
	}
	/* -l prints offsets as wide as the larger file's size needs, as diffutils does. */
	int width = 1;
	struct stat st;
	long long biggest = 0;
	for (int q = 0; q < 2; q++)
		if (fstat(fileno(f[q]), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > biggest) biggest = st.st_size;
	for (long long v = biggest; v >= 10; v /= 10) width++;
	long long byte = 1, line = 1;
	int differ = 0;
	for (;; byte++) {
		int a = getc(f[0]), b = getc(f[1]);
		if (a == EOF || b == EOF) {
			if (a == b) break;
			if (!silent) {
				fflush(stdout);
				const char *who = a == EOF ? name[0] : name[1];
				if (byte == 1) fprintf(stderr, "cmp: EOF on %s which is empty\n", who);
				else fprintf(stderr, "cmp: EOF on %s after byte %lld, line %lld\n", who, byte - 1, line - (list ? 0 : 0));
			}
			return 1;
		}
		if (a != b) {
			differ = 1;
			if (silent) return 1;
			if (!list) { printf("%s %s differ: char %lld, line %lld\n", name[0], name[1], byte, line); return 1; }
			printf("%*lld %3o %3o\n", width, byte, a, b);
		}
		if (a == '\n') line++;
	}
	return differ;
}

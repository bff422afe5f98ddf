/* seq [-w] [-s SEP] [-f FMT] [FIRST [INCREMENT]] LAST: print a sequence of numbers,
 * as coreutils does (integers exactly; decimals with the widest given precision). */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int decimals(const char *s)
{
	const char *dot = strchr(s, '.');
	if (!dot || strpbrk(s, "eE")) return 0;
	return (int)strlen(dot + 1);
}

static int parse(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	if (end == s || *end) {
		warnx("invalid floating point argument: '%s'", s);
		fputs("Try 'seq --help' for more information.\n", stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	prog = "seq";
	const char *sep = "\n", *fmt = NULL;
	int width = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1] && !(argv[k][1] >= '0' && argv[k][1] <= '9') && argv[k][1] != '.'; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "-w")) width = 1;
		else if (!strcmp(argv[k], "-s") && k + 1 < argc) sep = argv[++k];
		else if (!strncmp(argv[k], "-s", 2)) sep = argv[k] + 2;
		else if (!strcmp(argv[k], "-f") && k + 1 < argc) fmt = argv[++k];
		else if (!strncmp(argv[k], "-f", 2)) fmt = argv[k] + 2;
		else { warnx("invalid option -- '%c'", argv[k][1]); fputs("Try 'seq --help' for more information.\n", stderr); return 1; }
	}
	int n = argc - k;
	if (n < 1) { warnx("missing operand"); fputs("Try 'seq --help' for more information.\n", stderr); return 1; }
	if (n > 3) { warnx("extra operand '%s'", argv[k + 3]); fputs("Try 'seq --help' for more information.\n", stderr); return 1; }
	double first = 1, inc = 1, last;
	int prec = 0;
	if (n >= 2 && parse(argv[k], &first) < 0) return 1;
	if (n == 3 && parse(argv[k + 1], &inc) < 0) return 1;
	if (parse(argv[k + n - 1], &last) < 0) return 1;
	if (inc == 0) { warnx("invalid Zero increment value: '%s'", argv[k + 1]); fputs("Try 'seq --help' for more information.\n", stderr); return 1; }
	/* The output has as many decimals as FIRST or INCREMENT (LAST only with -w). */
	for (int q = 0; q < n - 1; q++) if (decimals(argv[k + q]) > prec) prec = decimals(argv[k + q]);
	char f[64];
	if (fmt) snprintf(f, sizeof f, "%s", fmt);
	else if (width) {
		char a[64], b[64];
		int wa = snprintf(a, sizeof a, "%.*f", prec, first), wb = snprintf(b, sizeof b, "%.*f", prec, last);
		snprintf(f, sizeof f, "%%0%d.%df", wa > wb ? wa : wb, prec);
	} else snprintf(f, sizeof f, "%%.%df", prec);
	int any = 0;
	for (long i = 0;; i++) {
		double v = first + (double)i * inc;
		if (inc > 0 ? v > last + 1e-10 * (inc < 1 ? inc : 1) : v < last - 1e-10 * (-inc < 1 ? -inc : 1)) break;
		if (any) fputs(sep, stdout);
		printf(f, v);
		any = 1;
	}
	if (any) putchar('\n');
	return 0;
}

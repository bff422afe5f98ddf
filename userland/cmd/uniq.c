/* uniq [-c] [-d] [-u] [-i] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]: filter adjacent
 * repeated lines, as coreutils does. */
#include "common.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int count, dups, uniques, icase;
static long skipf, skipc, width = -1;

static const char *key(const char *s, size_t *len)
{
	for (long f = 0; f < skipf; f++) {
		while (*s == ' ' || *s == '\t') s++;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n') s++;
	}
	for (long c = 0; c < skipc && *s && *s != '\n'; c++) s++;
	size_t n = strcspn(s, "\n");
	if (width >= 0 && (size_t)width < n) n = (size_t)width;
	*len = n;
	return s;
}

static int same(const char *a, const char *b)
{
	size_t la, lb;
	const char *ka = key(a, &la), *kb = key(b, &lb);
	if (la != lb) return 0;
	return icase ? !strncasecmp(ka, kb, la) : !memcmp(ka, kb, la);
}

static void emit(FILE *out, const char *line, long n)
{
	if ((dups && n < 2) || (uniques && n > 1)) return;
	if (count) fprintf(out, "%7ld %s", n, line);
	else fputs(line, out);
	size_t l = strlen(line);
	if (!l || line[l - 1] != '\n') fputc('\n', out);
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0) { warnx("%s: invalid number of fields to skip", s); exit(1); }
	return v;
}

int main(int argc, char **argv)
{
	prog = "uniq";
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		char *p = argv[k] + 1;
		for (; *p; p++) {
			if (*p == 'c') count = 1;
			else if (*p == 'd') dups = 1;
			else if (*p == 'u') uniques = 1;
			else if (*p == 'i') icase = 1;
			else if (*p == 'f' || *p == 's' || *p == 'w') {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { warnx("option requires an argument -- '%c'", *p); fputs("Try 'uniq --help' for more information.\n", stderr); return 1; }
				long n = number(v);
				if (*p == 'f') skipf = n; else if (*p == 's') skipc = n; else width = n;
				break;
			} else { warnx("invalid option -- '%c'", *p); fputs("Try 'uniq --help' for more information.\n", stderr); return 1; }
		}
	}
	FILE *in = stdin, *out = stdout;
	if (k < argc && strcmp(argv[k], "-")) {
		in = fopen(argv[k], "r");
		if (!in) { warnerr("%s", argv[k]); return 1; }
	}
	if (k + 1 < argc) {
		out = fopen(argv[k + 1], "w");
		if (!out) { warnerr("%s", argv[k + 1]); return 1; }
	}
	char *prev = NULL, *line = NULL;
	size_t pcap = 0, cap = 0;
	long n = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, in)) >= 0) {
		if (prev && same(prev, line)) { n++; continue; }
		if (prev) emit(out, prev, n);
		if (pcap < (size_t)len + 1) { pcap = (size_t)len + 1; prev = realloc(prev, pcap); }
		memcpy(prev, line, (size_t)len + 1);
		n = 1;
	}
	if (prev) emit(out, prev, n);
	if (fflush(out) != 0) { warnerr("write error"); return 1; }
	return 0;
}

/* cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [--output-delimiter=S] [FILE...]:
 * print selected parts of lines, as coreutils does (bytes and characters are the
 * same here: the C locale). */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct range { long lo, hi; };
static struct range *ranges;
static int nranges;
static char mode, delim = '\t';
static int only_delimited, complement;
static const char *outdelim;

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int parse_list(const char *s)
{
	const char *p = s;
	while (*p) {
		struct range r = { 1, -1 };
		char *end;
		if (*p == '-') r.lo = 1;
		else {
			r.lo = strtol(p, &end, 10);
			if (end == p) goto bad;
			if (r.lo < 1) { warnx("%s", mode == 'f' ? "fields are numbered from 1" : "byte/character positions are numbered from 1"); return -1; }
			p = end;
			r.hi = r.lo;
		}
		if (*p == '-') {
			p++;
			if (*p >= '0' && *p <= '9') {
				r.hi = strtol(p, &end, 10);
				p = end;
				if (r.hi < r.lo) { warnx("invalid decreasing range"); return -1; }
			} else r.hi = -1;
		}
		ranges = realloc(ranges, (nranges + 1) * sizeof *ranges);
		ranges[nranges++] = r;
		if (*p == ',') { p++; continue; }
		if (*p) goto bad;
	}
	qsort(ranges, nranges, sizeof *ranges, cmp_range);
	return 0;
bad:
	warnx("invalid %s list", mode == 'f' ? "field" : "byte/character position");
	return -1;
}

static int selected(long n)
{
	int in = 0;
	for (int k = 0; k < nranges; k++)
		if (n >= ranges[k].lo && (ranges[k].hi < 0 || n <= ranges[k].hi)) { in = 1; break; }
	return in != complement;
}

static void cut_line(char *line, size_t len)
{
	if (mode != 'f') {
		int first = 1;
		long last = -2;
		for (size_t i = 0; i < len; i++)
			if (selected((long)i + 1)) {
				if (outdelim && !first && (long)i != last + 1) fputs(outdelim, stdout);
				putchar(line[i]);
				first = 0;
				last = (long)i;
			}
		putchar('\n');
		return;
	}
	if (!memchr(line, delim, len)) {
		if (!only_delimited) { fwrite(line, 1, len, stdout); putchar('\n'); }
		return;
	}
	long field = 1;
	int first = 1;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == delim) {
			if (selected(field)) {
				if (!first) { if (outdelim) fputs(outdelim, stdout); else putchar(delim); }
				fwrite(line + start, 1, i - start, stdout);
				first = 0;
			}
			field++;
			start = i + 1;
		}
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	prog = "cut";
	const char *list = NULL;
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		char *a = argv[k];
		if (!strcmp(a, "--")) { k++; break; }
		if (!strncmp(a, "--output-delimiter=", 19)) { outdelim = a + 19; continue; }
		if (!strcmp(a, "--complement")) { complement = 1; continue; }
		if (!strcmp(a, "--only-delimited")) { only_delimited = 1; continue; }
		for (char *p = a + 1; *p; p++) {
			if (*p == 's') { only_delimited = 1; continue; }
			if (*p == 'n') continue;
			if (strchr("bcfd", *p)) {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { warnx("option requires an argument -- '%c'", *p); fputs("Try 'cut --help' for more information.\n", stderr); return 1; }
				if (*p == 'd') {
					if (strlen(v) != 1) { warnx("the delimiter must be a single character"); fputs("Try 'cut --help' for more information.\n", stderr); return 1; }
					delim = v[0];
				} else {
					if (mode) { warnx("only one type of list may be specified"); fputs("Try 'cut --help' for more information.\n", stderr); return 1; }
					mode = *p;
					list = v;
				}
				break;
			}
			warnx("invalid option -- '%c'", *p);
			fputs("Try 'cut --help' for more information.\n", stderr);
			return 1;
		}
	}
	if (!mode) { warnx("you must specify a list of bytes, characters, or fields"); fputs("Try 'cut --help' for more information.\n", stderr); return 1; }
	if (parse_list(list) < 0) { fputs("Try 'cut --help' for more information.\n", stderr); return 1; }
	int status = 0;
	char *line = NULL;
	size_t cap = 0;
	for (int q = k; q < argc || q == k; q++) {
		FILE *f = q < argc && strcmp(argv[q], "-") ? fopen(argv[q], "r") : stdin;
		if (!f) { warnerr("%s", argv[q]); status = 1; continue; }
		ssize_t len;
		while ((len = getline(&line, &cap, f)) >= 0) {
			if (len && line[len - 1] == '\n') len--;
			cut_line(line, (size_t)len);
		}
		if (f != stdin) fclose(f);
		if (q >= argc) break;
	}
	return status;
}

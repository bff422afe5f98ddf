/* grep [-vinclqFsh] [-e] PATTERN [FILE...]: print matching lines.
 * PATTERN is a small basic regular expression: ^ and $ anchors, . (any
 * character), x* (zero or more), \x (literal x); everything else matches
 * itself.  -F takes the pattern as a fixed string.  Exit: 0 if a line was
 * selected, 1 if none, 2 on error. */
#include "common.h"
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int o_v, o_i, o_n, o_c, o_l, o_q, o_F, o_s, o_h;
static const char *pat;
static size_t patlen;

static int eq(char a, char b)
{
	if (o_i) return tolower((unsigned char)a) == tolower((unsigned char)b);
	return a == b;
}

/* pattern element at p: returns its length and whether it is "any" */
static int elem(const char *p, int *any, char *ch)
{
	if (p[0] == '\\' && p[1]) { *any = 0; *ch = p[1]; return 2; }
	*any = p[0] == '.';
	*ch = p[0];
	return 1;
}

static int match_here(const char *p, const char *s, const char *end)
{
	for (;;) {
		if (!*p) return 1;
		if (p[0] == '$' && !p[1]) return s == end;
		int any;
		char ch;
		int l = elem(p, &any, &ch);
		if (p[l] == '*') {
			const char *t = s;
			for (;;) {
				if (match_here(p + l + 1, t, end)) return 1;
				if (t < end && (any || eq(*t, ch))) t++;
				else return 0;
			}
		}
		if (s < end && (any || eq(*s, ch))) { s++; p += l; continue; }
		return 0;
	}
}

static int matches(const char *s, size_t len)
{
	const char *end = s + len;
	if (o_F) {
		if (patlen > len) return 0;
		for (size_t i = 0; i + patlen <= len; i++) {
			size_t k = 0;
			while (k < patlen && eq(s[i + k], pat[k])) k++;
			if (k == patlen) return 1;
		}
		return 0;
	}
	if (pat[0] == '^') return match_here(pat + 1, s, end);
	for (const char *t = s;; t++) {
		if (match_here(pat, t, end)) return 1;
		if (t == end) return 0;
	}
}

static int grep_fd(FILE *fp, const char *name, int show_name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long long lineno = 0, count = 0;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		size_t l = (size_t)len;
		if (l && line[l - 1] == '\n') l--;
		if (matches(line, l) == o_v) continue;
		count++;
		if (o_q) { free(line); return 1; }
		if (o_l) break;
		if (o_c) continue;
		if (show_name) printf("%s:", name);
		if (o_n) printf("%llu:", lineno);
		fwrite(line, 1, l, stdout);
		putchar('\n');
	}
	free(line);
	if (o_c) {
		if (show_name) printf("%s:", name);
		printf("%llu\n", count);
	}
	if (o_l && count) printf("%s\n", name);
	return count > 0;
}

int main(int argc, char **argv)
{
	int k = 1;
	prog = "grep";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (const char *a = argv[k] + 1; *a; a++) {
			switch (*a) {
			case 'v': o_v = 1; break;
			case 'i': o_i = 1; break;
			case 'n': o_n = 1; break;
			case 'c': o_c = 1; break;
			case 'l': o_l = 1; break;
			case 'q': o_q = 1; break;
			case 'F': o_F = 1; break;
			case 's': o_s = 1; break;
			case 'h': o_h = 1; break;
			case 'G': break;
			case 'e':
				pat = a[1] ? a + 1 : argv[++k];
				if (!pat) { warnx("option requires an argument -- 'e'"); return 2; }
				goto next_arg;
			default:
				warnx("invalid option -- '%c'", *a);
				fprintf(stderr, "Usage: grep [-vinclqFsh] PATTERN [FILE...]\n");
				return 2;
			}
		}
	next_arg:;
	}
	if (!pat) {
		if (k >= argc) { fprintf(stderr, "Usage: grep [-vinclqFsh] PATTERN [FILE...]\n"); return 2; }
		pat = argv[k++];
	}
	patlen = strlen(pat);
	int found = 0, err = 0;
	int nfiles = argc - k;
	if (nfiles == 0) {
		found = grep_fd(stdin, "(standard input)", 0);
	} else {
		for (; k < argc; k++) {
			FILE *fp = strcmp(argv[k], "-") ? fopen(argv[k], "r") : stdin;
			if (!fp) {
				if (!o_s) warnerr("%s", argv[k]);
				err = 1;
				continue;
			}
			if (grep_fd(fp, strcmp(argv[k], "-") ? argv[k] : "(standard input)", nfiles > 1 && !o_h)) {
				found = 1;
				if (o_q) return 0;
			}
			if (ferror(fp)) { if (!o_s) warnerr("%s", argv[k]); err = 1; }
			if (fp != stdin) fclose(fp);
		}
	}
	fflush(stdout);
	if (err && !(o_q && found)) return 2;
	return found ? 0 : 1;
}

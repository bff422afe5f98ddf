/* tr [-c] [-d] [-s] SET1 [SET2]: translate, delete or squeeze characters, as
 * coreutils does in the C locale: ranges, \ escapes, [:class:], [c*n] and [c*]. */
#include "common.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct set { unsigned char c[4096]; int n; int fill_at; int fill_char; };

static int esc(const char **pp)
{
	const char *p = *pp;
	int c = (unsigned char)*p++;
	if (c != '\\' || !*p) { *pp = p; return c; }
	c = (unsigned char)*p++;
	switch (c) {
	case 'a': c = 7; break; case 'b': c = 8; break; case 'f': c = 12; break;
	case 'n': c = 10; break; case 'r': c = 13; break; case 't': c = 9; break; case 'v': c = 11; break;
	default:
		if (c >= '0' && c <= '7') {
			c -= '0';
			for (int k = 0; k < 2 && *p >= '0' && *p <= '7'; k++) c = c * 8 + (*p++ - '0');
		}
	}
	*pp = p;
	return c & 255;
}

static int class_of(const char *name, int c)
{
	if (!strcmp(name, "alpha")) return isalpha(c);
	if (!strcmp(name, "digit")) return isdigit(c);
	if (!strcmp(name, "alnum")) return isalnum(c);
	if (!strcmp(name, "upper")) return isupper(c);
	if (!strcmp(name, "lower")) return islower(c);
	if (!strcmp(name, "space")) return isspace(c);
	if (!strcmp(name, "blank")) return c == ' ' || c == '\t';
	if (!strcmp(name, "punct")) return ispunct(c);
	if (!strcmp(name, "print")) return isprint(c);
	if (!strcmp(name, "graph")) return isgraph(c);
	if (!strcmp(name, "cntrl")) return iscntrl(c);
	if (!strcmp(name, "xdigit")) return isxdigit(c);
	return -1;
}

static void add(struct set *s, int c) { if (s->n < (int)sizeof s->c) s->c[s->n++] = (unsigned char)c; }

static int parse(const char *p, struct set *s, int second)
{
	s->n = 0;
	s->fill_at = -1;
	while (*p) {
		if (p[0] == '[' && p[1] == ':') {
			const char *e = strstr(p + 2, ":]");
			if (e) {
				char name[16];
				size_t l = e - (p + 2);
				if (l < sizeof name) {
					memcpy(name, p + 2, l);
					name[l] = 0;
					if (class_of(name, 'a') < 0) { warnx("invalid character class '%s'", name); return -1; }
					for (int c = 0; c < 256; c++) if (class_of(name, c)) add(s, c);
					p = e + 2;
					continue;
				}
			}
		}
		if (p[0] == '[' && p[1] && p[2] == '*') {
			/* [c*n] or [c*]: n copies of c, or as many as SET1 needs. */
			const char *q = p + 1;
			int c = esc(&q);
			if (*q == '*') {
				q++;
				char *end;
				long n = strtol(q, &end, *q == '0' ? 8 : 10);
				if (*end == ']') {
					if (end == q || n == 0) { if (second) { s->fill_at = s->n; s->fill_char = c; } }
					else for (long k = 0; k < n; k++) add(s, c);
					p = end + 1;
					continue;
				}
			}
		}
		int c = esc(&p);
		if (*p == '-' && p[1]) {
			p++;
			int hi = esc(&p);
			if (hi < c) {
				warnx("range-endpoints of '%c-%c' are in reverse collating sequence order", c, hi);
				return -1;
			}
			for (int x = c; x <= hi; x++) add(s, x);
		} else add(s, c);
	}
	return 0;
}

int main(int argc, char **argv)
{
	prog = "tr";
	int comp = 0, del = 0, squeeze = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'c' || *p == 'C') comp = 1;
			else if (*p == 'd') del = 1;
			else if (*p == 's') squeeze = 1;
			else { warnx("invalid option -- '%c'", *p); fputs("Try 'tr --help' for more information.\n", stderr); return 1; }
		}
	}
	int nsets = argc - k;
	if (nsets < 1) { warnx("missing operand"); fputs("Try 'tr --help' for more information.\n", stderr); return 1; }
	if (nsets == 1 && !del && !squeeze) {
		warnx("missing operand after '%s'", argv[k]);
		fputs("Two strings must be given when translating.\nTry 'tr --help' for more information.\n", stderr);
		return 1;
	}
	if (nsets == 2 && del && !squeeze) {
		warnx("extra operand '%s'", argv[k + 1]);
		fputs("Only one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.\n", stderr);
		return 1;
	}
	static struct set s1, s2;
	if (parse(argv[k], &s1, 0) < 0) return 1;
	if (nsets > 1 && parse(argv[k + 1], &s2, 1) < 0) return 1;
	int in1[256] = {0};
	for (int q = 0; q < s1.n; q++) in1[s1.c[q]] = 1;
	if (comp) {
		/* The complement, in byte order. */
		int old[256];
		memcpy(old, in1, sizeof old);
		s1.n = 0;
		for (int c = 0; c < 256; c++) { in1[c] = !old[c]; if (!old[c]) add(&s1, c); }
	}
	int map[256];
	for (int c = 0; c < 256; c++) map[c] = c;
	int translate = nsets > 1 && !del;
	if (translate) {
		if (s2.fill_at >= 0) {
			int need = s1.n - s2.n;
			struct set t = s2;
			s2.n = s2.fill_at;
			for (int q = 0; q < need; q++) add(&s2, t.fill_char);
			for (int q = t.fill_at; q < t.n; q++) add(&s2, t.c[q]);
		}
		if (!s2.n) { warnx("when not truncating set1, string2 must be non-empty"); return 1; }
		for (int q = 0; q < s1.n; q++) map[s1.c[q]] = s2.c[q < s2.n ? q : s2.n - 1];
	}
	int insq[256] = {0};
	const struct set *sq = nsets > 1 ? &s2 : &s1;
	if (squeeze) {
		if (nsets == 1 && comp) memcpy(insq, in1, sizeof insq);
		else for (int q = 0; q < sq->n; q++) insq[sq->c[q]] = 1;
	}
	static unsigned char buf[65536], out[65536];
	int last = -1;
	for (;;) {
		ssize_t r = read(0, buf, sizeof buf);
		if (r <= 0) break;
		size_t o = 0;
		for (ssize_t i = 0; i < r; i++) {
			int c = buf[i];
			if (del && in1[c]) continue;
			c = map[c];
			if (squeeze && insq[c] && c == last) continue;
			last = c;
			out[o++] = (unsigned char)c;
		}
		if (write_all(1, out, o) < 0) { warnerr("write error"); return 1; }
	}
	return 0;
}

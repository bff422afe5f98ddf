/* sort [-bcfnrsuh] [-k POS1[,POS2]] [-t SEP] [-o FILE] [FILE...]: sort lines as
 * coreutils does in the C locale; a tie between keys falls back to comparing whole
 * lines unless -s or -u. */
#include "common.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct key { long f1, c1, f2, c2; int numeric, human, reverse, fold, blanks, general; };
static struct key keys[16];
static int nkeys;
static struct key global;
static int tab = -1, unique, stable, check;

struct line { char *s; size_t n; };

/* The start of field f (1-based) and char c (1-based; 0 for the whole field). */
static const char *field_start(const char *s, const char *end, long f, long c, int blanks)
{
	const char *p = s;
	for (long k = 1; k < f && p < end; k++) {
		if (tab >= 0) {
			while (p < end && *p != tab) p++;
			if (p < end) p++;
		} else {
			while (p < end && (*p == ' ' || *p == '\t')) p++;
			while (p < end && *p != ' ' && *p != '\t') p++;
		}
	}
	if (blanks) while (p < end && (*p == ' ' || *p == '\t')) p++;
	if (c > 1) p = p + (c - 1) < end ? p + (c - 1) : end;
	return p;
}

static const char *field_end(const char *s, const char *end, long f, long c)
{
	if (f == 0) return end;
	const char *p = field_start(s, end, f, 0, 0);
	if (c > 0) return p + c < end ? p + c : end;
	if (tab >= 0) { while (p < end && *p != tab) p++; }
	else {
		while (p < end && (*p == ' ' || *p == '\t')) p++;
		while (p < end && *p != ' ' && *p != '\t') p++;
	}
	return p;
}

static double numval(const char *p, const char *end, int human)
{
	while (p < end && (*p == ' ' || *p == '\t')) p++;
	char buf[64];
	size_t n = 0;
	if (p < end && *p == '-') buf[n++] = *p++;
	while (p < end && n < 60 && (isdigit((unsigned char)*p) || *p == '.')) buf[n++] = *p++;
	buf[n] = 0;
	double v = strtod(buf, NULL);
	if (human && p < end) {
		const char *u = strchr("KMGTPE", *p);
		if (u) for (int k = 0; k <= u - "KMGTPE"; k++) v *= 1024;
	}
	return v;
}

static int compare_text(const char *a, size_t la, const char *b, size_t lb, int fold)
{
	size_t n = la < lb ? la : lb;
	for (size_t k = 0; k < n; k++) {
		int x = (unsigned char)a[k], y = (unsigned char)b[k];
		if (fold) { x = toupper(x); y = toupper(y); }
		if (x != y) return x - y;
	}
	return la < lb ? -1 : la > lb;
}

static int compare_key(const struct line *a, const struct line *b, const struct key *k)
{
	const char *ae = a->s + a->n, *be = b->s + b->n;
	const char *as = k->f1 ? field_start(a->s, ae, k->f1, k->c1, k->blanks) : a->s;
	const char *bs = k->f1 ? field_start(b->s, be, k->f1, k->c1, k->blanks) : b->s;
	const char *aend = k->f1 ? field_end(a->s, ae, k->f2, k->c2) : ae;
	const char *bend = k->f1 ? field_end(b->s, be, k->f2, k->c2) : be;
	if (aend < as) aend = as;
	if (bend < bs) bend = bs;
	int r;
	if (k->numeric || k->human || k->general) {
		double x = numval(as, aend, k->human), y = numval(bs, bend, k->human);
		r = x < y ? -1 : x > y;
	} else {
		if (k->blanks) {
			while (as < aend && (*as == ' ' || *as == '\t')) as++;
			while (bs < bend && (*bs == ' ' || *bs == '\t')) bs++;
		}
		r = compare_text(as, aend - as, bs, bend - bs, k->fold);
	}
	return k->reverse ? -r : r;
}

static int compare(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;
	int r = 0;
	if (nkeys) {
		for (int k = 0; k < nkeys && !r; k++) r = compare_key(a, b, &keys[k]);
	} else r = compare_key(a, b, &global);
	if (r || stable || unique) return r;
	r = compare_text(a->s, a->n, b->s, b->n, 0);
	return global.reverse ? -r : r;
}

static int parse_key(const char *s, struct key *k)
{
	*k = global;
	k->f2 = 0;
	char *end;
	k->f1 = strtol(s, &end, 10);
	if (end == s || k->f1 < 1) return -1;
	if (*end == '.') { k->c1 = strtol(end + 1, &end, 10); if (k->c1 < 1) return -1; }
	int own = 0;
	for (;;) {
		while (*end && strchr("bfnrhg", *end)) {
			if (!own) { k->numeric = k->reverse = k->fold = k->blanks = k->human = k->general = 0; own = 1; }
			if (*end == 'b') k->blanks = 1;
			if (*end == 'f') k->fold = 1;
			if (*end == 'n') k->numeric = 1;
			if (*end == 'r') k->reverse = 1;
			if (*end == 'h') k->human = 1;
			if (*end == 'g') k->general = 1;
			end++;
		}
		if (*end != ',') break;
		k->f2 = strtol(end + 1, &end, 10);
		if (k->f2 < 1) return -1;
		if (*end == '.') k->c2 = strtol(end + 1, &end, 10);
	}
	return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	prog = "sort";
	const char *outfile = NULL;
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		char *a = argv[k];
		if (!strcmp(a, "--")) { k++; break; }
		for (char *p = a + 1; *p; p++) {
			switch (*p) {
			case 'b': global.blanks = 1; continue;
			case 'f': global.fold = 1; continue;
			case 'n': global.numeric = 1; continue;
			case 'g': global.general = 1; continue;
			case 'h': global.human = 1; continue;
			case 'r': global.reverse = 1; continue;
			case 'u': unique = 1; continue;
			case 's': stable = 1; continue;
			case 'c': check = 1; continue;
			case 'k': case 't': case 'o': {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { warnx("option requires an argument -- '%c'", *p); fputs("Try 'sort --help' for more information.\n", stderr); return 2; }
				if (*p == 'k') {
					if (nkeys == 16 || parse_key(v, &keys[nkeys]) < 0) {
						if (v[0] == '0') warnx("field number is zero: invalid field specification '%s'", v);
						else warnx("invalid number at field start: invalid count at start of '%s'", v);
						return 2;
					}
					nkeys++;
				} else if (*p == 't') {
					if (strlen(v) != 1) { warnx("multi-character tab '%s'", v); return 2; }
					tab = (unsigned char)v[0];
				} else outfile = v;
				goto next;
			}
			default:
				warnx("invalid option -- '%c'", *p);
				fputs("Try 'sort --help' for more information.\n", stderr);
				return 2;
			}
		}
	next:;
	}
	/* Global ordering options apply to keys that have none of their own. */
	for (int q = 0; q < nkeys; q++) {
		struct key *x = &keys[q];
		if (!x->numeric && !x->reverse && !x->fold && !x->blanks && !x->human && !x->general) {
			x->numeric = global.numeric; x->reverse = global.reverse; x->fold = global.fold;
			x->blanks = global.blanks; x->human = global.human; x->general = global.general;
		}
	}
	struct line *lines = NULL;
	size_t n = 0, cap = 0;
	for (int q = k; q < argc || q == k; q++) {
		const char *name = q < argc ? argv[q] : "-";
		FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
		if (!f) { warnx("cannot read: %s: %s", name, strerror(errno)); return 2; }
		char *buf = NULL;
		size_t bc = 0;
		ssize_t len;
		while ((len = getline(&buf, &bc, f)) >= 0) {
			if (len && buf[len - 1] == '\n') len--;
			if (n == cap) { cap = cap ? cap * 2 : 1024; lines = realloc(lines, cap * sizeof *lines); }
			lines[n].s = malloc((size_t)len + 1);
			memcpy(lines[n].s, buf, (size_t)len);
			lines[n].s[len] = 0;
			lines[n].n = (size_t)len;
			n++;
		}
		free(buf);
		if (f != stdin) fclose(f);
		if (q >= argc) break;
	}
	if (check) {
		for (size_t q = 1; q < n; q++) {
			int r = compare(&lines[q - 1], &lines[q]);
			if (r > 0 || (unique && r == 0)) {
				fprintf(stderr, "sort: %s:%zu: disorder: %s\n", k < argc ? argv[k] : "-", q + 1, lines[q].s);
				return 1;
			}
		}
		return 0;
	}
	/* A stable merge sort keeps equal lines in input order (what -s promises). */
	struct line *tmp = malloc((n ? n : 1) * sizeof *tmp);
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi) tmp[o++] = compare(&lines[i], &lines[j]) <= 0 ? lines[i++] : lines[j++];
			while (i < mid) tmp[o++] = lines[i++];
			while (j < hi) tmp[o++] = lines[j++];
		}
		memcpy(lines, tmp, n * sizeof *lines);
	}
	FILE *out = stdout;
	if (outfile && !(out = fopen(outfile, "w"))) { warnx("open failed: %s: %s", outfile, strerror(errno)); return 2; }
	for (size_t q = 0; q < n; q++) {
		if (unique && q && compare(&lines[q - 1], &lines[q]) == 0) continue;
		fwrite(lines[q].s, 1, lines[q].n, out);
		fputc('\n', out);
	}
	if (fflush(out) != 0) { warnerr("write failed"); return 2; }
	return 0;
}

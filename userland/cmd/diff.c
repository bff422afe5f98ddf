/*
 * diff [-u | -U N | -c] [-q] [-i] [-b] [-w] [-B] FILE1 FILE2: compare files line by
 * line, as diffutils does: the normal format (2c2 < a --- > b), unified (-u) or
 * context (-c) hunks, status 0 same, 1 different, 2 trouble.  The edit script is
 * the shortest one (Myers' O(ND) algorithm), which is what diffutils finds too for
 * files of ordinary size.
 */
#include "common.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct file { const char *name; char **lines; int n; int last_nl; struct stat st; };
static int icase, ign_space_change, ign_all_space, ign_blank;

static int read_file(struct file *f)
{
	FILE *fp = strcmp(f->name, "-") ? fopen(f->name, "r") : stdin;
	if (!fp) return -1;
	if (fstat(fileno(fp), &f->st) < 0) memset(&f->st, 0, sizeof f->st);
	int cap = 0;
	char *line = NULL;
	size_t lc = 0;
	ssize_t len;
	f->last_nl = 1;
	while ((len = getline(&line, &lc, fp)) >= 0) {
		if (f->n == cap) { cap = cap ? cap * 2 : 256; f->lines = realloc(f->lines, (size_t)cap * sizeof *f->lines); }
		f->last_nl = len && line[len - 1] == '\n';
		if (f->last_nl) line[len - 1] = 0;
		f->lines[f->n++] = strdup(line);
	}
	free(line);
	if (fp != stdin) fclose(fp);
	return 0;
}

/* Lines compare equal after the -i/-b/-w normalisations. */
static int same(const char *a, const char *b)
{
	if (!icase && !ign_space_change && !ign_all_space) return !strcmp(a, b);
	for (;;) {
		if (ign_all_space) {
			while (isspace((unsigned char)*a)) a++;
			while (isspace((unsigned char)*b)) b++;
		} else if (ign_space_change && isspace((unsigned char)*a) && isspace((unsigned char)*b)) {
			while (isspace((unsigned char)*a)) a++;
			while (isspace((unsigned char)*b)) b++;
			continue;
		} else if (ign_space_change && ((isspace((unsigned char)*a) && !*b) || (!*a && isspace((unsigned char)*b)))) {
			while (isspace((unsigned char)*a)) a++;
			while (isspace((unsigned char)*b)) b++;
		}
		if (!*a || !*b) return *a == *b;
		int x = (unsigned char)*a, y = (unsigned char)*b;
		if (icase) { x = tolower(x); y = tolower(y); }
		if (x != y) return 0;
		a++;
		b++;
	}
}

/* The edit script: for each line of A whether it is deleted, of B whether inserted. */
static char *dela, *insb;

static void myers(struct file *A, struct file *B)
{
	int n = A->n, m = B->n, max = n + m;
	dela = calloc((size_t)n + 1, 1);
	insb = calloc((size_t)m + 1, 1);
	int *v = calloc((size_t)(2 * max + 3), sizeof *v);
	int **trace = calloc((size_t)max + 2, sizeof *trace);
	int off = max + 1, d;
	for (d = 0; d <= max; d++) {
		trace[d] = malloc((size_t)(2 * max + 3) * sizeof **trace);
		memcpy(trace[d], v, (size_t)(2 * max + 3) * sizeof *v);
		int done = 0;
		for (int k = -d; k <= d; k += 2) {
			int x;
			if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
			else x = v[off + k - 1] + 1;
			int y = x - k;
			while (x < n && y < m && same(A->lines[x], B->lines[y])) { x++; y++; }
			v[off + k] = x;
			if (x >= n && y >= m) { done = 1; break; }
		}
		if (done) break;
	}
	/* Walk back through the frontiers saved before each round: each round ends
	 * with one deletion or insertion followed by a run of equal lines. */
	int x = n, y = m;
	for (; d > 0; d--) {
		int *pv = trace[d];
		int k = x - y;
		int down = k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1]);
		int pk = down ? k + 1 : k - 1;
		int px = pv[off + pk], py = px - pk;
		int mx = down ? px : px + 1, my = mx - k;
		while (x > mx && y > my) { x--; y--; }
		if (down) insb[py] = 1;
		else dela[px] = 1;
		x = px;
		y = py;
	}
	for (int q = 0; q <= d && q <= max; q++) free(trace[q]);
	free(trace);
	free(v);
}

/* A normal-format range of count lines from 0-based from: "a" or "a,b". */
static void range(int from, int count)
{
	if (count == 1) printf("%d", from + 1);
	else printf("%d,%d", from + 1, from + count);
}

static void print_lines(struct file *f, int from, int to, const char *prefix)
{
	for (int k = from; k < to; k++) {
		printf("%s%s\n", prefix, f->lines[k]);
		if (k == f->n - 1 && !f->last_nl) puts("\\ No newline at end of file");
	}
}

struct change { int a, na, b, nb; };

static struct change *changes;
static int nchanges;

static void collect(struct file *A, struct file *B)
{
	int i = 0, j = 0;
	while (i < A->n || j < B->n) {
		if (i < A->n && j < B->n && !dela[i] && !insb[j]) { i++; j++; continue; }
		struct change c = { i, 0, j, 0 };
		while (i < A->n && dela[i]) { i++; c.na++; }
		while (j < B->n && insb[j]) { j++; c.nb++; }
		if (!c.na && !c.nb) { if (i < A->n) i++; if (j < B->n) j++; continue; }
		if (ign_blank) {
			int blank = 1;
			for (int q = c.a; q < c.a + c.na; q++) if (A->lines[q][strspn(A->lines[q], " \t")]) blank = 0;
			for (int q = c.b; q < c.b + c.nb; q++) if (B->lines[q][strspn(B->lines[q], " \t")]) blank = 0;
			if (blank) continue;
		}
		changes = realloc(changes, (size_t)(nchanges + 1) * sizeof *changes);
		changes[nchanges++] = c;
	}
}

static void normal(struct file *A, struct file *B)
{
	for (int k = 0; k < nchanges; k++) {
		struct change *c = &changes[k];
		/* An addition or deletion names the line the other side comes after. */
		if (c->na) range(c->a, c->na); else printf("%d", c->a);
		putchar(!c->na ? 'a' : !c->nb ? 'd' : 'c');
		if (c->nb) range(c->b, c->nb); else printf("%d", c->b);
		putchar('\n');
		print_lines(A, c->a, c->a + c->na, "< ");
		if (c->na && c->nb) puts("---");
		print_lines(B, c->b, c->b + c->nb, "> ");
	}
}

/* A hunk from change k: the changes whose context overlaps (k..*e) and the
 * lines it shows, [a0, a1) of A and [b0, b1) of B. */
static void hunk(struct file *A, int k, int ctx, int *e, int *a0, int *a1, int *b0, int *b1)
{
	*e = k;
	while (*e + 1 < nchanges && changes[*e + 1].a - (changes[*e].a + changes[*e].na) <= 2 * ctx) (*e)++;
	struct change *f = &changes[k], *l = &changes[*e];
	*a0 = f->a - ctx < 0 ? 0 : f->a - ctx;
	*b0 = f->b - (f->a - *a0);
	*a1 = l->a + l->na + ctx > A->n ? A->n : l->a + l->na + ctx;
	*b1 = l->b + l->nb + (*a1 - (l->a + l->na));
}

static void stamp(struct file *f, const char *mark)
{
	char t[64];
	struct tm tm;
	time_t s = f->st.st_mtime;
	localtime_r(&s, &tm);
	strftime(t, sizeof t, "%Y-%m-%d %H:%M:%S", &tm);
	char z[16];
	strftime(z, sizeof z, "%z", &tm);
	printf("%s %s\t%s.%09ld %s\n", mark, f->name, t, (long)f->st.st_mtim.tv_nsec, z);
}

static void unified(struct file *A, struct file *B, int ctx)
{
	stamp(A, "---");
	stamp(B, "+++");
	for (int k = 0; k < nchanges;) {
		int e, a0, a1, b0, b1;
		hunk(A, k, ctx, &e, &a0, &a1, &b0, &b1);
		int na = a1 - a0, nb = b1 - b0;
		printf("@@ -%d", na ? a0 + 1 : a0);
		if (na != 1) printf(",%d", na);
		printf(" +%d", nb ? b0 + 1 : b0);
		if (nb != 1) printf(",%d", nb);
		printf(" @@\n");
		int i = a0;
		for (int q = k; q <= e; q++) {
			print_lines(A, i, changes[q].a, " ");
			print_lines(A, changes[q].a, changes[q].a + changes[q].na, "-");
			print_lines(B, changes[q].b, changes[q].b + changes[q].nb, "+");
			i = changes[q].a + changes[q].na;
		}
		print_lines(A, i, a1, " ");
		k = e + 1;
	}
}

static void context(struct file *A, struct file *B, int ctx)
{
	stamp(A, "***");
	stamp(B, "---");
	for (int k = 0; k < nchanges;) {
		int e, a0, a1, b0, b1;
		hunk(A, k, ctx, &e, &a0, &a1, &b0, &b1);
		puts("***************");
		printf("*** %d", a1 - a0 ? a0 + 1 : a0);
		if (a1 - a0 > 1) printf(",%d", a1);
		puts(" ****");
		int anydel = 0, anyins = 0;
		for (int q = k; q <= e; q++) { if (changes[q].na) anydel = 1; if (changes[q].nb) anyins = 1; }
		if (anydel) {
			int i = a0;
			for (int q = k; q <= e; q++) {
				print_lines(A, i, changes[q].a, "  ");
				print_lines(A, changes[q].a, changes[q].a + changes[q].na, changes[q].nb ? "! " : "- ");
				i = changes[q].a + changes[q].na;
			}
			print_lines(A, i, a1, "  ");
		}
		printf("--- %d", b1 - b0 ? b0 + 1 : b0);
		if (b1 - b0 > 1) printf(",%d", b1);
		puts(" ----");
		if (anyins) {
			int j = b0;
			for (int q = k; q <= e; q++) {
				print_lines(B, j, changes[q].b, "  ");
				print_lines(B, changes[q].b, changes[q].b + changes[q].nb, changes[q].na ? "! " : "+ ");
				j = changes[q].b + changes[q].nb;
			}
			print_lines(B, j, b1, "  ");
		}
		k = e + 1;
	}
}

int main(int argc, char **argv)
{
	prog = "diff";
	int fmt = 'n', ctx = 3, brief = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			switch (*p) {
			case 'u': fmt = 'u'; break;
			case 'c': fmt = 'c'; break;
			case 'q': brief = 1; break;
			case 'i': icase = 1; break;
			case 'b': ign_space_change = 1; break;
			case 'w': ign_all_space = 1; break;
			case 'B': ign_blank = 1; break;
			case 'a': break;
			case 'U': case 'C': {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { warnx("option requires an argument -- '%c'", *p); return 2; }
				fmt = *p == 'U' ? 'u' : 'c';
				char *end;
				long n = strtol(v, &end, 10);
				if (!*v || *end || n < 0) { warnx("invalid context length '%s'", v); fputs("diff: Try 'diff --help' for more information.\n", stderr); return 2; }
				ctx = (int)n;
				goto next;
			}
			default:
				warnx("invalid option -- '%c'", *p);
				fputs("diff: Try 'diff --help' for more information.\n", stderr);
				return 2;
			}
		}
	next:;
	}
	if (argc - k < 2) {
		if (argc - k == 1) warnx("missing operand after '%s'", argv[k]);
		else warnx("missing operand");
		fputs("diff: Try 'diff --help' for more information.\n", stderr);
		return 2;
	}
	if (argc - k > 2) { warnx("extra operand '%s'", argv[k + 2]); fputs("diff: Try 'diff --help' for more information.\n", stderr); return 2; }
	struct file A = { argv[k], NULL, 0, 1, { 0 } }, B = { argv[k + 1], NULL, 0, 1, { 0 } };
	if (read_file(&A) < 0) { warnerr("%s", A.name); return 2; }
	if (read_file(&B) < 0) { warnerr("%s", B.name); return 2; }
	myers(&A, &B);
	collect(&A, &B);
	/* A missing final newline is a difference even when the lines match. */
	if (!nchanges && A.n == B.n && A.last_nl != B.last_nl && A.n) {
		changes = malloc(sizeof *changes);
		changes[0] = (struct change){ A.n - 1, 1, B.n - 1, 1 };
		nchanges = 1;
	}
	if (!nchanges) return 0;
	if (brief) { printf("Files %s and %s differ\n", A.name, B.name); return 1; }
	if (fmt == 'u') unified(&A, &B, ctx);
	else if (fmt == 'c') context(&A, &B, ctx);
	else normal(&A, &B);
	return 1;
}

/* find [PATH...] [EXPRESSION]: walk directory trees, as findutils does, with the
 * tests and actions people use: -name -iname -path -type -size -empty -newer
 * -mtime -perm -user -maxdepth -mindepth, -print -print0 -exec ... \; and {} +
 * -delete -prune, combined with ! -not -a -o ( ). */
#include "common.h"
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { E_AND, E_OR, E_NOT, E_TRUE, E_NAME, E_INAME, E_PATH, E_TYPE, E_SIZE, E_EMPTY, E_NEWER, E_MTIME,
       E_PERM, E_USER, E_PRINT, E_PRINT0, E_EXEC, E_EXECPLUS, E_DELETE, E_PRUNE, E_QUIT };

struct expr {
	int kind;
	struct expr *a, *b;
	const char *s;
	long long n;
	int cmp;               /* -1 less, 0 exactly, 1 more (for +N/-N) */
	char unit;
	char **argv;           /* -exec */
	int argc;
	char **pending;        /* -exec {} + : collected paths */
	int npending, cap;
	time_t t;
};

static char **args;
static int nargs, pos;
static int maxdepth = -1, mindepth = 0, status, has_action, depth_first;
static time_t now;

static struct expr *node(int kind)
{
	struct expr *e = calloc(1, sizeof *e);
	e->kind = kind;
	return e;
}

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "find: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static struct expr *parse_or(void);

static const char *need_arg(const char *opt)
{
	if (pos >= nargs) usage_error("missing argument to `%s'", opt);
	return args[pos++];
}

static long long number(const char *s, struct expr *e, const char *opt)
{
	e->cmp = 0;
	if (*s == '+') { e->cmp = 1; s++; } else if (*s == '-') { e->cmp = -1; s++; }
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s) usage_error("invalid argument `%s' to `-mtime'", opt);
	e->unit = *end ? *end : 'b';
	return v;
}

static struct expr *parse_primary(void)
{
	if (pos >= nargs) usage_error("%s", "expected an expression");
	const char *a = args[pos++];
	struct expr *e;
	if (!strcmp(a, "(")) {
		e = parse_or();
		if (pos >= nargs || strcmp(args[pos], ")")) usage_error("%s", "invalid expression; I was expecting to find a ')' somewhere but did not see one.");
		pos++;
		return e;
	}
	if (!strcmp(a, "!") || !strcmp(a, "-not")) { e = node(E_NOT); e->a = parse_primary(); return e; }
	if (!strcmp(a, "-name") || !strcmp(a, "-iname") || !strcmp(a, "-path") || !strcmp(a, "-wholename")) {
		e = node(a[1] == 'n' ? E_NAME : a[1] == 'i' ? E_INAME : E_PATH);
		e->s = need_arg(a);
		return e;
	}
	if (!strcmp(a, "-type")) {
		e = node(E_TYPE);
		e->s = need_arg(a);
		if (!strchr("fdlcbps", e->s[0]) || e->s[1]) usage_error("Unknown argument to -type: %s", e->s);
		return e;
	}
	if (!strcmp(a, "-size")) { e = node(E_SIZE); e->n = number(need_arg(a), e, a); return e; }
	if (!strcmp(a, "-mtime") || !strcmp(a, "-mmin")) {
		e = node(E_MTIME);
		e->n = number(need_arg(a), e, a);
		e->unit = a[2] == 'm' ? 'm' : 'd';
		return e;
	}
	if (!strcmp(a, "-empty")) return node(E_EMPTY);
	if (!strcmp(a, "-newer")) {
		e = node(E_NEWER);
		const char *f = need_arg(a);
		struct stat st;
		if (stat(f, &st) < 0) { fprintf(stderr, "find: '%s': %s\n", f, strerror(errno)); exit(1); }
		e->t = st.st_mtime;
		return e;
	}
	if (!strcmp(a, "-perm")) {
		e = node(E_PERM);
		const char *v = need_arg(a);
		e->cmp = 0;
		if (*v == '-') { e->cmp = -1; v++; } else if (*v == '/') { e->cmp = 1; v++; }
		e->n = strtol(v, NULL, 8);
		return e;
	}
	if (!strcmp(a, "-user")) {
		e = node(E_USER);
		const char *v = need_arg(a);
		struct pwent pw;
		char *end;
		unsigned long u = strtoul(v, &end, 10);
		if (find_user(v, 0, &pw) == 0) e->n = pw.uid;
		else if (!*end) e->n = (long long)u;
		else usage_error("'%s' is not the name of a known user", v);
		return e;
	}
	if (!strcmp(a, "-maxdepth") || !strcmp(a, "-mindepth")) {
		const char *v = need_arg(a);
		char *end;
		long d = strtol(v, &end, 10);
		if (*end || d < 0) usage_error("Expected a positive decimal integer argument to %s", a);
		if (a[2] == 'a') maxdepth = (int)d; else mindepth = (int)d;
		return node(E_TRUE);
	}
	if (!strcmp(a, "-depth")) { depth_first = 1; return node(E_TRUE); }
	if (!strcmp(a, "-true")) return node(E_TRUE);
	if (!strcmp(a, "-false")) { e = node(E_NOT); e->a = node(E_TRUE); return e; }
	if (!strcmp(a, "-print")) { has_action = 1; return node(E_PRINT); }
	if (!strcmp(a, "-print0")) { has_action = 1; return node(E_PRINT0); }
	if (!strcmp(a, "-delete")) { has_action = 1; depth_first = 1; return node(E_DELETE); }
	if (!strcmp(a, "-prune")) return node(E_PRUNE);
	if (!strcmp(a, "-quit")) return node(E_QUIT);
	if (!strcmp(a, "-exec") || !strcmp(a, "-ok")) {
		has_action = 1;
		e = node(E_EXEC);
		int start = pos;
		while (pos < nargs && strcmp(args[pos], ";") && !(strcmp(args[pos], "+") == 0 && pos > start && !strcmp(args[pos - 1], "{}"))) pos++;
		if (pos >= nargs) usage_error("missing argument to `%s'", a);
		if (!strcmp(args[pos], "+")) e->kind = E_EXECPLUS;
		e->argv = args + start;
		e->argc = pos - start;
		pos++;
		return e;
	}
	usage_error("unknown predicate `%s'", a);
	return NULL;
}

static int starts_primary(void)
{
	return pos < nargs && strcmp(args[pos], ")") && strcmp(args[pos], "-o") && strcmp(args[pos], "-or");
}

static struct expr *parse_and(void)
{
	struct expr *l = parse_primary();
	while (starts_primary()) {
		if (!strcmp(args[pos], "-a") || !strcmp(args[pos], "-and")) pos++;
		struct expr *e = node(E_AND);
		e->a = l;
		e->b = parse_primary();
		l = e;
	}
	return l;
}

static struct expr *parse_or(void)
{
	struct expr *l = parse_and();
	while (pos < nargs && (!strcmp(args[pos], "-o") || !strcmp(args[pos], "-or"))) {
		pos++;
		struct expr *e = node(E_OR);
		e->a = l;
		e->b = parse_and();
		l = e;
	}
	return l;
}

static int run_exec(char **argv, int argc, const char *path, char **many, int nmany)
{
	int n = 0;
	char **v = calloc((size_t)(argc + nmany + 1), sizeof *v);
	for (int k = 0; k < argc; k++) {
		if (many && !strcmp(argv[k], "{}")) { for (int q = 0; q < nmany; q++) v[n++] = many[q]; continue; }
		const char *a = argv[k];
		const char *brace = path ? strstr(a, "{}") : NULL;
		if (brace) {
			size_t pl = strlen(path), al = strlen(a);
			char *s = malloc(al + pl * 4 + 1), *o = s;
			for (const char *p = a; *p;) {
				if (p[0] == '{' && p[1] == '}') { memcpy(o, path, pl); o += pl; p += 2; }
				else *o++ = *p++;
			}
			*o = 0;
			v[n++] = s;
		} else v[n++] = (char *)a;
	}
	v[n] = NULL;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execvp(v[0], v);
		fprintf(stderr, "find: '%s': %s\n", v[0], strerror(errno));
		_exit(127);
	}
	int st = 0;
	if (pid > 0) while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	free(v);
	return pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void flush_plus(struct expr *e)
{
	if (!e) return;
	if (e->kind == E_EXECPLUS && e->npending) {
		if (!run_exec(e->argv, e->argc, NULL, e->pending, e->npending)) status = 1;
		for (int k = 0; k < e->npending; k++) free(e->pending[k]);
		e->npending = 0;
	}
	flush_plus(e->a);
	flush_plus(e->b);
}

static int quit, pruned;

static int eval(struct expr *e, const char *path, const char *name, const struct stat *st)
{
	switch (e->kind) {
	case E_AND: return eval(e->a, path, name, st) && eval(e->b, path, name, st);
	case E_OR: return eval(e->a, path, name, st) || eval(e->b, path, name, st);
	case E_NOT: return !eval(e->a, path, name, st);
	case E_TRUE: return 1;
	case E_NAME: return fnmatch(e->s, name, 0) == 0;
	case E_INAME: return fnmatch(e->s, name, FNM_CASEFOLD) == 0;
	case E_PATH: return fnmatch(e->s, path, 0) == 0;
	case E_TYPE: {
		mode_t m = st->st_mode;
		switch (e->s[0]) {
		case 'f': return S_ISREG(m);
		case 'd': return S_ISDIR(m);
		case 'l': return S_ISLNK(m);
		case 'c': return S_ISCHR(m);
		case 'b': return S_ISBLK(m);
		case 'p': return S_ISFIFO(m);
		default: return S_ISSOCK(m);
		}
	}
	case E_SIZE: {
		long long unit = e->unit == 'c' ? 1 : e->unit == 'w' ? 2 : e->unit == 'k' ? 1024 : e->unit == 'M' ? 1048576
			: e->unit == 'G' ? 1073741824LL : 512;
		long long v = (st->st_size + unit - 1) / unit;
		return e->cmp > 0 ? v > e->n : e->cmp < 0 ? v < e->n : v == e->n;
	}
	case E_EMPTY:
		if (S_ISREG(st->st_mode)) return st->st_size == 0;
		if (S_ISDIR(st->st_mode)) {
			DIR *d = opendir(path);
			if (!d) return 0;
			struct dirent *x;
			int empty = 1;
			while ((x = readdir(d))) if (strcmp(x->d_name, ".") && strcmp(x->d_name, "..")) { empty = 0; break; }
			closedir(d);
			return empty;
		}
		return 0;
	case E_NEWER: return st->st_mtime > e->t;
	case E_MTIME: {
		long long age = (now - st->st_mtime) / (e->unit == 'm' ? 60 : 86400);
		return e->cmp > 0 ? age > e->n : e->cmp < 0 ? age < e->n : age == e->n;
	}
	case E_PERM: {
		long long m = st->st_mode & 07777;
		return e->cmp < 0 ? (m & e->n) == e->n : e->cmp > 0 ? (e->n == 0 || (m & e->n)) : m == e->n;
	}
	case E_USER: return (long long)st->st_uid == e->n;
	case E_PRINT: puts(path); return 1;
	case E_PRINT0: fputs(path, stdout); putchar(0); return 1;
	case E_DELETE:
		if ((S_ISDIR(st->st_mode) ? rmdir(path) : unlink(path)) < 0 && strcmp(path, ".")) {
			fprintf(stderr, "find: cannot delete '%s': %s\n", path, strerror(errno));
			status = 1;
			return 0;
		}
		return 1;
	case E_PRUNE: pruned = 1; return 1;
	case E_QUIT: quit = 1; return 1;
	case E_EXEC: return run_exec(e->argv, e->argc, path, NULL, 0);
	case E_EXECPLUS:
		if (e->npending == e->cap) { e->cap = e->cap ? e->cap * 2 : 64; e->pending = realloc(e->pending, (size_t)e->cap * sizeof *e->pending); }
		e->pending[e->npending++] = strdup(path);
		if (e->npending >= 1000) flush_plus(e);
		return 1;
	}
	return 0;
}

static void visit(const char *path, const char *name, int depth, struct expr *e)
{
	if (quit) return;
	struct stat st;
	if (lstat(path, &st) < 0) { fprintf(stderr, "find: '%s': %s\n", path, strerror(errno)); status = 1; return; }
	pruned = 0;
	int here = depth >= mindepth && (maxdepth < 0 || depth <= maxdepth);
	if (here && !depth_first) {
		int r = eval(e, path, name, &st);
		if (r && !has_action) puts(path);
	}
	if (S_ISDIR(st.st_mode) && !pruned && (maxdepth < 0 || depth < maxdepth)) {
		DIR *d = opendir(path);
		if (!d) { fprintf(stderr, "find: '%s': %s\n", path, strerror(errno)); status = 1; }
		else {
			/* Read all names first: -delete and -exec may change the directory. */
			char **names = NULL;
			int n = 0, cap = 0;
			struct dirent *x;
			while ((x = readdir(d))) {
				if (!strcmp(x->d_name, ".") || !strcmp(x->d_name, "..")) continue;
				if (n == cap) { cap = cap ? cap * 2 : 32; names = realloc(names, (size_t)cap * sizeof *names); }
				names[n++] = strdup(x->d_name);
			}
			closedir(d);
			for (int k = 0; k < n && !quit; k++) {
				char sub[PATH_MAX];
				snprintf(sub, sizeof sub, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[k]);
				visit(sub, names[k], depth + 1, e);
				free(names[k]);
			}
			free(names);
		}
	}
	if (here && depth_first && !quit) {
		int r = eval(e, path, name, &st);
		if (r && !has_action) puts(path);
	}
}

int main(int argc, char **argv)
{
	prog = "find";
	now = time(NULL);
	int k = 1;
	while (k < argc && !(argv[k][0] == '-' && argv[k][1]) && strcmp(argv[k], "(") && strcmp(argv[k], "!")) k++;
	int npaths = k - 1;
	args = argv + k;
	nargs = argc - k;
	pos = 0;
	struct expr *e = nargs ? parse_or() : node(E_TRUE);
	if (pos < nargs) usage_error("paths must precede expression: `%s'", args[pos]);
	if (!npaths) visit(".", ".", 0, e);
	for (int q = 1; q <= npaths; q++) {
		const char *p = argv[q];
		const char *slash = strrchr(p, '/');
		visit(p, slash && slash[1] ? slash + 1 : p, 0, e);
	}
	flush_plus(e);
	return status;
}

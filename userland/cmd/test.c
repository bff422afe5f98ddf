/*
 * test EXPR / [ EXPR ]: evaluate a conditional expression (XCU test), as the
 * shell builtin and as the program.  Status 0 true, 1 false, 2 an error with
 * coreutils' wording.  One to four arguments follow POSIX's rules by count;
 * longer expressions use -a, -o, ! and parentheses with the usual precedence.
 */
#include "common.h"
#include "shtools.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **args;
static int nargs, pos;

static int err_status;

static void syntax_error(const char *fmt, const char *arg)
{
	if (!err_status) {
		fflush(stdout);
		fprintf(stderr, "%s: ", prog);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	err_status = 2;
}

static int is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghLknprsStuwxzOG", s[1]);
}

static int is_binary(const char *s)
{
	static const char *const ops[] = { "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt",
		"-ge", "-nt", "-ot", "-ef", NULL };
	for (int k = 0; ops[k]; k++) if (!strcmp(s, ops[k])) return 1;
	return 0;
}

static long long integer(const char *s)
{
	const char *p = s;
	while (*p == ' ' || *p == '\t') p++;
	char *end;
	errno = 0;
	long long v = strtoll(p, &end, 10);
	while (*end == ' ' || *end == '\t') end++;
	if (end == p || *end || errno) { syntax_error("invalid integer '%s'", s); return 0; }
	return v;
}

static int unary(const char *op, const char *a)
{
	struct stat st;
	switch (op[1]) {
	case 'n': return *a != 0;
	case 'z': return *a == 0;
	case 't': {
		long long fd = integer(a);
		return !err_status && fd >= 0 && fd <= INT_MAX && isatty((int)fd);
	}
	case 'h': case 'L': return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
	case 'r': return access(a, R_OK) == 0;
	case 'w': return access(a, W_OK) == 0;
	case 'x': return access(a, X_OK) == 0;
	}
	if (stat(a, &st) < 0) return 0;
	switch (op[1]) {
	case 'b': return S_ISBLK(st.st_mode);
	case 'c': return S_ISCHR(st.st_mode);
	case 'd': return S_ISDIR(st.st_mode);
	case 'e': return 1;
	case 'f': return S_ISREG(st.st_mode);
	case 'g': return (st.st_mode & S_ISGID) != 0;
	case 'k': return (st.st_mode & S_ISVTX) != 0;
	case 'p': return S_ISFIFO(st.st_mode);
	case 's': return st.st_size > 0;
	case 'S': return S_ISSOCK(st.st_mode);
	case 'u': return (st.st_mode & S_ISUID) != 0;
	case 'O': return st.st_uid == geteuid();
	case 'G': return st.st_gid == getegid();
	}
	return 0;
}

static int binary(const char *a, const char *op, const char *b)
{
	if (!strcmp(op, "=") || !strcmp(op, "==")) return !strcmp(a, b);
	if (!strcmp(op, "!=")) return strcmp(a, b) != 0;
	if (!strcmp(op, "<")) return strcmp(a, b) < 0;
	if (!strcmp(op, ">")) return strcmp(a, b) > 0;
	if (op[0] == '-' && (op[1] == 'n' || op[1] == 'o') && op[2] == 't') {
		struct stat sa, sb;
		int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
		if (op[1] == 'n') return ha && (!hb || sa.st_mtime > sb.st_mtime);
		return hb && (!ha || sa.st_mtime < sb.st_mtime);
	}
	if (!strcmp(op, "-ef")) {
		struct stat sa, sb;
		return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	}
	long long x = integer(a), y = integer(b);
	if (!strcmp(op, "-eq")) return x == y;
	if (!strcmp(op, "-ne")) return x != y;
	if (!strcmp(op, "-lt")) return x < y;
	if (!strcmp(op, "-le")) return x <= y;
	if (!strcmp(op, "-gt")) return x > y;
	return x >= y;
}

static int expr_or(void);

static const char *arg(int k) { return pos + k < nargs ? args[pos + k] : NULL; }

static int primary(void)
{
	const char *a = arg(0);
	if (!a) { syntax_error("%s", "missing argument"); return 0; }
	if (!strcmp(a, "!")) { pos++; return !primary(); }
	if (!strcmp(a, "(")) {
		pos++;
		int v = expr_or();
		if (!arg(0) || strcmp(arg(0), ")")) { syntax_error("missing ')'%s", ""); return 0; }
		pos++;
		return v;
	}
	if (arg(1) && is_binary(arg(1)) && arg(2)) {
		int v = binary(a, arg(1), arg(2));
		pos += 3;
		return v;
	}
	if (is_unary(a) && arg(1)) {
		int v = unary(a, arg(1));
		pos += 2;
		return v;
	}
	pos++;
	return *a != 0;
}

static int expr_and(void)
{
	int v = primary();
	while (arg(0) && !strcmp(arg(0), "-a")) { pos++; int r = primary(); v = v && r; }
	return v;
}

static int expr_or(void)
{
	int v = expr_and();
	while (arg(0) && !strcmp(arg(0), "-o")) { pos++; int r = expr_and(); v = v || r; }
	return v;
}

/* POSIX's rules for a given number of arguments. */
static int by_count(int n)
{
	const char *a = arg(0), *b = arg(1), *c = arg(2);
	switch (n) {
	case 0: return 0;
	case 1: pos++; return *a != 0;
	case 2:
		pos += 2;
		if (!strcmp(a, "!")) return *b == 0;
		if (is_unary(a)) return unary(a, b);
		syntax_error("%s: unary operator expected", a);
		return 0;
	case 3:
		if (is_binary(b)) { pos += 3; return binary(a, b, c); }
		if (!strcmp(a, "!")) { pos++; return !by_count(2); }
		if (!strcmp(a, "(") && !strcmp(c, ")")) { pos += 3; return *b != 0; }
		if (!strcmp(b, "-a") || !strcmp(b, "-o")) break;
		syntax_error("%s: binary operator expected", b);
		return 0;
	case 4:
		if (!strcmp(a, "!")) { pos++; return !by_count(3); }
		if (!strcmp(a, "(") && !strcmp(arg(3), ")")) { pos++; int v = by_count(2); pos++; return v; }
		break;
	}
	return expr_or();
}

int test_main(int argc, char **argv)
{
	err_status = 0;
	nargs = argc - 1;
	args = argv + 1;
	pos = 0;
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (!strcmp(name, "[")) {
		if (nargs < 1 || strcmp(args[nargs - 1], "]")) {
			fflush(stdout);
			fprintf(stderr, "%s: missing ']'\n", prog);
			return 2;
		}
		nargs--;
	}
	int v = by_count(nargs);
	if (!err_status && pos < nargs) syntax_error("extra argument '%s'", args[pos]);
	return err_status ? 2 : !v;
}

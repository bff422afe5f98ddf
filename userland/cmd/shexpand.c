/*
 * Word expansion (XCU 2.6): tilde, parameter, command substitution and
 * arithmetic expansion, left to right; then field splitting on IFS, pathname
 * expansion and quote removal.
 *
 * Each character of the field being built carries a flag: quoted (literal in
 * a pattern) or not.  Unquoted expansion results are split as they are added,
 * so only they are ever field-split, as the standard requires.
 */
#include "sh.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { M_FIELDS, M_STR, M_PAT, M_HERE };

struct xp {
	int mode;
	struct vec *out;        /* M_FIELDS: the fields */
	struct sbuf cur;        /* the field being built */
	struct sbuf q;          /* one flag byte per character: 1 = quoted */
	int have;               /* the field exists even if empty ("" or '') */
	int ws_ended;           /* splitting: the last IFS white space ended a field */
	int empty_at;           /* "$@" with no parameters inside these quotes */
	int breaks;             /* fields ended so far (for "$@" with no parameters) */
};

static int subst_status;
int subst_status_get(void) { return subst_status; }
void subst_status_reset(void) { subst_status = 0; }

static void expand_into(struct xp *x, const char *s, long n, int indq, int assign);

static void addc(struct xp *x, int c, int quoted)
{
	sb_putc(&x->cur, c);
	sb_putc(&x->q, quoted ? 1 : 0);
	x->have = 1;
	x->ws_ended = 0;
}

/* ---- pattern matching ---------------------------------------------- */

/* Matches a bracket expression at p (after '['); returns the index after ']'
 * and sets *ok, or -1 if it is not a valid bracket expression. */
static int bracket(const char *p, int c, int *ok)
{
	int i = 0, neg = 0, match = 0;
	if (p[i] == '!' || p[i] == '^') { neg = 1; i++; }
	int first = 1;
	while (p[i] && (p[i] != ']' || first)) {
		first = 0;
		if (p[i] == '[' && p[i + 1] == ':') {
			const char *end = strstr(p + i + 2, ":]");
			if (end) {
				char cls[16];
				size_t len = end - (p + i + 2);
				if (len < sizeof cls) {
					memcpy(cls, p + i + 2, len);
					cls[len] = 0;
					int m = !strcmp(cls, "alpha") ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
					      : !strcmp(cls, "digit") ? c >= '0' && c <= '9'
					      : !strcmp(cls, "alnum") ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					      : !strcmp(cls, "upper") ? c >= 'A' && c <= 'Z'
					      : !strcmp(cls, "lower") ? c >= 'a' && c <= 'z'
					      : !strcmp(cls, "space") ? c == ' ' || (c >= '\t' && c <= '\r')
					      : !strcmp(cls, "blank") ? c == ' ' || c == '\t'
					      : !strcmp(cls, "punct") ? c > 32 && c < 127 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
					      : !strcmp(cls, "xdigit") ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
					      : !strcmp(cls, "print") ? c >= 32 && c < 127
					      : !strcmp(cls, "graph") ? c > 32 && c < 127
					      : !strcmp(cls, "cntrl") ? c < 32 || c == 127 : 0;
					if (m) match = 1;
					i = (int)(end - p) + 2;
					continue;
				}
			}
		}
		int lo = (unsigned char)p[i];
		if (lo == '\\' && p[i + 1]) lo = (unsigned char)p[++i];
		i++;
		int hi = lo;
		if (p[i] == '-' && p[i + 1] && p[i + 1] != ']') {
			hi = (unsigned char)p[i + 1];
			i += 2;
			if (hi == '\\' && p[i]) hi = (unsigned char)p[i++];
		}
		if (c >= lo && c <= hi) match = 1;
	}
	if (p[i] != ']') return -1;
	*ok = match != neg;
	return i + 1;
}

/* Shell pattern matching (XCU 2.13); backslash quotes the next character.
 * With pathname set, '/' and a leading '.' must be matched explicitly. */
int pmatch(const char *p, const char *s, int pathname)
{
	const char *start = s;
	while (*p) {
		switch (*p) {
		case '*':
			while (*p == '*') p++;
			if (pathname && *s == '.' && s == start) return 0;
			if (!*p) return !pathname || !strchr(s, '/');
			for (const char *t = s; *t; t++) {
				if (pmatch(p, t, 0) && (!pathname || !memchr(s, '/', t - s))) return 1;
			}
			return pmatch(p, s + strlen(s), 0);
		case '?':
			if (!*s || (pathname && (*s == '/' || (*s == '.' && s == start)))) return 0;
			p++; s++;
			break;
		case '[': {
			int ok;
			if (!*s) return 0;
			int len = bracket(p + 1, (unsigned char)*s, &ok);
			if (len < 0) { if (*s != '[') return 0; p++; s++; break; }
			if (!ok || (pathname && *s == '/')) return 0;
			p += 1 + len;
			s++;
			break;
		}
		case '\\':
			if (p[1]) p++;
			/* fall through */
		default:
			if (*p != *s) return 0;
			p++; s++;
		}
	}
	return !*s;
}

static int has_glob(const char *pat)
{
	for (const char *p = pat; *p; p++) {
		if (*p == '\\' && p[1]) { p++; continue; }
		if (*p == '*' || *p == '?' || *p == '[') return 1;
	}
	return 0;
}

static char *unescape(const char *p)
{
	char *r = xalloc(strlen(p) + 1), *o = r;
	for (; *p; p++) { if (*p == '\\' && p[1]) p++; *o++ = *p; }
	*o = 0;
	return r;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands the components of pat from index `from` below directory prefix. */
static void glob_walk(const char *prefix, const char *pat, struct vec *res)
{
	while (*pat == '/') pat++;
	const char *slash = pat;
	while (*slash && *slash != '/') { if (*slash == '\\' && slash[1]) slash++; slash++; }
	size_t clen = slash - pat;
	char *comp = xalloc(clen + 1);
	memcpy(comp, pat, clen);
	comp[clen] = 0;
	if (!has_glob(comp)) {
		char *lit = unescape(comp);
		size_t pl = strlen(prefix);
		char *path = xalloc(pl + strlen(lit) + 2);
		sprintf(path, "%s%s%s", prefix, pl && prefix[pl - 1] != '/' ? "/" : "", lit);
		if (!*slash) {
			struct stat st;
			if (lstat(path, &st) == 0) vpush(res, path);
		} else {
			char *np = xalloc(strlen(path) + 2);
			sprintf(np, "%s/", path);
			glob_walk(np, slash, res);
		}
		return;
	}
	DIR *d = opendir(*prefix ? prefix : ".");
	if (!d) return;
	struct vec names = {0};
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && comp[0] != '.' && !(comp[0] == '\\' && comp[1] == '.')) continue;
		if ((!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) && !(comp[0] == '.')) continue;
		if (pmatch(comp, e->d_name, 1)) vpush(&names, xdup(e->d_name));
	}
	closedir(d);
	if (names.n) qsort(names.v, names.n, sizeof *names.v, cmpstr);
	for (int k = 0; k < names.n; k++) {
		size_t pl = strlen(prefix);
		char *path = xalloc(pl + strlen(names.v[k]) + 2);
		sprintf(path, "%s%s", prefix, (char *)names.v[k]);
		if (!*slash) vpush(res, path);
		else {
			struct stat st;
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
				char *np = xalloc(strlen(path) + 2);
				sprintf(np, "%s/", path);
				glob_walk(np, slash + 1, res);
			}
		}
	}
}

/* ---- fields --------------------------------------------------------- */

static void end_field(struct xp *x)
{
	if (!x->have && !x->cur.len) return;
	const char *c = x->cur.s ? x->cur.s : "";
	size_t n = x->cur.len;
	int globbed = 0;
	if (x->mode == M_FIELDS && !opt_f) {
		int any = 0;
		for (size_t k = 0; k < n; k++)
			if (!x->q.s[k] && (c[k] == '*' || c[k] == '?' || c[k] == '[')) any = 1;
		if (any) {
			struct sbuf pat = {0};
			for (size_t k = 0; k < n; k++) {
				if (x->q.s[k] || c[k] == '\\') sb_putc(&pat, '\\');
				sb_putc(&pat, c[k]);
			}
			struct vec res = {0};
			glob_walk(pat.s[0] == '/' ? "/" : "", pat.s, &res);
			free(pat.s);
			for (int k = 0; k < res.n; k++) vpush(x->out, res.v[k]);
			globbed = res.n > 0;
		}
	}
	if (!globbed) vpush(x->out, astrndup(&X, c, n));
	x->cur.len = 0;
	x->q.len = 0;
	x->have = 0;
	x->breaks++;
}

static const char *ifs(void)
{
	const char *v = getvar("IFS");
	return v ? v : " \t\n";
}

/* Adds the result of an expansion: split on IFS if unquoted in field mode. */
static void add_exp(struct xp *x, const char *v, int quoted)
{
	if (quoted || x->mode != M_FIELDS) {
		int lit = quoted || x->mode == M_STR || x->mode == M_HERE;
		for (; *v; v++) addc(x, (unsigned char)*v, lit);
		if (quoted) x->have = 1;
		return;
	}
	const char *sep = ifs();
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		if (*sep && strchr(sep, c)) {
			int white = c == ' ' || c == '\t' || c == '\n';
			if (white) {
				if (x->have || x->cur.len) { end_field(x); x->ws_ended = 1; }
			} else {
				if (x->have || x->cur.len) end_field(x);
				else if (!x->ws_ended) { x->have = 1; end_field(x); }
				x->ws_ended = 0;
			}
			continue;
		}
		addc(x, c, 0);
	}
}

/* ---- command substitution ------------------------------------------- */

static char *cmdsubst(const char *src)
{
	int p[2];
	fflush(stdout);
	if (pipe(p) < 0) { perror("sh: pipe"); return ""; }
	pid_t pid = fork();
	if (pid < 0) { perror("sh: fork"); close(p[0]); close(p[1]); return ""; }
	if (pid == 0) {
		close(p[0]);
		if (p[1] != 1) { dup2(p[1], 1); close(p[1]); }
		in_subshell = 1;
		for (int s = 0; s < 65; s++) if (traps[s] && traps[s][0]) { free(traps[s]); traps[s] = NULL; }
		opt_m = 0;
		setup_signals();
		int st = eval_string(src, EV_EXIT);
		sh_exit(st);
	}
	close(p[1]);
	struct sbuf out = {0};
	char buf[4096];
	for (;;) {
		ssize_t r = read(p[0], buf, sizeof buf);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) break;
		sb_putn(&out, buf, (size_t)r);
	}
	close(p[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	subst_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	while (out.len && out.s[out.len - 1] == '\n') out.len--;
	char *r = astrndup(&X, out.s ? out.s : "", out.len);
	free(out.s);
	return r;
}

/* ---- parameters ----------------------------------------------------- */

const char *dollar_minus(void);

static const char *special(const char *name, int *set)
{
	static char buf[32];
	*set = 1;
	if (!strcmp(name, "?")) { snprintf(buf, sizeof buf, "%d", last_status); return buf; }
	if (!strcmp(name, "$")) { snprintf(buf, sizeof buf, "%d", (int)shell_pid); return buf; }
	if (!strcmp(name, "#")) { snprintf(buf, sizeof buf, "%d", posc); return buf; }
	if (!strcmp(name, "!")) {
		if (!last_bg) { *set = 0; return NULL; }
		snprintf(buf, sizeof buf, "%d", (int)last_bg);
		return buf;
	}
	if (!strcmp(name, "-")) return dollar_minus();
	if (!strcmp(name, "0")) return arg0;
	if (name[0] >= '0' && name[0] <= '9') {
		long k = strtol(name, NULL, 10);
		if (k >= 1 && k <= posc) return posv[k - 1];
		*set = 0;
		return NULL;
	}
	const char *v = getvar(name);
	*set = v != NULL;
	return v;
}

static void unset_error(const char *name)
{
	fprintf(stderr, "sh: %s: parameter not set\n", name);
	sh_error(2);
}

/* $@ and $* */
static void add_params(struct xp *x, int indq, int star)
{
	if (indq && star) {
		const char *sep = ifs();
		char d[2] = { sep[0], 0 };
		for (int k = 0; k < posc; k++) {
			if (k && d[0]) add_exp(x, d, 1);
			add_exp(x, posv[k], 1);
		}
		x->have = 1;
		return;
	}
	if (indq && posc == 0) { x->empty_at = 1; return; }
	for (int k = 0; k < posc; k++) {
		if (k) {
			if (indq || x->mode == M_FIELDS) {
				if (indq) x->have = 1;
				end_field(x);
			} else add_exp(x, " ", 1);
		}
		add_exp(x, posv[k], indq);
	}
}

static char *sub_string(const char *s, long n, int mode)
{
	struct xp y;
	memset(&y, 0, sizeof y);
	y.mode = mode;
	expand_into(&y, s, n, 0, 0);
	char *r;
	if (mode == M_PAT) {
		struct sbuf b = {0};
		for (size_t k = 0; k < y.cur.len; k++) {
			if (y.q.s[k] && strchr("*?[\\]", y.cur.s[k])) sb_putc(&b, '\\');
			else if (!y.q.s[k] && y.cur.s[k] == '\\') sb_putc(&b, '\\');
			sb_putc(&b, y.cur.s[k]);
		}
		r = xdup(b.s ? b.s : "");
		free(b.s);
	} else r = astrndup(&X, y.cur.s ? y.cur.s : "", y.cur.len);
	free(y.cur.s);
	free(y.q.s);
	return r;
}

static void bad_subst(const char *s, long n)
{
	fprintf(stderr, "sh: ${%.*s}: bad substitution\n", (int)n, s);
	sh_error(2);
}

/* Removes a prefix or suffix matching pat: op is '#' or '%', longest doubles it. */
static const char *trim(const char *v, const char *pat, int op, int longest)
{
	size_t n = strlen(v);
	char *t = xdup(v);
	if (op == '#') {
		for (size_t k = 0; k <= n; k++) {
			size_t len = longest ? n - k : k;
			char c = t[len];
			t[len] = 0;
			int m = pmatch(pat, t, 0);
			t[len] = c;
			if (m) return v + len;
		}
	} else {
		for (size_t k = 0; k <= n; k++) {
			size_t from = longest ? k : n - k;
			if (pmatch(pat, v + from, 0)) { t[from] = 0; return t; }
		}
	}
	return v;
}

static int whole_param(const char *s, long n)
{
	if (n == 1 && strchr("@*#?-$!", s[0])) return 1;
	if (s[0] >= '0' && s[0] <= '9') {
		for (long k = 0; k < n; k++) if (s[k] < '0' || s[k] > '9') return 0;
		return 1;
	}
	if (!is_name_start((unsigned char)s[0])) return 0;
	for (long k = 1; k < n; k++) if (!is_name_char((unsigned char)s[k])) return 0;
	return 1;
}

/* ${...}: s is the text between the braces. */
static void param_braces(struct xp *x, const char *s, long n, int indq)
{
	char name[256];
	long k = 0;
	int len = 0, length = 0;
	if (n > 1 && s[0] == '#' && whole_param(s + 1, n - 1)) {
		/* ${#name}: the length; ${#} alone and ${#-word} name $# itself. */
		length = 1;
		k = 1;
	}
	if (k < n && is_name_start((unsigned char)s[k])) {
		while (k < n && is_name_char((unsigned char)s[k]) && len < 255) name[len++] = s[k++];
	} else if (k < n && s[k] >= '0' && s[k] <= '9') {
		while (k < n && s[k] >= '0' && s[k] <= '9' && len < 255) name[len++] = s[k++];
	} else if (k < n && strchr("@*#?-$!", s[k])) {
		name[len++] = s[k++];
	}
	name[len] = 0;
	if (!len) bad_subst(s, n);
	if (length) {
		if (k != n) bad_subst(s, n);
		char buf[32];
		if (!strcmp(name, "@") || !strcmp(name, "*")) snprintf(buf, sizeof buf, "%d", posc);
		else {
			int set;
			const char *v = special(name, &set);
			if (!set && opt_u) unset_error(name);
			snprintf(buf, sizeof buf, "%zu", v ? strlen(v) : (size_t)0);
		}
		add_exp(x, buf, indq);
		return;
	}
	int isat = !strcmp(name, "@") || !strcmp(name, "*");
	int set;
	const char *v = isat ? (posc ? "" : NULL) : special(name, &set);
	if (isat) set = posc > 0;
	if (k == n) {
		if (!set && opt_u && !isat) unset_error(name);
		if (isat) add_params(x, indq, name[0] == '*');
		else if (v) add_exp(x, v, indq);
		return;
	}
	int colon = 0;
	if (s[k] == ':') { colon = 1; k++; }
	if (k >= n) bad_subst(s, n);
	char op = s[k++];
	const char *w = s + k;
	long wn = n - k;
	int null = !set || (colon && (isat ? posc == 0 || (posc == 1 && !posv[0][0]) : !v[0]));
	switch (op) {
	case '-':
		if (null) expand_into(x, w, wn, indq, 0);
		else if (isat) add_params(x, indq, name[0] == '*');
		else add_exp(x, v, indq);
		return;
	case '+':
		if (!null) expand_into(x, w, wn, indq, 0);
		return;
	case '=':
		if (null) {
			if (isat || !is_name(name)) {
				fprintf(stderr, "sh: %s: cannot assign in this way\n", name);
				sh_error(2);
			}
			char *val = sub_string(w, wn, M_STR);
			if (setvar(name, val, 0) < 0) sh_error(2);
			add_exp(x, val, indq);
		} else if (isat) add_params(x, indq, name[0] == '*');
		else add_exp(x, v, indq);
		return;
	case '?':
		if (null) {
			char *msg = wn ? sub_string(w, wn, M_STR) : (char *)(colon ? "parameter null or not set" : "parameter not set");
			fprintf(stderr, "sh: %s: %s\n", name, msg);
			sh_error(2);
		}
		if (isat) add_params(x, indq, name[0] == '*');
		else add_exp(x, v, indq);
		return;
	case '#': case '%': {
		if (colon) bad_subst(s, n);
		int longest = 0;
		if (k < n && s[k] == op) { longest = 1; k++; w++; wn--; }
		if (!set && opt_u) unset_error(name);
		char *pat = sub_string(w, wn, M_PAT);
		add_exp(x, trim(v ? v : "", pat, op, longest), indq);
		return;
	}
	default:
		bad_subst(s, n);
	}
}

/* At s[i] == '$'; returns the index after the expansion. */
static long dollar(struct xp *x, const char *s, long i, long n, int indq)
{
	if (i + 1 >= n) { addc(x, '$', 1); return i + 1; }
	char c = s[i + 1];
	if (c == '(' && i + 2 < n && s[i + 2] == '(') {
		long e = scan_end(s + i + 3, n - i - 3, 'A');
		if (e >= 0) {
			long end = i + 3 + e;           /* after "))" */
			char *expr = sub_string(s + i + 3, e - 2, M_STR);
			int err = 0;
			long v = arith_eval(expr, &err);
			if (err) sh_error(2);
			char buf[32];
			snprintf(buf, sizeof buf, "%ld", v);
			add_exp(x, buf, indq);
			return end;
		}
	}
	if (c == '(') {
		long e = scan_end(s + i + 2, n - i - 2, '(');
		if (e < 0) e = n - i - 2;
		char *cmd = astrndup(&X, s + i + 2, e > 0 ? e - 1 : 0);
		add_exp(x, cmdsubst(cmd), indq);
		return i + 2 + e;
	}
	if (c == '{') {
		long e = scan_end(s + i + 2, n - i - 2, '{');
		if (e < 0) e = n - i - 2;
		param_braces(x, s + i + 2, e > 0 ? e - 1 : 0, indq);
		return i + 2 + e;
	}
	if (c == '@' || c == '*') { add_params(x, indq, c == '*'); return i + 2; }
	if (strchr("?$#!-0123456789", c)) {
		char name[2] = { c, 0 };
		int set;
		const char *v = special(name, &set);
		if (!set && opt_u && c != '!') unset_error(name);
		if (v) add_exp(x, v, indq);
		return i + 2;
	}
	if (is_name_start((unsigned char)c)) {
		long k = i + 1;
		while (k < n && is_name_char((unsigned char)s[k])) k++;
		char *name = astrndup(&X, s + i + 1, k - i - 1);
		const char *v = getvar(name);
		if (!v && opt_u) unset_error(name);
		if (v) add_exp(x, v, indq);
		return k;
	}
	addc(x, '$', 1);
	return i + 1;
}

/* ~ or ~user at s (up to a '/' or, in assignments, ':'); returns the length used or 0. */
static long tilde(struct xp *x, const char *s, long n, int assign)
{
	long k = 1;
	while (k < n && s[k] != '/' && !(assign && s[k] == ':')) {
		if (!is_name_char((unsigned char)s[k]) && s[k] != '.' && s[k] != '-') return 0;
		k++;
	}
	const char *home = NULL;
	if (k == 1) home = getvar("HOME");
	else {
		char *user = astrndup(&X, s + 1, k - 1);
		struct passwd *pw = getpwnam(user);
		if (pw) home = pw->pw_dir;
	}
	if (!home) return 0;
	add_exp(x, home, 1);
	return k;
}

static void expand_into(struct xp *x, const char *s, long n, int indq, int assign)
{
	long i = 0;
	if (!indq && x->mode != M_HERE && n > 0 && s[0] == '~') {
		long t = tilde(x, s, n, assign);
		i = t;
	}
	while (i < n) {
		char c = s[i];
		if (x->mode == M_HERE) {
			if (c == '\\' && i + 1 < n && strchr("$`\\\n", s[i + 1])) {
				if (s[i + 1] != '\n') addc(x, s[i + 1], 1);
				i += 2;
			} else if (c == '$') i = dollar(x, s, i, n, 1);
			else if (c == '`') goto backquote;
			else { addc(x, (unsigned char)c, 1); i++; }
			continue;
		}
		if (c == '\'' && !indq) {
			long j = i + 1;
			while (j < n && s[j] != '\'') addc(x, (unsigned char)s[j++], 1);
			x->have = 1;
			i = j + 1;
		} else if (c == '"') {
			if (!indq) {
				/* An opening quote: the field exists unless only "$@" (empty) was inside. */
				long j = i + 1;
				size_t before = x->cur.len;
				int had = x->have, breaks = x->breaks;
				x->empty_at = 0;
				indq = 1;
				while (j < n && s[j] != '"') {
					if (s[j] == '\\' && j + 1 < n) {
						char d = s[j + 1];
						if (d == '\n') { j += 2; continue; }
						if (!strchr("$`\"\\", d)) addc(x, '\\', 1);
						addc(x, (unsigned char)d, 1);
						j += 2;
					} else if (s[j] == '$') j = dollar(x, s, j, n, 1);
					else if (s[j] == '`') {
						long e = scan_end(s + j + 1, n - j - 1, '`');
						if (e < 0) e = n - j - 1;
						struct sbuf in = {0};
						for (long k = j + 1; k < j + e; k++) {
							if (s[k] == '\\' && k + 1 < j + e && strchr("$`\\\"", s[k + 1])) k++;
							sb_putc(&in, s[k]);
						}
						add_exp(x, cmdsubst(in.s ? in.s : ""), 1);
						free(in.s);
						j += 1 + e;
					} else addc(x, (unsigned char)s[j++], 1);
				}
				indq = 0;
				if (x->empty_at && x->cur.len == before && x->breaks == breaks) x->have = had;
				else x->have = 1;
				x->empty_at = 0;
				i = j + 1;
			} else i++;
		} else if (c == '\\') {
			if (i + 1 >= n) { addc(x, '\\', 1); i++; continue; }
			char d = s[i + 1];
			if (d == '\n') { i += 2; continue; }
			if (indq && !strchr("$`\"\\", d)) addc(x, '\\', 1);
			addc(x, (unsigned char)d, 1);
			i += 2;
		} else if (c == '$') {
			i = dollar(x, s, i, n, indq);
		} else if (c == '`') {
		backquote:;
			long e = scan_end(s + i + 1, n - i - 1, '`');
			if (e < 0) e = n - i - 1;
			struct sbuf in = {0};
			for (long k = i + 1; k < i + e; k++) {
				if (s[k] == '\\' && k + 1 < i + e && strchr("$`\\", s[k + 1])) k++;
				sb_putc(&in, s[k]);
			}
			add_exp(x, cmdsubst(in.s ? in.s : ""), indq || x->mode == M_HERE);
			free(in.s);
			i += 1 + e;
		} else if (assign && c == ':' && i + 1 < n && s[i + 1] == '~' && !indq) {
			addc(x, ':', 0);
			long t = tilde(x, s + i + 1, n - i - 1, 1);
			i += 1 + t;
		} else {
			addc(x, (unsigned char)c, indq);
			i++;
		}
	}
}

void expand_fields(const char *word, struct vec *out)
{
	struct xp x;
	memset(&x, 0, sizeof x);
	x.mode = M_FIELDS;
	x.out = out;
	expand_into(&x, word, (long)strlen(word), 0, 0);
	end_field(&x);
	free(x.cur.s);
	free(x.q.s);
}

static char *expand_mode(const char *word, int mode, int assign)
{
	struct xp x;
	memset(&x, 0, sizeof x);
	x.mode = mode;
	expand_into(&x, word, (long)strlen(word), 0, assign);
	char *r = astrndup(&X, x.cur.s ? x.cur.s : "", x.cur.len);
	free(x.cur.s);
	free(x.q.s);
	return r;
}

char *expand_str(const char *word) { return expand_mode(word, M_STR, 0); }
char *expand_assign(const char *word) { return expand_mode(word, M_STR, 1); }
char *expand_heredoc(const char *body) { return expand_mode(body, M_HERE, 0); }
char *expand_pat(const char *word) { return sub_string(word, (long)strlen(word), M_PAT); }

/* ---- arithmetic (XCU 2.6.4: C's signed long arithmetic) ------------- */

struct ar { const char *p; int err; int noeval; int depth; };

static long a_assign(struct ar *a);

static void a_skip(struct ar *a) { while (*a->p == ' ' || *a->p == '\t' || *a->p == '\n') a->p++; }

static void a_error(struct ar *a, const char *msg)
{
	if (!a->err) fprintf(stderr, "sh: arithmetic expression: %s\n", msg);
	a->err = 1;
}

static long a_varval(struct ar *a, const char *name)
{
	const char *v = getvar(name);
	if (!v || !*v) {
		if (!v && opt_u) { fprintf(stderr, "sh: %s: parameter not set\n", name); a->err = 1; }
		return 0;
	}
	char *end;
	long r = strtol(v, &end, 0);
	while (*end == ' ' || *end == '\t' || *end == '\n') end++;
	if (!*end) return r;
	if (a->depth > 32) { a_error(a, "expression recursion level exceeded"); return 0; }
	struct ar b = { v, 0, a->noeval, a->depth + 1 };
	long x = a_assign(&b);
	a_skip(&b);
	if (b.err || *b.p) { a_error(a, "bad number"); return 0; }
	return x;
}

static int a_name(struct ar *a, char *name, size_t cap)
{
	a_skip(a);
	if (!is_name_start((unsigned char)*a->p)) return 0;
	size_t n = 0;
	while (is_name_char((unsigned char)*a->p)) { if (n + 1 < cap) name[n++] = *a->p; a->p++; }
	name[n] = 0;
	return 1;
}

static void a_setvar(struct ar *a, const char *name, long v)
{
	if (a->noeval) return;
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", v);
	if (setvar(name, buf, 0) < 0) a->err = 1;
}

static long a_unary(struct ar *a);

static long a_primary(struct ar *a)
{
	a_skip(a);
	const char *p = a->p;
	if (*p == '(') {
		a->p++;
		long v = a_assign(a);
		a_skip(a);
		if (*a->p != ')') { a_error(a, "missing ')'"); return 0; }
		a->p++;
		return v;
	}
	if (*p >= '0' && *p <= '9') {
		char *end;
		long v;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) v = (long)strtoul(p + 2, &end, 16);
		else if (p[0] == '0') v = (long)strtoul(p, &end, 8);
		else v = (long)strtoul(p, &end, 10);
		if (is_name_char((unsigned char)*end)) { a_error(a, "bad number"); return 0; }
		a->p = end;
		return v;
	}
	char name[256];
	if (a_name(a, name, sizeof name)) {
		a_skip(a);
		if ((a->p[0] == '+' && a->p[1] == '+') || (a->p[0] == '-' && a->p[1] == '-')) {
			int inc = a->p[0] == '+' ? 1 : -1;
			a->p += 2;
			long v = a_varval(a, name);
			a_setvar(a, name, v + inc);
			return v;
		}
		return a_varval(a, name);
	}
	if (*p) a_error(a, "syntax error");
	else a_error(a, "expression expected");
	return 0;
}

static long a_unary(struct ar *a)
{
	a_skip(a);
	char c = *a->p;
	if ((c == '+' || c == '-') && a->p[1] == c) {
		a->p += 2;
		char name[256];
		if (!a_name(a, name, sizeof name)) { a_error(a, "syntax error"); return 0; }
		long v = a_varval(a, name) + (c == '+' ? 1 : -1);
		a_setvar(a, name, v);
		return v;
	}
	if (c == '+') { a->p++; return a_unary(a); }
	if (c == '-') { a->p++; return -(unsigned long)a_unary(a); }
	if (c == '!') { a->p++; return !a_unary(a); }
	if (c == '~') { a->p++; return ~a_unary(a); }
	return a_primary(a);
}

/* Binary operators by precedence level, lowest first; an operator never
 * matches the start of a longer one or of an assignment operator. */
static int a_binop(struct ar *a, int level, int *len)
{
	static const char *const ops[][4] = {
		{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
		{ "<=", ">=", "<", ">" }, { "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
	};
	a_skip(a);
	const char *p = a->p;
	for (int k = 0; k < 4 && ops[level][k]; k++) {
		const char *o = ops[level][k];
		size_t n = strlen(o);
		if (strncmp(p, o, n)) continue;
		if (level != 5 && level != 6 && p[n] == '=') continue;
		if (n == 1 && (o[0] == '|' || o[0] == '&' || o[0] == '<' || o[0] == '>') && (p[1] == o[0] || p[1] == '=')) continue;
		*len = (int)n;
		return k + 1;
	}
	return 0;
}

static long a_level(struct ar *a, int level)
{
	if (level == 10) return a_unary(a);
	long v = a_level(a, level + 1);
	for (;;) {
		int len, op = a_binop(a, level, &len);
		if (!op) return v;
		const char *o = a->p;
		a->p += len;
		if (level == 0 || level == 1) {
			int save = a->noeval;
			if ((level == 0 && v) || (level == 1 && !v)) a->noeval = 1;
			long r = a_level(a, level + 1);
			a->noeval = save;
			v = level == 0 ? (v || r) : (v && r);
			continue;
		}
		long r = a_level(a, level + 1);
		switch (o[0]) {
		case '|': v |= r; break;
		case '^': v ^= r; break;
		case '&': v &= r; break;
		case '=': v = v == r; break;
		case '!': v = v != r; break;
		case '<': v = len == 2 ? (o[1] == '<' ? (long)((unsigned long)v << (r & 63)) : v <= r) : v < r; break;
		case '>': v = len == 2 ? (o[1] == '>' ? v >> (r & 63) : v >= r) : v > r; break;
		case '+': v = (long)((unsigned long)v + (unsigned long)r); break;
		case '-': v = (long)((unsigned long)v - (unsigned long)r); break;
		case '*': v = (long)((unsigned long)v * (unsigned long)r); break;
		case '/': case '%':
			if (r == 0) { if (!a->noeval) a_error(a, "division by zero"); return 0; }
			if (r == -1) v = o[0] == '/' ? (long)(0 - (unsigned long)v) : 0;
			else v = o[0] == '/' ? v / r : v % r;
			break;
		}
	}
}

static long a_cond(struct ar *a)
{
	long c = a_level(a, 0);
	a_skip(a);
	if (*a->p != '?') return c;
	a->p++;
	int save = a->noeval;
	if (!c) a->noeval = 1;
	long x = a_assign(a);
	a->noeval = save;
	a_skip(a);
	if (*a->p != ':') { a_error(a, "expecting ':'"); return 0; }
	a->p++;
	if (c) a->noeval = 1;
	long y = a_cond(a);
	a->noeval = save;
	return c ? x : y;
}

static long a_assign(struct ar *a)
{
	a_skip(a);
	const char *save = a->p;
	char name[256];
	if (a_name(a, name, sizeof name)) {
		a_skip(a);
		static const char *const ops[] = { "=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=", NULL };
		for (int k = 0; ops[k]; k++) {
			size_t n = strlen(ops[k]);
			if (strncmp(a->p, ops[k], n) || (k == 0 && a->p[1] == '=')) continue;
			a->p += n;
			long r = a_assign(a);
			long v = k ? a_varval(a, name) : 0;
			switch (k) {
			case 0: v = r; break;
			case 1: v = (long)((unsigned long)v * (unsigned long)r); break;
			case 2: case 3:
				if (r == 0) { if (!a->noeval) a_error(a, "division by zero"); return 0; }
				v = k == 2 ? (r == -1 ? -v : v / r) : (r == -1 ? 0 : v % r);
				break;
			case 4: v += r; break;
			case 5: v -= r; break;
			case 6: v = (long)((unsigned long)v << (r & 63)); break;
			case 7: v >>= (r & 63); break;
			case 8: v &= r; break;
			case 9: v ^= r; break;
			case 10: v |= r; break;
			}
			a_setvar(a, name, v);
			return v;
		}
		a->p = save;
	}
	return a_cond(a);
}

long arith_eval(const char *expr, int *err)
{
	struct ar a = { expr, 0, 0, 0 };
	a_skip(&a);
	if (!*a.p) return 0;
	long v = a_assign(&a);
	while (!a.err && *a.p == ',') { a.p++; v = a_assign(&a); }
	a_skip(&a);
	if (!a.err && *a.p) a_error(&a, "syntax error");
	*err = a.err;
	return a.err ? 0 : v;
}

/* ---- prompts --------------------------------------------------------- */

/* PS1: bash's backslash escapes (\u \h \w \W \$ \n \\), then parameter expansion. */
char *prompt_string(const char *ps)
{
	struct sbuf b = {0};
	for (const char *p = ps; *p; p++) {
		if (*p != '\\' || !p[1]) { sb_putc(&b, *p); continue; }
		char val[PATH_MAX + 64];
		val[0] = 0;
		switch (*++p) {
		case 'u': {
			struct passwd *pw = getpwuid(geteuid());
			snprintf(val, sizeof val, "%s", pw ? pw->pw_name : "?");
			break;
		}
		case 'h': case 'H': {
			char host[256];
			if (gethostname(host, sizeof host) != 0) strcpy(host, "?");
			host[255] = 0;
			if (*p == 'h') { char *dot = strchr(host, '.'); if (dot) *dot = 0; }
			snprintf(val, sizeof val, "%s", host);
			break;
		}
		case 'w': case 'W': {
			const char *pwd = getvar("PWD");
			char cwd[PATH_MAX];
			if (!pwd) pwd = getcwd(cwd, sizeof cwd) ? cwd : "?";
			const char *home = getvar("HOME");
			size_t hl = home ? strlen(home) : 0;
			if (*p == 'W') {
				const char *slash = strrchr(pwd, '/');
				snprintf(val, sizeof val, "%s", slash && slash[1] ? slash + 1 : pwd);
			} else if (hl > 1 && !strncmp(pwd, home, hl) && (pwd[hl] == '/' || !pwd[hl]))
				snprintf(val, sizeof val, "~%s", pwd + hl);
			else snprintf(val, sizeof val, "%s", pwd);
			break;
		}
		case '$': strcpy(val, geteuid() == 0 ? "#" : "$"); break;
		case 'n': strcpy(val, "\n"); break;
		case '\\': strcpy(val, "\\"); break;
		case 'e': strcpy(val, "\033"); break;
		case '[': case ']': continue;
		default: sb_putc(&b, '\\'); sb_putc(&b, *p); continue;
		}
		for (char *v = val; *v; v++) {
			if (strchr("\\$`\"'", *v)) sb_putc(&b, '\\');
			sb_putc(&b, *v);
		}
	}
	char *r = expand_mode(b.s ? b.s : "", M_HERE, 0);
	free(b.s);
	return r;
}

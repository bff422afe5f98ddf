/*
 * sh - the microlith shell.
 *
 *   sh                 read commands from stdin (prompt "$ " or "# " on a tty)
 *   sh FILE [ARG...]   run a script
 *   sh -c CMD [NAME [ARG...]]
 *
 * Grammar (a small POSIX subset):
 *   list     := and_or { (';' | '&' | newline) and_or }
 *   and_or   := pipeline { ('&&' | '||') pipeline }
 *   pipeline := ['!'] command { '|' command }
 *   command  := '(' list ')' {redir} | { assignment | word | redir }
 *   redir    := [N] ('<' | '>' | '>>' | '<>' | '>&' | '<&' | '>|') word
 * Words: 'single', "double" (with $ and \ inside), \escapes, $VAR, ${VAR},
 * ${VAR:-word}, ${VAR-word}, $? $$ $! $# $0..$9 $@ $*, $(cmd), `cmd`, ~.
 * Unquoted expansions are split on blanks.  No globbing, no here-documents,
 * no if/while/for/case, no functions.
 * Builtins: cd pwd exit export unset wait exec : true false.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* memory: an arena freed after each top-level command                 */

struct ablk { struct ablk *next; size_t used, cap; char data[]; };
static struct ablk *arena;

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) { fputs("sh: out of memory\n", stderr); _exit(2); }
	return p;
}

static void *amalloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!arena || arena->used + n > arena->cap) {
		size_t cap = n > 65536 ? n : 65536;
		struct ablk *b = xmalloc(sizeof *b + cap);
		b->next = arena; b->used = 0; b->cap = cap; arena = b;
	}
	void *p = arena->data + arena->used;
	arena->used += n;
	return p;
}

static void afreeall(void)
{
	while (arena) { struct ablk *n = arena->next; free(arena); arena = n; }
}

static char *astrndup(const char *s, size_t n)
{
	char *p = amalloc(n + 1);
	memcpy(p, s, n); p[n] = 0;
	return p;
}

struct vec { void **v; int n, cap; };
static void vpush(struct vec *v, void *x)
{
	if (v->n + 1 >= v->cap) {
		int nc = v->cap ? v->cap * 2 : 8;
		void **nv = amalloc(nc * sizeof *nv);
		if (v->n) memcpy(nv, v->v, v->n * sizeof *nv);
		v->v = nv; v->cap = nc;
	}
	v->v[v->n++] = x;
	v->v[v->n] = NULL;
}

struct sbuf { char *s; size_t len, cap; };
static void sb_putc(struct sbuf *b, char c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = realloc(b->s, b->cap);
		if (!b->s) { fputs("sh: out of memory\n", stderr); _exit(2); }
	}
	b->s[b->len++] = c;
	b->s[b->len] = 0;
}
static void sb_puts(struct sbuf *b, const char *s) { while (*s) sb_putc(b, *s++); }

/* ------------------------------------------------------------------ */
/* shell state                                                          */

struct var { struct var *next; char *name; char *val; int exported; };
static struct var *vars;          /* sorted by name */
static int last_status;
static int subst_status;          /* status of the last $(...) */
static pid_t last_bg = 0;
static int interactive;
static char *arg0 = "sh";
static char **posargs;
static int nposargs;
static pid_t shell_pid;
static int in_subshell;           /* forked child of the shell */
static int exec_in_place;         /* a background job's only command: exec it, don't fork */
static int sig_changed[65];       /* signals the shell set to SIG_IGN itself */

struct job { int num; pid_t pid; char *text; };
#define MAXJOBS 64
static struct job jobs[MAXJOBS];
/* Background jobs already reaped, so "wait PID" still reports them (as bash does). */
static struct { pid_t pid; int status; } reaped[MAXJOBS];
static int reaped_next;

static struct var *findvar(const char *name)
{
	for (struct var *v = vars; v; v = v->next)
		if (!strcmp(v->name, name)) return v;
	return NULL;
}

static const char *getvar(const char *name)
{
	struct var *v = findvar(name);
	return v ? v->val : NULL;
}

static void setvar(const char *name, const char *val, int export)
{
	struct var *v = findvar(name);
	if (!v) {
		v = xmalloc(sizeof *v);
		v->name = strdup(name);
		v->val = NULL;
		v->exported = 0;
		struct var **pp = &vars;
		while (*pp && strcmp((*pp)->name, name) < 0) pp = &(*pp)->next;
		v->next = *pp; *pp = v;
	}
	if (val) { free(v->val); v->val = strdup(val); }
	if (export) v->exported = 1;
}

static void unsetvar(const char *name)
{
	for (struct var **pp = &vars; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, name)) {
			struct var *v = *pp;
			*pp = v->next;
			free(v->name); free(v->val); free(v);
			return;
		}
}

static char **build_env(void)
{
	int n = 0;
	for (struct var *v = vars; v; v = v->next) if (v->exported && v->val) n++;
	char **env = amalloc((n + 1) * sizeof *env);
	n = 0;
	for (struct var *v = vars; v; v = v->next)
		if (v->exported && v->val) {
			size_t a = strlen(v->name), b = strlen(v->val);
			char *s = amalloc(a + b + 2);
			memcpy(s, v->name, a); s[a] = '='; memcpy(s + a + 1, v->val, b + 1);
			env[n++] = s;
		}
	env[n] = NULL;
	return env;
}

static int is_name_start(int c) { return c == '_' || isalpha(c); }
static int is_name_char(int c) { return c == '_' || isalnum(c); }

/* ------------------------------------------------------------------ */
/* lexer                                                                */

enum { T_WORD, T_NL, T_SEMI, T_AMP, T_AND, T_OR, T_PIPE, T_LP, T_RP, T_REDIR, T_END };
enum { R_IN, R_OUT, R_APP, R_RW, R_DUPIN, R_DUPOUT };

struct tok { int t; char *s; int fd, rt; long start, end; };

#define INCOMPLETE (-1)

static long skip_paren(const char *s, long i, long n);
static long skip_brace(const char *s, long i, long n);

static long skip_squote(const char *s, long i, long n)
{
	for (i++; i < n; i++) if (s[i] == '\'') return i + 1;
	return INCOMPLETE;
}

static long skip_bq(const char *s, long i, long n)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\') { i++; continue; }
		if (s[i] == '`') return i + 1;
	}
	return INCOMPLETE;
}

static long skip_dquote(const char *s, long i, long n)
{
	for (i++; i < n;) {
		char c = s[i];
		if (c == '\\') { i += 2; continue; }
		if (c == '"') return i + 1;
		if (c == '$' && i + 1 < n && s[i + 1] == '(') i = skip_paren(s, i + 1, n);
		else if (c == '$' && i + 1 < n && s[i + 1] == '{') i = skip_brace(s, i + 1, n);
		else if (c == '`') i = skip_bq(s, i, n);
		else i++;
		if (i < 0) return INCOMPLETE;
	}
	return INCOMPLETE;
}

/* s[i] == '(' : index after the matching ')' */
static long skip_paren(const char *s, long i, long n)
{
	int depth = 0;
	while (i < n) {
		char c = s[i];
		if (c == '(') { depth++; i++; }
		else if (c == ')') { i++; if (--depth == 0) return i; }
		else if (c == '\'') i = skip_squote(s, i, n);
		else if (c == '"') i = skip_dquote(s, i, n);
		else if (c == '`') i = skip_bq(s, i, n);
		else if (c == '\\') i += 2;
		else i++;
		if (i < 0) return INCOMPLETE;
	}
	return INCOMPLETE;
}

/* s[i] == '{' : index after the matching '}' */
static long skip_brace(const char *s, long i, long n)
{
	for (i++; i < n;) {
		char c = s[i];
		if (c == '}') return i + 1;
		if (c == '\'') i = skip_squote(s, i, n);
		else if (c == '"') i = skip_dquote(s, i, n);
		else if (c == '\\') i += 2;
		else if (c == '$' && i + 1 < n && s[i + 1] == '{') i = skip_brace(s, i + 1, n);
		else if (c == '$' && i + 1 < n && s[i + 1] == '(') i = skip_paren(s, i + 1, n);
		else i++;
		if (i < 0) return INCOMPLETE;
	}
	return INCOMPLETE;
}

/* Returns 0 (ok), 1 (need more input). */
static int lex(const char *s, long n, struct vec *tv)
{
	long i = 0;
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
		if (i + 1 < n && s[i] == '\\' && s[i + 1] == '\n') {
			if (i + 2 >= n) return 1;
			i += 2;
			continue;
		}
		struct tok *t = amalloc(sizeof *t);
		memset(t, 0, sizeof *t);
		t->fd = -1;
		t->start = i;
		if (i >= n) { t->t = T_END; t->end = i; vpush(tv, t); return 0; }
		char c = s[i];
		if (c == '#') { while (i < n && s[i] != '\n') i++; continue; }
		if (c == '\n') { t->t = T_NL; i++; }
		else if (c == ';') { t->t = T_SEMI; i++; }
		else if (c == '&') {
			if (i + 1 < n && s[i + 1] == '&') { t->t = T_AND; i += 2; }
			else { t->t = T_AMP; i++; }
		} else if (c == '|') {
			if (i + 1 < n && s[i + 1] == '|') { t->t = T_OR; i += 2; }
			else { t->t = T_PIPE; i++; }
		} else if (c == '(') { t->t = T_LP; i++; }
		else if (c == ')') { t->t = T_RP; i++; }
		else {
			if (c != '<' && c != '>') {
				while (i < n) {
					c = s[i];
					if (strchr(" \t\n;&|<>()", c)) break;
					if (c == '\\') {
						if (i + 2 == n && s[i + 1] == '\n') return 1;
						i = (i + 1 < n) ? i + 2 : i + 1;
						continue;
					}
					if (c == '\'') i = skip_squote(s, i, n);
					else if (c == '"') i = skip_dquote(s, i, n);
					else if (c == '`') i = skip_bq(s, i, n);
					else if (c == '$' && i + 1 < n && s[i + 1] == '(') i = skip_paren(s, i + 1, n);
					else if (c == '$' && i + 1 < n && s[i + 1] == '{') i = skip_brace(s, i + 1, n);
					else i++;
					if (i < 0) return 1;
				}
				long k;
				for (k = t->start; k < i && isdigit((unsigned char)s[k]); k++) ;
				if (!(k == i && i < n && (s[i] == '<' || s[i] == '>'))) {
					t->t = T_WORD;
					t->s = astrndup(s + t->start, i - t->start);
					t->end = i;
					vpush(tv, t);
					continue;
				}
				t->fd = atoi(s + t->start);
				c = s[i];
			}
			t->t = T_REDIR;
			char d = i + 1 < n ? s[i + 1] : 0;
			if (c == '<') {
				if (d == '<') { t->rt = -1; i += 2; }
				else if (d == '&') { t->rt = R_DUPIN; i += 2; }
				else if (d == '>') { t->rt = R_RW; i += 2; }
				else { t->rt = R_IN; i++; }
				if (t->fd < 0) t->fd = 0;
			} else {
				if (d == '>') { t->rt = R_APP; i += 2; }
				else if (d == '&') { t->rt = R_DUPOUT; i += 2; }
				else if (d == '|') { t->rt = R_OUT; i += 2; }
				else { t->rt = R_OUT; i++; }
				if (t->fd < 0) t->fd = 1;
			}
		}
		t->end = i;
		vpush(tv, t);
	}
}

/* ------------------------------------------------------------------ */
/* parser                                                               */

struct redir { struct redir *next; int fd, type; char *word; };
struct list;
struct cmd {
	struct vec words, assigns;
	struct redir *redirs;
	struct list *sub;     /* ( list ) */
};
struct pipeline { int neg; struct vec cmds; };
struct andor { struct vec pipes; int ops[256]; char *text; };
struct list { struct vec items; struct vec bg; };

static struct tok **T;
static int tp;
static int perr;        /* 1 need more input, 2 syntax error */
static const char *psrc;

static const char *tokname(struct tok *t)
{
	switch (t->t) {
	case T_NL: return "newline";
	case T_SEMI: return ";";
	case T_AMP: return "&";
	case T_AND: return "&&";
	case T_OR: return "||";
	case T_PIPE: return "|";
	case T_LP: return "(";
	case T_RP: return ")";
	case T_REDIR: return astrndup(psrc + t->start, t->end - t->start);
	case T_END: return "end of file";
	default: return t->s;
	}
}

static void syntax(struct tok *t)
{
	if (perr) return;
	if (t->t == T_END) { perr = 1; return; }
	fprintf(stderr, "sh: syntax error near unexpected token `%s'\n", tokname(t));
	perr = 2;
}

static void skip_nl(void) { while (T[tp]->t == T_NL) tp++; }

static struct list *parse_list(void);

static int is_assignment(const char *w)
{
	if (!is_name_start((unsigned char)*w)) return 0;
	while (is_name_char((unsigned char)*w)) w++;
	return *w == '=';
}

static struct cmd *parse_cmd(void)
{
	struct cmd *c = amalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	struct redir **rp = &c->redirs;
	int any = 0;
	if (T[tp]->t == T_LP) {
		tp++;
		c->sub = parse_list();
		if (perr) return NULL;
		if (T[tp]->t != T_RP) { syntax(T[tp]); return NULL; }
		tp++;
		any = 1;
	}
	for (;;) {
		struct tok *t = T[tp];
		if (t->t == T_WORD && !c->sub) {
			if (!c->words.n && is_assignment(t->s)) vpush(&c->assigns, t->s);
			else vpush(&c->words, t->s);
			tp++;
		} else if (t->t == T_REDIR) {
			if (t->rt < 0) {
				fputs("sh: here-documents are not supported\n", stderr);
				perr = 2;
				return NULL;
			}
			tp++;
			if (T[tp]->t != T_WORD) {
				if (T[tp]->t == T_END) { perr = 2; fputs("sh: syntax error near unexpected token `newline'\n", stderr); }
				else syntax(T[tp]);
				return NULL;
			}
			struct redir *r = amalloc(sizeof *r);
			r->next = NULL; r->fd = t->fd; r->type = t->rt; r->word = T[tp]->s;
			*rp = r; rp = &r->next;
			tp++;
		} else break;
		any = 1;
	}
	if (!any) { syntax(T[tp]); return NULL; }
	return c;
}

static struct pipeline *parse_pipeline(void)
{
	struct pipeline *p = amalloc(sizeof *p);
	memset(p, 0, sizeof *p);
	if (T[tp]->t == T_WORD && !strcmp(T[tp]->s, "!")) { p->neg = 1; tp++; }
	for (;;) {
		struct cmd *c = parse_cmd();
		if (!c) return NULL;
		vpush(&p->cmds, c);
		if (T[tp]->t != T_PIPE) break;
		tp++;
		skip_nl();
	}
	return p;
}

static struct andor *parse_andor(void)
{
	struct andor *a = amalloc(sizeof *a);
	memset(a, 0, sizeof *a);
	long start = T[tp]->start;
	for (;;) {
		struct pipeline *p = parse_pipeline();
		if (!p) return NULL;
		if (a->pipes.n >= 255) { fputs("sh: command too long\n", stderr); perr = 2; return NULL; }
		vpush(&a->pipes, p);
		int t = T[tp]->t;
		if (t != T_AND && t != T_OR) break;
		a->ops[a->pipes.n - 1] = t;
		tp++;
		skip_nl();
	}
	long end = T[tp - 1]->end;
	a->text = astrndup(psrc + start, end - start);
	return a;
}

static struct list *parse_list(void)
{
	struct list *l = amalloc(sizeof *l);
	memset(l, 0, sizeof *l);
	skip_nl();
	while (T[tp]->t != T_END && T[tp]->t != T_RP) {
		struct andor *a = parse_andor();
		if (!a) return NULL;
		long bg = 0;
		int t = T[tp]->t;
		if (t == T_AMP) { bg = 1; tp++; }
		else if (t == T_SEMI || t == T_NL) tp++;
		else if (t != T_END && t != T_RP) { syntax(T[tp]); return NULL; }
		vpush(&l->items, a);
		vpush(&l->bg, (void *)bg);
		skip_nl();
	}
	return l;
}

/* 0 ok, 1 need more input, 2 syntax error */
static int parse(const char *src, long n, struct list **out)
{
	struct vec tv = {0};
	if (lex(src, n, &tv)) return 1;
	T = (struct tok **)tv.v;
	tp = 0;
	perr = 0;
	psrc = src;
	struct list *l = parse_list();
	if (!perr && T[tp]->t != T_END) syntax(T[tp]);
	if (perr) return perr;
	*out = l;
	return 0;
}

/* ------------------------------------------------------------------ */
/* expansion                                                            */

struct exp {
	struct vec *fields;
	struct sbuf cur;
	int have;
	int split;
};

static int run_string(const char *s);
static void restore_signals(void);

static void field_end(struct exp *e)
{
	if (e->have || e->cur.len) {
		vpush(e->fields, astrndup(e->cur.s ? e->cur.s : "", e->cur.len));
		e->cur.len = 0;
		if (e->cur.s) e->cur.s[0] = 0;
	}
	e->have = 0;
}

static void emit(struct exp *e, const char *v, int quoted)
{
	if (quoted || !e->split) {
		sb_puts(&e->cur, v);
		e->have = 1;
		return;
	}
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\n') field_end(e);
		else { sb_putc(&e->cur, *v); e->have = 1; }
	}
}

static char *cmdsubst(const char *src)
{
	int p[2];
	struct sbuf out = {0};
	fflush(stdout);
	if (pipe(p) < 0) { perror("sh: pipe"); return astrndup("", 0); }
	pid_t pid = fork();
	if (pid < 0) { perror("sh: fork"); close(p[0]); close(p[1]); return astrndup("", 0); }
	if (pid == 0) {
		close(p[0]);
		if (p[1] != 1) { dup2(p[1], 1); close(p[1]); }
		in_subshell = 1;
		restore_signals();
		int st = run_string(src);
		fflush(stdout);
		_exit(st);
	}
	close(p[1]);
	char buf[4096];
	for (;;) {
		ssize_t r = read(p[0], buf, sizeof buf);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) break;
		for (ssize_t k = 0; k < r; k++) sb_putc(&out, buf[k]);
	}
	close(p[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	subst_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	while (out.len && out.s[out.len - 1] == '\n') out.len--;
	char *r = astrndup(out.s ? out.s : "", out.len);
	free(out.s);
	return r;
}

static void expand_into(struct exp *e, const char *s, long n, int inq0);

static char *expand_string(const char *s, long n)
{
	struct vec f = {0};
	struct exp e = { &f, {0}, 0, 0 };
	expand_into(&e, s, n, 0);
	char *r = astrndup(e.cur.s ? e.cur.s : "", e.cur.len);
	free(e.cur.s);
	return r;
}

static const char *special_var(char c, char *buf)
{
	switch (c) {
	case '?': sprintf(buf, "%d", last_status); return buf;
	case '$': sprintf(buf, "%d", (int)shell_pid); return buf;
	case '!': if (!last_bg) return ""; sprintf(buf, "%d", (int)last_bg); return buf;
	case '#': sprintf(buf, "%d", nposargs); return buf;
	case '-': return interactive ? "i" : "";
	case '0': return arg0;
	default:
		if (c >= '1' && c <= '9') return c - '1' < nposargs ? posargs[c - '1'] : "";
	}
	return NULL;
}

static void emit_params(struct exp *e, int quoted, int star)
{
	for (int k = 0; k < nposargs; k++) {
		if (k) {
			if (quoted && !star) field_end(e);
			else if (quoted) sb_putc(&e->cur, ' ');
			else field_end(e);
		}
		emit(e, posargs[k], quoted);
	}
}

/* s[i] == '$'; returns the index after the expansion */
static long expand_dollar(struct exp *e, const char *s, long i, long n, int inq)
{
	char buf[32];
	if (i + 1 >= n) { sb_putc(&e->cur, '$'); e->have = 1; return i + 1; }
	char c = s[i + 1];
	if (c == '(') {
		long j = skip_paren(s, i + 1, n);
		if (j < 0) j = n;
		char *inner = astrndup(s + i + 2, j - i - 3 > 0 ? j - i - 3 : 0);
		emit(e, cmdsubst(inner), inq);
		return j;
	}
	if (c == '{') {
		long j = skip_brace(s, i + 1, n);
		if (j < 0) j = n;
		long a = i + 2, b = j - 1;       /* contents [a, b) */
		long k = a;
		char name[256];
		int len = 0;
		if (k < b && (s[k] == '#') && b - a == 1) { name[len++] = '#'; k++; }
		else if (k < b && !is_name_start((unsigned char)s[k])) { if (len < 255) name[len++] = s[k]; k++; }
		else while (k < b && is_name_char((unsigned char)s[k])) { if (len < 255) name[len++] = s[k]; k++; }
		name[len] = 0;
		const char *v = len == 1 ? special_var(name[0], buf) : NULL;
		if (!v && len) v = getvar(name);
		if (k < b) {
			int colon = 0;
			if (s[k] == ':') { colon = 1; k++; }
			char op = k < b ? s[k++] : 0;
			int unset = !v || (colon && !*v);
			if (op == '-' && unset) v = expand_string(s + k, b - k);
			else if (op == '=' && unset) { v = expand_string(s + k, b - k); setvar(name, v, 0); }
			else if (op == '+') v = unset ? "" : expand_string(s + k, b - k);
			else if (op == '?' && unset) {
				fprintf(stderr, "sh: %s: %s\n", name, k < b ? expand_string(s + k, b - k) : "parameter not set");
				if (!interactive || in_subshell) exit(2);
				v = "";
			}
		}
		if (len == 1 && (name[0] == '@' || name[0] == '*')) emit_params(e, inq, name[0] == '*');
		else emit(e, v ? v : "", inq);
		return j;
	}
	if (c == '@' || c == '*') { emit_params(e, inq, c == '*'); return i + 2; }
	const char *v = special_var(c, buf);
	if (v) { emit(e, v, inq); return i + 2; }
	if (is_name_start((unsigned char)c)) {
		long k = i + 1;
		while (k < n && is_name_char((unsigned char)s[k])) k++;
		char *name = astrndup(s + i + 1, k - i - 1);
		v = getvar(name);
		emit(e, v ? v : "", inq);
		return k;
	}
	sb_putc(&e->cur, '$');
	e->have = 1;
	return i + 1;
}

static void expand_into(struct exp *e, const char *s, long n, int inq)
{
	long i = 0;
	if (!inq && n > 0 && s[0] == '~' && (n == 1 || s[1] == '/')) {
		const char *h = getvar("HOME");
		sb_puts(&e->cur, h ? h : "~");
		e->have = 1;
		i = 1;
	}
	while (i < n) {
		char c = s[i];
		if (c == '\'' && !inq) {
			long j = skip_squote(s, i, n);
			if (j < 0) j = n + 1;
			for (long k = i + 1; k < j - 1; k++) sb_putc(&e->cur, s[k]);
			e->have = 1;
			i = j;
		} else if (c == '"') {
			inq = !inq;
			e->have = 1;
			i++;
		} else if (c == '\\') {
			if (i + 1 >= n) { sb_putc(&e->cur, '\\'); e->have = 1; i++; continue; }
			char d = s[i + 1];
			if (d == '\n') { i += 2; continue; }
			if (inq && !strchr("$`\"\\", d)) sb_putc(&e->cur, '\\');
			sb_putc(&e->cur, d);
			e->have = 1;
			i += 2;
		} else if (c == '$') {
			i = expand_dollar(e, s, i, n, inq);
		} else if (c == '`') {
			long j = skip_bq(s, i, n);
			if (j < 0) j = n + 1;
			struct sbuf in = {0};
			for (long k = i + 1; k < j - 1; k++) {
				if (s[k] == '\\' && k + 1 < j - 1 && strchr("$`\\", s[k + 1])) k++;
				sb_putc(&in, s[k]);
			}
			emit(e, cmdsubst(in.s ? in.s : ""), inq);
			free(in.s);
			i = j;
		} else {
			sb_putc(&e->cur, c);
			e->have = 1;
			i++;
		}
	}
}

static void expand_word(const char *w, struct vec *fields, int split)
{
	if (!strcmp(w, "\"$@\"") && nposargs == 0) return;
	struct exp e = { fields, {0}, 0, split };
	expand_into(&e, w, strlen(w), 0);
	field_end(&e);
	free(e.cur.s);
}

static char *expand_one(const char *w)
{
	return expand_string(w, strlen(w));
}

/* ------------------------------------------------------------------ */
/* signals, jobs, status                                                */

static void restore_signals(void)
{
	for (int s = 1; s < 65; s++)
		if (sig_changed[s]) { signal(s, SIG_DFL); sig_changed[s] = 0; }
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGHUP: return "Hangup";
	case SIGQUIT: return "Quit";
	case SIGILL: return "Illegal instruction";
	case SIGTRAP: return "Trace/breakpoint trap";
	case SIGABRT: return "Aborted";
	case SIGBUS: return "Bus error";
	case SIGFPE: return "Floating point exception";
	case SIGKILL: return "Killed";
	case SIGUSR1: return "User defined signal 1";
	case SIGSEGV: return "Segmentation fault";
	case SIGUSR2: return "User defined signal 2";
	case SIGALRM: return "Alarm clock";
	case SIGTERM: return "Terminated";
	case SIGSTKFLT: return "Stack fault";
	case SIGXCPU: return "CPU time limit exceeded";
	case SIGXFSZ: return "File size limit exceeded";
	case SIGVTALRM: return "Virtual timer expired";
	case SIGPROF: return "Profiling timer expired";
	case SIGIO: return "I/O possible";
	case SIGPWR: return "Power failure";
	case SIGSYS: return "Bad system call";
	}
	return NULL;
}

static int status_of(int st, int report)
{
	if (WIFEXITED(st)) return WEXITSTATUS(st);
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		if (report && sig != SIGINT && sig != SIGPIPE) {
			const char *m = signame(sig);
			if (m) fprintf(stderr, "%s\n", m);
			else fprintf(stderr, "Unknown signal %d\n", sig);
		} else if (report && sig == SIGINT && interactive) {
			fputc('\n', stderr);
		}
		return 128 + sig;
	}
	return 1;
}

static int wait_pid(pid_t pid)
{
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, 0);
		if (r == pid) return st;
		if (r < 0 && errno != EINTR) return 0;
	}
}

static void job_done(pid_t pid, int st, int verbose)
{
	for (int k = 0; k < MAXJOBS; k++) {
		if (jobs[k].num && jobs[k].pid == pid) {
			if (verbose) {
				char what[64];
				if (WIFEXITED(st) && WEXITSTATUS(st) == 0) strcpy(what, "Done");
				else if (WIFEXITED(st)) sprintf(what, "Exit %d", WEXITSTATUS(st));
				else {
					const char *m = signame(WTERMSIG(st));
					if (m) snprintf(what, sizeof what, "%s", m);
					else sprintf(what, "Signal %d", WTERMSIG(st));
				}
				int maxn = 0;
				for (int q = 0; q < MAXJOBS; q++) if (jobs[q].num > maxn) maxn = jobs[q].num;
				fprintf(stderr, "[%d]%c  %-24s%s\n", jobs[k].num,
				        jobs[k].num == maxn ? '+' : '-', what, jobs[k].text);
			}
			jobs[k].num = 0;
			free(jobs[k].text);
			jobs[k].text = NULL;
			reaped[reaped_next].pid = pid;
			reaped[reaped_next].status = st;
			reaped_next = (reaped_next + 1) % MAXJOBS;
		}
	}
}

static void reap_jobs(int verbose)
{
	int st;
	pid_t r;
	while ((r = waitpid(-1, &st, WNOHANG)) > 0) job_done(r, st, verbose);
}

static int add_job(pid_t pid, const char *text)
{
	int maxn = 0, slot = -1;
	for (int k = 0; k < MAXJOBS; k++) {
		if (jobs[k].num > maxn) maxn = jobs[k].num;
		if (!jobs[k].num && slot < 0) slot = k;
	}
	if (slot < 0) return 0;
	jobs[slot].num = maxn + 1;
	jobs[slot].pid = pid;
	jobs[slot].text = strdup(text);
	return maxn + 1;
}

/* ------------------------------------------------------------------ */
/* redirections                                                         */

struct saved { int fd[10]; int used[10]; };

static int apply_redirs(struct redir *r, struct saved *sv)
{
	for (; r; r = r->next) {
		char *target = expand_one(r->word);
		int fd = r->fd;
		if (sv && fd < 10 && !sv->used[fd]) {
			sv->used[fd] = 1;
			sv->fd[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
		}
		int nfd;
		if (r->type == R_DUPIN || r->type == R_DUPOUT) {
			if (!strcmp(target, "-")) { close(fd); continue; }
			char *end;
			long src = strtol(target, &end, 10);
			if (!*target || *end || src < 0 || src > INT_MAX) {
				fprintf(stderr, "sh: %s: ambiguous redirect\n", target);
				return -1;
			}
			if (src == fd) continue;
			if (dup2((int)src, fd) < 0) {
				fprintf(stderr, "sh: %ld: %s\n", src, strerror(errno));
				return -1;
			}
			continue;
		}
		int flags;
		switch (r->type) {
		case R_IN: flags = O_RDONLY; break;
		case R_OUT: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
		case R_APP: flags = O_WRONLY | O_CREAT | O_APPEND; break;
		default: flags = O_RDWR | O_CREAT; break;
		}
		nfd = open(target, flags, 0666);
		if (nfd < 0) {
			fprintf(stderr, "sh: %s: %s\n", target, strerror(errno));
			return -1;
		}
		if (nfd != fd) {
			if (dup2(nfd, fd) < 0) {
				fprintf(stderr, "sh: %d: %s\n", fd, strerror(errno));
				close(nfd);
				return -1;
			}
			close(nfd);
		}
	}
	return 0;
}

static void restore_redirs(struct saved *sv)
{
	for (int fd = 0; fd < 10; fd++) {
		if (!sv->used[fd]) continue;
		if (sv->fd[fd] >= 0) { dup2(sv->fd[fd], fd); close(sv->fd[fd]); }
		else close(fd);
	}
}

/* ------------------------------------------------------------------ */
/* builtins                                                             */

static void do_exit(int st)
{
	fflush(stdout);
	exit(st & 255);
}

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getvar("HOME");
	int print = 0;
	if (!dir) { fputs("sh: cd: HOME not set\n", stderr); return 1; }
	if (argc > 1 && !strcmp(dir, "-")) {
		dir = getvar("OLDPWD");
		if (!dir) { fputs("sh: cd: OLDPWD not set\n", stderr); return 1; }
		print = 1;
	}
	if (chdir(dir) < 0) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	const char *old = getvar("PWD");
	if (old) setvar("OLDPWD", old, 0);
	char buf[PATH_MAX];
	if (getcwd(buf, sizeof buf)) {
		setvar("PWD", buf, 0);
		if (print) printf("%s\n", buf);
	}
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	(void)argc; (void)argv;
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof buf)) { fprintf(stderr, "sh: pwd: %s\n", strerror(errno)); return 1; }
	printf("%s\n", buf);
	return 0;
}

static int bi_exit(int argc, char **argv)
{
	int st = last_status;
	if (argc > 1) {
		char *end;
		long v = strtol(argv[1], &end, 10);
		if (!*argv[1] || *end) {
			fprintf(stderr, "sh: exit: %s: numeric argument required\n", argv[1]);
			st = 2;
		} else st = (int)v;
	}
	do_exit(st);
	return st;
}

static void print_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'') fputs("'\\''", stdout);
		else putchar(*s);
	}
	putchar('\'');
}

static int bi_export(int argc, char **argv)
{
	if (argc == 1) {
		for (struct var *v = vars; v; v = v->next) {
			if (!v->exported) continue;
			printf("export %s", v->name);
			if (v->val) { putchar('='); print_quoted(v->val); }
			putchar('\n');
		}
		return 0;
	}
	int st = 0;
	for (int k = 1; k < argc; k++) {
		char *eq = strchr(argv[k], '=');
		char *name = eq ? astrndup(argv[k], eq - argv[k]) : argv[k];
		const char *p = name;
		int ok = is_name_start((unsigned char)*p);
		while (ok && *++p) ok = is_name_char((unsigned char)*p);
		if (!ok) { fprintf(stderr, "sh: export: `%s': not a valid identifier\n", argv[k]); st = 1; continue; }
		setvar(name, eq ? eq + 1 : NULL, 1);
	}
	return st;
}

static int bi_unset(int argc, char **argv)
{
	for (int k = 1; k < argc; k++) unsetvar(argv[k]);
	return 0;
}

static int bi_wait(int argc, char **argv)
{
	int st = 0;
	if (argc == 1) {
		for (int k = 0; k < MAXJOBS; k++) {
			if (!jobs[k].num) continue;
			int s = wait_pid(jobs[k].pid);
			job_done(jobs[k].pid, s, 0);
			st = status_of(s, 0);
		}
		/* also any stray children */
		while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) ;
		return 0;
	}
	for (int k = 1; k < argc; k++) {
		pid_t pid = (pid_t)atoi(argv[k]);
		int s;
		pid_t r;
		while ((r = waitpid(pid, &s, 0)) < 0 && errno == EINTR) ;
		if (r < 0) {
			st = 127;
			for (int q = 0; q < MAXJOBS; q++)
				if (pid > 0 && reaped[q].pid == pid) { st = status_of(reaped[q].status, 0); reaped[q].pid = 0; }
			continue;
		}
		job_done(pid, s, 0);
		st = status_of(s, 0);
	}
	return st;
}

static int bi_true(int argc, char **argv) { (void)argc; (void)argv; return 0; }
static int bi_false(int argc, char **argv) { (void)argc; (void)argv; return 1; }

static void exec_external(char **argv);

static int bi_exec(int argc, char **argv)
{
	if (argc < 2) return 0;
	restore_signals();
	exec_external(argv + 1);
	return 127;
}

struct builtin { const char *name; int (*fn)(int, char **); };
static const struct builtin builtins[] = {
	{ "cd", bi_cd }, { "pwd", bi_pwd }, { "exit", bi_exit },
	{ "export", bi_export }, { "unset", bi_unset }, { "wait", bi_wait },
	{ "exec", bi_exec }, { ":", bi_true }, { "true", bi_true },
	{ "false", bi_false }, { NULL, NULL }
};

static const struct builtin *find_builtin(const char *name)
{
	for (const struct builtin *b = builtins; b->name; b++)
		if (!strcmp(b->name, name)) return b;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* execution                                                            */

/* Never returns. */
static void exec_external(char **argv)
{
	char **env = build_env();
	const char *name = argv[0];
	fflush(stdout);
	if (strchr(name, '/')) {
		execve(name, argv, env);
		int e = errno;
		if (e == ENOEXEC) {
			int n = 0;
			while (argv[n]) n++;
			char **nv = amalloc((n + 2) * sizeof *nv);
			nv[0] = "sh";
			for (int k = 0; k <= n; k++) nv[k + 1] = argv[k];
			nv[1] = (char *)name;
			execve("/bin/sh", nv, env);
		}
		if (e == ENOENT) { fprintf(stderr, "sh: %s: not found\n", name); _exit(127); }
		fprintf(stderr, "sh: %s: %s\n", name, strerror(e));
		_exit(126);
	}
	const char *path = getvar("PATH");
	if (!path) path = "/bin:/sbin";
	int denied = 0;
	char buf[PATH_MAX];
	while (*name) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		if (len == 0) snprintf(buf, sizeof buf, "%s", name);
		else snprintf(buf, sizeof buf, "%.*s/%s", (int)len, path, name);
		execve(buf, argv, env);
		if (errno == ENOEXEC) {
			int n = 0;
			while (argv[n]) n++;
			char **nv = amalloc((n + 2) * sizeof *nv);
			nv[0] = "sh";
			for (int k = 0; k <= n; k++) nv[k + 1] = argv[k];
			nv[1] = buf;
			execve("/bin/sh", nv, env);
		}
		if (errno == EACCES) denied = 1;
		if (!colon) break;
		path = colon + 1;
	}
	if (denied) { fprintf(stderr, "sh: %s: Permission denied\n", name); _exit(126); }
	fprintf(stderr, "sh: %s: not found\n", name);
	_exit(127);
}

static int run_list(struct list *l);

static void set_assigns(struct vec *assigns, int export)
{
	for (int k = 0; k < assigns->n; k++) {
		char *a = assigns->v[k];
		char *eq = strchr(a, '=');
		char *name = astrndup(a, eq - a);
		char *val = expand_one(eq + 1);
		setvar(name, val, export);
	}
}

/* Run a command in the current process (a forked child); never returns. */
static void run_cmd_child(struct cmd *c)
{
	in_subshell = 1;
	if (c->sub) {
		if (apply_redirs(c->redirs, NULL) < 0) _exit(1);
		int st = run_list(c->sub);
		fflush(stdout);
		_exit(st);
	}
	struct vec argv = {0};
	for (int k = 0; k < c->words.n; k++) expand_word(c->words.v[k], &argv, 1);
	if (apply_redirs(c->redirs, NULL) < 0) _exit(1);
	if (!argv.n) { set_assigns(&c->assigns, 0); _exit(0); }
	const struct builtin *b = find_builtin(argv.v[0]);
	if (b) {
		set_assigns(&c->assigns, 0);
		int st = b->fn(argv.n, (char **)argv.v);
		fflush(stdout);
		_exit(st);
	}
	set_assigns(&c->assigns, 1);
	exec_external((char **)argv.v);
}

static int run_pipeline(struct pipeline *p)
{
	int n = p->cmds.n;
	int st;
	int inplace = exec_in_place;   /* only the job's own command, never one inside it */
	exec_in_place = 0;
	if (n == 1) {
		struct cmd *c = p->cmds.v[0];
		if (c->sub) {
			fflush(stdout);
			pid_t pid = fork();
			if (pid < 0) { perror("sh: fork"); return 2; }
			if (pid == 0) { restore_signals(); run_cmd_child(c); }
			st = status_of(wait_pid(pid), 1);
		} else {
			struct vec argv = {0};
			subst_status = 0;   /* an assignment's status is that of its $(...) */
			for (int k = 0; k < c->words.n; k++) expand_word(c->words.v[k], &argv, 1);
			const struct builtin *b = argv.n ? find_builtin(argv.v[0]) : NULL;
			if (!argv.n || b) {
				struct saved sv;
				memset(&sv, 0, sizeof sv);
				if (apply_redirs(c->redirs, &sv) < 0) { restore_redirs(&sv); st = 1; }
				else {
					set_assigns(&c->assigns, 0);
					if (b) {
						if (b->fn == bi_exec && argv.n > 1) {
							set_assigns(&c->assigns, 1);
							for (int k = 0; k < 10; k++) if (sv.used[k] && sv.fd[k] >= 0) close(sv.fd[k]);
						}
						st = b->fn(argv.n, (char **)argv.v);
						fflush(stdout);
						if (b->fn == bi_exec && argv.n == 1) {
							for (int k = 0; k < 10; k++) if (sv.used[k] && sv.fd[k] >= 0) close(sv.fd[k]);
							memset(&sv, 0, sizeof sv);
						}
					} else st = subst_status;
					restore_redirs(&sv);
				}
			} else {
				fflush(stdout);
				/* As bash does, "cmd &" is the command itself, so $! names it. */
				pid_t pid = inplace ? 0 : fork();
				if (pid < 0) { perror("sh: fork"); return 2; }
				if (pid == 0) {
					in_subshell = 1;
					restore_signals();
					if (apply_redirs(c->redirs, NULL) < 0) _exit(1);
					set_assigns(&c->assigns, 1);
					exec_external((char **)argv.v);
				}
				st = status_of(wait_pid(pid), 1);
			}
		}
	} else {
		pid_t *pids = amalloc(n * sizeof *pids);
		int prev = -1;
		fflush(stdout);
		for (int k = 0; k < n; k++) {
			int pfd[2] = { -1, -1 };
			if (k < n - 1 && pipe(pfd) < 0) { perror("sh: pipe"); n = k; break; }
			pid_t pid = fork();
			if (pid < 0) { perror("sh: fork"); if (pfd[0] >= 0) { close(pfd[0]); close(pfd[1]); } n = k; break; }
			if (pid == 0) {
				restore_signals();
				if (prev >= 0) { dup2(prev, 0); close(prev); }
				if (pfd[1] >= 0) { close(pfd[0]); dup2(pfd[1], 1); close(pfd[1]); }
				run_cmd_child(p->cmds.v[k]);
			}
			pids[k] = pid;
			if (prev >= 0) close(prev);
			if (pfd[1] >= 0) close(pfd[1]);
			prev = pfd[0];
		}
		if (prev >= 0) close(prev);
		st = 1;
		for (int k = 0; k < n; k++) {
			int s = wait_pid(pids[k]);
			if (k == n - 1) st = status_of(s, 1);
		}
	}
	if (p->neg) st = !st;
	return st;
}

static int run_andor(struct andor *a)
{
	int st = run_pipeline(a->pipes.v[0]);
	last_status = st;
	for (int k = 1; k < a->pipes.n; k++) {
		int op = a->ops[k - 1];
		if ((op == T_AND && st != 0) || (op == T_OR && st == 0)) continue;
		st = run_pipeline(a->pipes.v[k]);
		last_status = st;
	}
	return st;
}

static int run_list(struct list *l)
{
	for (int k = 0; k < l->items.n; k++) {
		struct andor *a = l->items.v[k];
		if (l->bg.v[k]) {
			fflush(stdout);
			pid_t pid = fork();
			if (pid < 0) { perror("sh: fork"); last_status = 2; continue; }
			if (pid == 0) {
				in_subshell = 1;
				restore_signals();
				signal(SIGINT, SIG_IGN);
				signal(SIGQUIT, SIG_IGN);
				int fd = open("/dev/null", O_RDONLY);
				if (fd >= 0 && fd != 0) { dup2(fd, 0); close(fd); }
				struct pipeline *only = a->pipes.n == 1 ? a->pipes.v[0] : NULL;
				exec_in_place = only && !only->neg && only->cmds.n == 1;
				int st = run_andor(a);
				fflush(stdout);
				_exit(st);
			}
			last_bg = pid;
			int num = add_job(pid, a->text);
			if (interactive && !in_subshell) fprintf(stderr, "[%d] %d\n", num, (int)pid);
			last_status = 0;
		} else {
			last_status = run_andor(a);
		}
	}
	return last_status;
}

/* ------------------------------------------------------------------ */
/* input                                                                */

struct input {
	int fd;               /* -1: string */
	const char *str;
	size_t spos;
	char buf[4096];
	int bpos, blen;
	int bytewise;         /* read stdin one byte at a time */
};

static int in_getc(struct input *in)
{
	if (in->fd < 0) return in->str[in->spos] ? (unsigned char)in->str[in->spos++] : -1;
	if (in->bpos >= in->blen) {
		ssize_t r;
		do r = read(in->fd, in->buf, in->bytewise ? 1 : sizeof in->buf);
		while (r < 0 && errno == EINTR);
		if (r <= 0) return -1;
		in->bpos = 0;
		in->blen = (int)r;
	}
	return (unsigned char)in->buf[in->bpos++];
}

static int read_line(struct input *in, struct sbuf *b)
{
	int got = 0, c;
	while ((c = in_getc(in)) >= 0) {
		got = 1;
		if (c == 0) continue;
		sb_putc(b, (char)c);
		if (c == '\n') break;
	}
	return got;
}

static int run_input(struct input *in)
{
	struct sbuf cmd = {0};
	for (;;) {
		if (interactive) {
			reap_jobs(1);
			fputs(cmd.len ? "> " : (geteuid() == 0 ? "# " : "$ "), stderr);
		} else reap_jobs(0);
		if (!read_line(in, &cmd)) {
			if (cmd.len && cmd.s[cmd.len - 1] != '\n') {
				/* last line without a newline: try it as is */
				sb_putc(&cmd, '\n');
				struct list *l;
				if (parse(cmd.s, (long)cmd.len, &l) == 0) { run_list(l); afreeall(); cmd.len = 0; break; }
				afreeall();
			}
			if (cmd.len) {
				fputs("sh: syntax error: unexpected end of file\n", stderr);
				last_status = 2;
			}
			break;
		}
		struct list *l;
		int r = parse(cmd.s, (long)cmd.len, &l);
		if (r == 1) { afreeall(); continue; }
		if (r == 2) {
			last_status = 2;
			afreeall();
			cmd.len = 0;
			if (!interactive) break;
			continue;
		}
		run_list(l);
		fflush(stdout);
		afreeall();
		cmd.len = 0;
	}
	free(cmd.s);
	return last_status;
}

static int run_string(const char *s)
{
	struct input *in = xmalloc(sizeof *in);
	memset(in, 0, sizeof *in);
	in->fd = -1;
	in->str = strdup(s);
	interactive = 0;
	return run_input(in);
}

/* ------------------------------------------------------------------ */

int main(int argc, char **argv, char **envp)
{
	shell_pid = getpid();
	for (char **e = envp; *e; e++) {
		char *eq = strchr(*e, '=');
		if (!eq) continue;
		char *name = strndup(*e, eq - *e);
		setvar(name, eq + 1, 1);
		free(name);
	}
	if (!getvar("PATH")) setvar("PATH", "/bin:/sbin", 1);
	{
		char buf[PATH_MAX];
		if (getcwd(buf, sizeof buf)) setvar("PWD", buf, 1);
	}
	if (argv[0]) arg0 = argv[0];

	struct input *in = xmalloc(sizeof *in);
	memset(in, 0, sizeof *in);
	int ai = 1;
	if (ai < argc && !strcmp(argv[ai], "-c")) {
		if (ai + 1 >= argc) { fputs("sh: -c: option requires an argument\n", stderr); return 2; }
		in->fd = -1;
		in->str = argv[ai + 1];
		ai += 2;
		if (ai < argc) { arg0 = argv[ai]; ai++; }
	} else if (ai < argc && strcmp(argv[ai], "-") && strcmp(argv[ai], "-s") && strcmp(argv[ai], "-i")) {
		int fd = open(argv[ai], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "sh: cannot open %s: %s\n", argv[ai], strerror(errno));
			return 127;
		}
		if (fd < 10) {
			int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 10);
			if (nfd >= 0) { close(fd); fd = nfd; }
		}
		in->fd = fd;
		arg0 = argv[ai];
		ai++;
	} else {
		int force = ai < argc && !strcmp(argv[ai], "-i");
		if (ai < argc) ai++;
		in->fd = 0;
		in->bytewise = 1;
		interactive = force || isatty(0);
	}
	posargs = argv + ai;
	nposargs = argc - ai;

	if (interactive) {
		int sigs[] = { SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU };
		for (unsigned k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
			signal(sigs[k], SIG_IGN);
			sig_changed[sigs[k]] = 1;
		}
	}
	int st = run_input(in);
	fflush(stdout);
	return st;
}

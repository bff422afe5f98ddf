/*
 * sed [-n] [-E|-r] [-s] [-i[SUFFIX]] [-e SCRIPT | -f FILE]... [SCRIPT] [FILE...]:
 * the stream editor (XCU sed, with the GNU extensions people rely on: -E, -i,
 * addresses "first~step" and "addr,+N", the I flag, \n in regexps and
 * replacements, a/i/c on one line, T, Q).  Regular expressions are the C
 * library's POSIX BRE/ERE.
 */
#include "common.h"
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { A_NONE, A_LINE, A_LAST, A_RE, A_STEP };
struct addr { int kind; long n, step; regex_t *re; };

struct cmd {
	struct addr a1, a2;
	int naddr, negate;
	int a2_plus;            /* addr,+N */
	char name;
	/* s */
	regex_t *re;
	char *repl;
	int global, nth, print, eflag;
	FILE *wfile;
	/* y */
	unsigned char map[256];
	/* a i c, labels, file names */
	char *text;
	long target;            /* b t T: index of the label's command; { : index of its } */
	int active;             /* a range that has started */
	long range_end;
	int quit_status;
};

static struct cmd *cmds;
static int ncmds, capcmds;
static int quiet, extended, inplace, separate;
static const char *suffix = "";
static regex_t *last_re;
static int status;

static struct { char *s; size_t len, cap; } pat, hold, append_q;
/* The last input line may lack its newline: so does its output, and a newline
 * is owed if anything is printed after it (GNU's output_missing_newline). */
static int cur_nl = 1, owed_nl;

static const char *sp;      /* the script being parsed */
static const char *script_base;

static void die(const char *fmt, const char *arg)
{
	fflush(stdout);
	fprintf(stderr, "sed: -e expression #1, char %d: ", sp && script_base ? (int)(sp - script_base) : 0);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static void buf_set(char **s, size_t *len, size_t *cap, const char *src, size_t n)
{
	if (n + 1 > *cap) { *cap = n + 64; *s = realloc(*s, *cap); }
	memcpy(*s, src, n);
	(*s)[n] = 0;
	*len = n;
}

static void buf_add(char **s, size_t *len, size_t *cap, const char *src, size_t n)
{
	if (*len + n + 1 > *cap) { *cap = (*len + n) * 2 + 64; *s = realloc(*s, *cap); }
	memcpy(*s + *len, src, n);
	*len += n;
	(*s)[*len] = 0;
}

#define PAT_SET(src, n) buf_set(&pat.s, &pat.len, &pat.cap, src, n)
#define PAT_ADD(src, n) buf_add(&pat.s, &pat.len, &pat.cap, src, n)
#define HOLD_SET(src, n) buf_set(&hold.s, &hold.len, &hold.cap, src, n)
#define HOLD_ADD(src, n) buf_add(&hold.s, &hold.len, &hold.cap, src, n)

/* ---- parsing ---- */

static void skip_ws(void) { while (*sp == ' ' || *sp == '\t') sp++; }

/* Reads up to the unescaped delimiter; "\n" becomes a newline, "\delim" the
 * delimiter; other escapes stay for regcomp or the replacement. */
static char *delimited(char delim, int is_re)
{
	size_t cap = 64, n = 0;
	char *out = malloc(cap);
	for (;;) {
		if (!*sp) die("unterminated `s' command%s", "");
		if (*sp == delim) { sp++; break; }
		if (n + 3 > cap) { cap *= 2; out = realloc(out, cap); }
		if (*sp == '\\' && sp[1]) {
			if (sp[1] == delim) { out[n++] = delim; sp += 2; continue; }
			if (sp[1] == 'n') { out[n++] = '\n'; sp += 2; continue; }
			if (sp[1] == 't' && is_re) { out[n++] = '\t'; sp += 2; continue; }
			out[n++] = *sp++;
			out[n++] = *sp++;
			continue;
		}
		if (is_re && *sp == '[') {
			/* A bracket expression may hold the delimiter. */
			const char *p = sp + 1;
			if (*p == '^') p++;
			if (*p == ']') p++;
			while (*p && *p != ']') p++;
			if (*p == ']') {
				size_t len = (size_t)(p - sp + 1);
				while (n + len + 2 > cap) { cap *= 2; out = realloc(out, cap); }
				memcpy(out + n, sp, len);
				n += len;
				sp = p + 1;
				continue;
			}
		}
		out[n++] = *sp++;
	}
	out[n] = 0;
	return out;
}

static regex_t *compile(const char *src, int icase)
{
	if (!*src) {
		if (!last_re) die("no previous regular expression%s", "");
		return last_re;
	}
	regex_t *re = malloc(sizeof *re);
	int err = regcomp(re, src, (extended ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0));
	if (err) {
		char msg[256];
		regerror(err, re, msg, sizeof msg);
		die("%s", msg);
	}
	last_re = re;
	return re;
}

static int parse_addr(struct addr *a)
{
	skip_ws();
	if (*sp >= '0' && *sp <= '9') {
		a->kind = A_LINE;
		a->n = strtol(sp, (char **)&sp, 10);
		if (*sp == '~') {
			a->kind = A_STEP;
			a->step = strtol(sp + 1, (char **)&sp, 10);
		}
		return 1;
	}
	if (*sp == '$') { sp++; a->kind = A_LAST; return 1; }
	if (*sp == '/' || *sp == '\\') {
		char delim = '/';
		if (*sp == '\\') { sp++; delim = *sp; }
		sp++;
		char *re = delimited(delim, 1);
		int icase = 0;
		while (*sp == 'I' || *sp == 'M') { if (*sp == 'I') icase = 1; sp++; }
		a->kind = A_RE;
		a->re = compile(re, icase);
		return 1;
	}
	return 0;
}

static struct cmd *new_cmd(void)
{
	if (ncmds == capcmds) { capcmds = capcmds ? capcmds * 2 : 32; cmds = realloc(cmds, (size_t)capcmds * sizeof *cmds); }
	struct cmd *c = &cmds[ncmds++];
	memset(c, 0, sizeof *c);
	return c;
}

/* Text for a, i, c: "a text", "a\" newline text, with \ continuing lines. */
static char *read_append_text(void)
{
	skip_ws();
	/* "a\" keeps the text's leading blanks; "a text" (GNU's one-liner) does not. */
	if (*sp == '\\') { sp++; if (*sp == '\n') sp++; }
	else skip_ws();
	size_t cap = 64, n = 0;
	char *out = malloc(cap);
	while (*sp && *sp != '\n') {
		if (n + 3 > cap) { cap *= 2; out = realloc(out, cap); }
		if (*sp == '\\' && sp[1]) { sp++; out[n++] = *sp++; continue; }
		out[n++] = *sp++;
	}
	out[n] = 0;
	return out;
}

static char *read_label(void)
{
	skip_ws();
	const char *s = sp;
	while (*sp && *sp != '\n' && *sp != ';' && *sp != '}') sp++;
	size_t n = (size_t)(sp - s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
	return strndup(s, n);
}

static long blocks[64];
static int nblocks;

static void parse_script(const char *script)
{
	sp = script;
	script_base = script;
	for (;;) {
		while (*sp == ' ' || *sp == '\t' || *sp == '\n' || *sp == ';') sp++;
		if (!*sp) break;
		if (*sp == '#') { while (*sp && *sp != '\n') sp++; continue; }
		struct cmd *c = new_cmd();
		if (parse_addr(&c->a1)) {
			c->naddr = 1;
			skip_ws();
			if (*sp == ',') {
				sp++;
				skip_ws();
				if (*sp == '+') { sp++; c->a2.kind = A_LINE; c->a2.n = strtol(sp, (char **)&sp, 10); c->a2_plus = 1; }
				else if (!parse_addr(&c->a2)) die("unexpected `,'%s", "");
				c->naddr = 2;
			}
		}
		skip_ws();
		while (*sp == '!') { c->negate = 1; sp++; skip_ws(); }
		c->name = *sp;
		if (!*sp) die("missing command%s", "");
		sp++;
		switch (c->name) {
		case '{':
			if (nblocks == 64) die("too many {%s", "");
			blocks[nblocks++] = ncmds - 1;
			break;
		case '}':
			if (!nblocks) die("unexpected `}'%s", "");
			cmds[blocks[--nblocks]].target = ncmds - 1;
			break;
		case 's': {
			char delim = *sp++;
			if (!delim || delim == '\n' || delim == '\\') die("unterminated `s' command%s", "");
			char *re = delimited(delim, 1);
			c->repl = delimited(delim, 0);
			int icase = 0;
			for (;;) {
				if (*sp == 'g') { c->global = 1; sp++; }
				else if (*sp == 'p') { c->print = 1; sp++; }
				else if (*sp == 'i' || *sp == 'I') { icase = 1; sp++; }
				else if (*sp == 'e') { c->eflag = 1; sp++; }
				else if (*sp >= '0' && *sp <= '9') c->nth = (int)strtol(sp, (char **)&sp, 10);
				else if (*sp == 'w') {
					sp++;
					char *f = read_label();
					c->wfile = !strcmp(f, "/dev/stdout") ? stdout : fopen(f, "w");
					if (!c->wfile) { fprintf(stderr, "sed: couldn't open file %s: %s\n", f, strerror(errno)); exit(4); }
				} else break;
			}
			c->re = compile(re, icase);
			break;
		}
		case 'y': {
			char delim = *sp++;
			char *a = delimited(delim, 0), *b = delimited(delim, 0);
			for (int k = 0; k < 256; k++) c->map[k] = (unsigned char)k;
			char *pa = a, *pb = b;
			while (*pa && *pb) {
				if (*pa == '\\' && pa[1]) pa++;
				if (*pb == '\\' && pb[1]) pb++;
				c->map[(unsigned char)*pa++] = (unsigned char)*pb++;
			}
			if (*pa || *pb) die("strings for `y' command are different lengths%s", "");
			break;
		}
		case 'a': case 'i': case 'c':
			c->text = read_append_text();
			break;
		case ':':
			c->text = read_label();
			if (!*c->text) die("\":\" lacks a label%s", "");
			break;
		case 'b': case 't': case 'T':
			c->text = read_label();
			break;
		case 'r': case 'w':
			c->text = read_label();
			if (c->name == 'w') {
				c->wfile = fopen(c->text, "w");
				if (!c->wfile) { fprintf(stderr, "sed: couldn't open file %s: %s\n", c->text, strerror(errno)); exit(4); }
			}
			break;
		case 'q': case 'Q': case 'l': case 'L':
			skip_ws();
			if (*sp >= '0' && *sp <= '9') c->quit_status = (int)strtol(sp, (char **)&sp, 10);
			break;
		case 'd': case 'D': case 'p': case 'P': case 'n': case 'N': case 'g': case 'G': case 'h': case 'H':
		case 'x': case '=': case 'z':
			break;
		default: {
			char s[2] = { c->name, 0 };
			die("unknown command: `%s'", s);
		}
		}
		skip_ws();
		if (c->name != '{' && *sp && *sp != ';' && *sp != '\n' && *sp != '}' && *sp != '#') {
			char s[2] = { *sp, 0 };
			die("extra characters after command%s", s[0] ? "" : "");
		}
	}
	if (nblocks) die("unmatched `{'%s", "");
	/* Resolve branch labels. */
	for (int k = 0; k < ncmds; k++) {
		struct cmd *c = &cmds[k];
		if (c->name != 'b' && c->name != 't' && c->name != 'T') continue;
		if (!*c->text) { c->target = ncmds; continue; }
		c->target = -1;
		for (int q = 0; q < ncmds; q++)
			if (cmds[q].name == ':' && !strcmp(cmds[q].text, c->text)) c->target = q;
		if (c->target < 0) { fprintf(stderr, "sed: -e expression #1, char 0: can't find label for jump to `%s'\n", c->text); exit(1); }
	}
}

/* ---- input ---- */

static char **files;
static int nfiles, fileidx;
static FILE *in;
static const char *in_name;
static long lineno;
static char *next_line;
static size_t next_cap;
static ssize_t next_len = -1;
static int next_nl;
static FILE *out;
static char *tmpname;

static int open_next(void)
{
	while (fileidx < nfiles) {
		const char *name = files[fileidx++];
		in_name = name;
		in = strcmp(name, "-") ? fopen(name, "r") : stdin;
		if (!in) { fprintf(stderr, "sed: can't read %s: %s\n", name, strerror(errno)); status = 2; continue; }
		if (inplace) {
			size_t l = strlen(name);
			tmpname = malloc(l + 16);
			snprintf(tmpname, l + 16, "%s.sedtmp", name);
			out = fopen(tmpname, "w");
			if (!out) { fprintf(stderr, "sed: couldn't open temporary file %s: %s\n", tmpname, strerror(errno)); exit(4); }
		}
		return 1;
	}
	return 0;
}

static void finish_file(void)
{
	if (!inplace || !tmpname) return;
	owed_nl = 0;
	fclose(out);
	if (*suffix) {
		char *bak = malloc(strlen(in_name) + strlen(suffix) + 1);
		sprintf(bak, "%s%s", in_name, suffix);
		rename(in_name, bak);
		free(bak);
	}
	rename(tmpname, in_name);
	free(tmpname);
	tmpname = NULL;
	out = stdout;
}

/* Reads ahead one line so that "$" (the last line) is known. */
static void fill(void)
{
	for (;;) {
		if (!in && !open_next()) { next_len = -1; return; }
		next_len = getline(&next_line, &next_cap, in);
		if (next_len >= 0) {
			next_nl = next_len && next_line[next_len - 1] == '\n';
			if (next_nl) next_line[--next_len] = 0;
			return;
		}
		if (in != stdin) fclose(in);
		in = NULL;
		if (inplace || separate) { next_len = -1; return; }
	}
}

static int is_last(void)
{
	if (next_len >= 0) return 0;
	if (inplace || separate) return 1;
	return 1;
}

static int read_line(int append)
{
	if (next_len < 0) {
		if (!(inplace || separate) || fileidx >= nfiles) return 0;
		finish_file();
		fill();
		if (next_len < 0) return 0;
		if (inplace || separate) lineno = lineno;
	}
	if (append) { PAT_ADD("\n", 1); PAT_ADD(next_line, (size_t)next_len); }
	else PAT_SET(next_line, (size_t)next_len);
	cur_nl = next_nl;
	lineno++;
	fill();
	return 1;
}

/* ---- running ---- */

static int match_addr(struct addr *a)
{
	switch (a->kind) {
	case A_LINE: return lineno == a->n;
	case A_LAST: return is_last();
	case A_STEP: return a->step <= 0 ? lineno == a->n : lineno >= a->n && (lineno - a->n) % a->step == 0;
	case A_RE: return regexec(a->re, pat.s ? pat.s : "", 0, NULL, 0) == 0;
	}
	return 0;
}

static int selected(struct cmd *c)
{
	int r;
	if (c->naddr == 0) r = 1;
	else if (c->naddr == 1) r = match_addr(&c->a1);
	else if (c->active) {
		if (c->a2_plus) { r = 1; if (lineno >= c->range_end) c->active = 0; }
		else if (c->a2.kind == A_LINE) { r = lineno <= c->a2.n; if (lineno >= c->a2.n) c->active = 0; if (!r) r = 0; }
		else { r = 1; if (match_addr(&c->a2)) c->active = 0; }
	} else if (match_addr(&c->a1)) {
		r = 1;
		c->active = 1;
		if (c->a2_plus) { c->range_end = lineno + c->a2.n; if (c->a2.n == 0) c->active = 0; }
		else if (c->a2.kind == A_LINE && c->a2.n <= lineno) c->active = 0;
		else if (c->a2.kind == A_LAST && is_last()) c->active = 0;
	} else r = 0;
	return r != c->negate;
}


static void pay_nl(void)
{
	if (owed_nl) { fputc('\n', out); owed_nl = 0; }
}

static void emit(const char *s, size_t n, int nl)
{
	pay_nl();
	fwrite(s, 1, n, out);
	if (nl) {
		if (!cur_nl && is_last()) owed_nl = 1;
		else fputc('\n', out);
	}
}

static void flush_appends(void)
{
	if (append_q.len) { pay_nl(); fwrite(append_q.s, 1, append_q.len, out); append_q.len = 0; }
}

static void list_line(const char *s, size_t n)
{
	int col = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		char buf[8];
		if (c == '\\') strcpy(buf, "\\\\");
		else if (c == '\a') strcpy(buf, "\\a");
		else if (c == '\b') strcpy(buf, "\\b");
		else if (c == '\f') strcpy(buf, "\\f");
		else if (c == '\n') strcpy(buf, "\\n");
		else if (c == '\r') strcpy(buf, "\\r");
		else if (c == '\t') strcpy(buf, "\\t");
		else if (c == '\v') strcpy(buf, "\\v");
		else if (c < 32 || c >= 127) snprintf(buf, sizeof buf, "\\%03o", c);
		else { buf[0] = (char)c; buf[1] = 0; }
		if (col + (int)strlen(buf) > 69) { fputs("\\\n", out); col = 0; }
		fputs(buf, out);
		col += (int)strlen(buf);
	}
	fputs("$\n", out);
}

static int substitute(struct cmd *c)
{
	regmatch_t m[10];
	size_t cap = pat.len * 2 + 64, n = 0;
	char *res = malloc(cap);
	const char *s = pat.s ? pat.s : "";
	size_t off = 0, total = pat.len;
	int count = 0, done = 0;
	while (off <= total) {
		int flags = off ? REG_NOTBOL : 0;
		if (regexec(c->re, s + off, 10, m, flags) != 0) break;
		count++;
		size_t so = off + (size_t)m[0].rm_so, eo = off + (size_t)m[0].rm_eo;
		int take = c->global ? count >= (c->nth ? c->nth : 1) : count == (c->nth ? c->nth : 1);
		size_t need = so - off + (size_t)(eo - so) * 10 + strlen(c->repl) * 4 + 16;
		while (n + need > cap) { cap *= 2; res = realloc(res, cap); }
		if (take) {
			memcpy(res + n, s + off, so - off);
			n += so - off;
			for (const char *r = c->repl; *r; r++) {
				if (*r == '\\' && r[1]) {
					r++;
					if (*r >= '0' && *r <= '9') {
						int g = *r - '0';
						if (m[g].rm_so >= 0) {
							size_t gl = (size_t)(m[g].rm_eo - m[g].rm_so);
							while (n + gl + 16 > cap) { cap *= 2; res = realloc(res, cap); }
							memcpy(res + n, s + off + m[g].rm_so, gl);
							n += gl;
						}
						continue;
					}
					if (*r == 'n') { res[n++] = '\n'; continue; }
					if (*r == 't') { res[n++] = '\t'; continue; }
					res[n++] = *r;
					continue;
				}
				if (*r == '&') {
					while (n + (eo - so) + 16 > cap) { cap *= 2; res = realloc(res, cap); }
					memcpy(res + n, s + so, eo - so);
					n += eo - so;
					continue;
				}
				if (n + 16 > cap) { cap *= 2; res = realloc(res, cap); }
				res[n++] = *r;
			}
			done = 1;
		} else {
			memcpy(res + n, s + off, eo - off);
			n += eo - off;
		}
		if (eo == so) {
			/* An empty match: copy one character and move on. */
			if (so < total) res[n++] = s[so];
			off = so + 1;
		} else off = eo;
		if (!c->global && done) break;
	}
	if (!done) { free(res); return 0; }
	if (off < total) {
		while (n + (total - off) + 1 > cap) { cap *= 2; res = realloc(res, cap); }
		memcpy(res + n, s + off, total - off);
		n += total - off;
	}
	PAT_SET(res, n);
	free(res);
	return 1;
}

int main(int argc, char **argv)
{
	prog = "sed";
	char *script = NULL;
	size_t slen = 0;
	int k = 1, have_script = 0;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		char *a = argv[k];
		if (!strcmp(a, "--")) { k++; break; }
		if (!strcmp(a, "--posix") || !strcmp(a, "--debug")) continue;
		if (!strcmp(a, "--regexp-extended")) { extended = 1; continue; }
		if (!strcmp(a, "--quiet") || !strcmp(a, "--silent")) { quiet = 1; continue; }
		if (!strncmp(a, "--in-place", 10)) { inplace = 1; suffix = a[10] == '=' ? a + 11 : ""; continue; }
		for (char *p = a + 1; *p; p++) {
			if (*p == 'n') quiet = 1;
			else if (*p == 'E' || *p == 'r') extended = 1;
			else if (*p == 's') separate = 1;
			else if (*p == 'u' || *p == 'z') continue;
			else if (*p == 'i') { inplace = 1; suffix = p + 1; break; }
			else if (*p == 'e' || *p == 'f') {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { fprintf(stderr, "sed: option requires an argument -- '%c'\n", *p); return 1; }
				char *text;
				if (*p == 'f') {
					FILE *f = strcmp(v, "-") ? fopen(v, "r") : stdin;
					if (!f) { fprintf(stderr, "sed: couldn't open file %s: %s\n", v, strerror(errno)); return 1; }
					size_t tc = 0;
					text = NULL;
					ssize_t r = getdelim(&text, &tc, 0, f);
					if (r < 0) text = strdup("");
					if (f != stdin) fclose(f);
				} else text = strdup(v);
				size_t tl = strlen(text);
				script = realloc(script, slen + tl + 2);
				memcpy(script + slen, text, tl);
				slen += tl;
				script[slen++] = '\n';
				script[slen] = 0;
				free(text);
				have_script = 1;
				break;
			} else {
				fprintf(stderr, "sed: invalid option -- '%c'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n", *p);
				return 1;
			}
		}
	}
	if (!have_script) {
		if (k >= argc) { fputs("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n", stderr); return 1; }
		script = strdup(argv[k++]);
	}
	parse_script(script);
	static char *stdin_only[] = { "-" };
	files = k < argc ? argv + k : stdin_only;
	nfiles = k < argc ? argc - k : 1;
	if (inplace && k >= argc) { fputs("sed: no input files\n", stderr); return 1; }
	out = stdout;
	fill();
	int quit_now = -1;
	while (quit_now < 0 && read_line(0)) {
		int autoprint = !quiet, tflag = 0;
		long pc = 0;
	restart:
		for (pc = 0; pc < ncmds; pc++) {
			struct cmd *c = &cmds[pc];
			if (c->name == '}' || c->name == ':') continue;
			if (!selected(c)) {
				if (c->name == '{') pc = c->target;
				continue;
			}
			switch (c->name) {
			case '{': break;
			case '=': pay_nl(); fprintf(out, "%ld\n", lineno); break;
			case 'a': buf_add(&append_q.s, &append_q.len, &append_q.cap, c->text, strlen(c->text)); buf_add(&append_q.s, &append_q.len, &append_q.cap, "\n", 1); break;
			case 'i': pay_nl(); fputs(c->text, out); fputc('\n', out); break;
			case 'c':
				if (c->naddr < 2 || !c->active) { pay_nl(); fputs(c->text, out); fputc('\n', out); }
				autoprint = 0;
				goto next_cycle;
			case 'd': autoprint = 0; goto next_cycle;
			case 'D': {
				char *nl = pat.s ? memchr(pat.s, '\n', pat.len) : NULL;
				if (!nl) { autoprint = 0; goto next_cycle; }
				size_t rest = pat.len - (size_t)(nl + 1 - pat.s);
				memmove(pat.s, nl + 1, rest);
				pat.len = rest;
				pat.s[rest] = 0;
				flush_appends();
				goto restart;
			}
			case 'p': emit(pat.s, pat.len, 1); break;
			case 'P': {
				char *nl = memchr(pat.s, '\n', pat.len);
				emit(pat.s, nl ? (size_t)(nl - pat.s) : pat.len, 1);
				break;
			}
			case 'l': list_line(pat.s, pat.len); break;
			case 'n':
				if (!quiet) emit(pat.s, pat.len, 1);
				flush_appends();
				if (!read_line(0)) { autoprint = 0; goto next_cycle; }
				break;
			case 'N':
				flush_appends();
				if (next_len < 0) {
					/* GNU prints the pattern space if there is no next line. */
					goto next_cycle;
				}
				read_line(1);
				break;
			case 'g': PAT_SET(hold.s ? hold.s : "", hold.len); break;
			case 'G': PAT_ADD("\n", 1); PAT_ADD(hold.s ? hold.s : "", hold.len); break;
			case 'h': HOLD_SET(pat.s, pat.len); break;
			case 'H': HOLD_ADD("\n", 1); HOLD_ADD(pat.s, pat.len); break;
			case 'x': {
				char *ts = pat.s; size_t tl = pat.len, tc = pat.cap;
				pat.s = hold.s; pat.len = hold.len; pat.cap = hold.cap;
				hold.s = ts; hold.len = tl; hold.cap = tc;
				if (!pat.s) PAT_SET("", 0);
				break;
			}
			case 'z': PAT_SET("", 0); break;
			case 's':
				if (substitute(c)) {
					tflag = 1;
					if (c->print) emit(pat.s, pat.len, 1);
					if (c->wfile) { fwrite(pat.s, 1, pat.len, c->wfile); fputc('\n', c->wfile); fflush(c->wfile); }
				}
				break;
			case 'y':
				for (size_t q = 0; q < pat.len; q++) pat.s[q] = (char)c->map[(unsigned char)pat.s[q]];
				break;
			case 'b': pc = c->target; break;
			case 't': if (tflag) { tflag = 0; pc = c->target; } break;
			case 'T': if (!tflag) pc = c->target; else tflag = 0; break;
			case 'r': {
				FILE *f = fopen(c->text, "r");
				if (f) {
					char b[4096];
					size_t r;
					while ((r = fread(b, 1, sizeof b, f)) > 0) buf_add(&append_q.s, &append_q.len, &append_q.cap, b, r);
					fclose(f);
				}
				break;
			}
			case 'w': fwrite(pat.s, 1, pat.len, c->wfile); fputc('\n', c->wfile); fflush(c->wfile); break;
			case 'q': quit_now = c->quit_status; goto next_cycle;
			case 'Q': quit_now = c->quit_status; autoprint = 0; goto next_cycle;
			}
		}
	next_cycle:
		if (autoprint) emit(pat.s ? pat.s : "", pat.len, 1);
		flush_appends();
	}
	finish_file();
	fflush(out);
	if (quit_now > 0) return quit_now;
	return status;
}

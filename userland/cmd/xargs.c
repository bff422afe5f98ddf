/* xargs [-0] [-d DELIM] [-n MAX] [-L MAX] [-I REPL] [-r] [-t] [-s SIZE] [CMD [ARG...]]:
 * build and run command lines from standard input, with findutils' quoting rules
 * and exit statuses (123 a command failed, 124 one exited 255, 125 killed,
 * 126 not runnable, 127 not found). */
#include "common.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char **base;
static int nbase;
static int trace, status;
static const char *repl;

static int run(char **items, int n)
{
	int argc = nbase + n;
	char **argv = calloc((size_t)argc + 1, sizeof *argv);
	for (int k = 0; k < nbase; k++) {
		if (repl && n) {
			/* -I: every occurrence of REPL in the initial arguments becomes the line. */
			const char *a = base[k];
			size_t rl = strlen(repl), il = strlen(items[0]);
			size_t cap = strlen(a) + 1, count = 0;
			for (const char *p = strstr(a, repl); p && rl; p = strstr(p + rl, repl)) count++;
			cap += count * il;
			char *s = malloc(cap), *o = s;
			for (const char *p = a; *p;) {
				if (rl && !strncmp(p, repl, rl)) { memcpy(o, items[0], il); o += il; p += rl; }
				else *o++ = *p++;
			}
			*o = 0;
			argv[k] = s;
		} else argv[k] = base[k];
	}
	if (!repl) for (int k = 0; k < n; k++) argv[nbase + k] = items[k];
	else argc = nbase;
	argv[argc] = NULL;
	if (trace) {
		for (int k = 0; k < argc; k++) fprintf(stderr, "%s%s", k ? " " : "", argv[k]);
		fputc('\n', stderr);
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) { warnerr("cannot fork"); return 1; }
	if (pid == 0) {
		execvp(argv[0], argv);
		int e = errno;
		warnx("%s: %s", argv[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	free(argv);
	if (WIFSIGNALED(st)) { warnx("%s: terminated by signal %d", base[0], WTERMSIG(st)); status = 125; return -1; }
	int code = WEXITSTATUS(st);
	if (code == 255) { warnx("%s: exited with status 255; aborting", base[0]); status = 124; return -1; }
	if (code == 126 || code == 127) { status = code; return -1; }
	if (code) status = 123;
	return 0;
}

int main(int argc, char **argv)
{
	prog = "xargs";
	int zero = 0, maxargs = 0, maxlines = 0, noempty = 0, k = 1;
	int delim = -1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		char *p = argv[k] + 1;
		for (; *p; p++) {
			if (*p == '0') { zero = 1; continue; }
			if (*p == 'r') { noempty = 1; continue; }
			if (*p == 't') { trace = 1; continue; }
			if (strchr("nLIdsP", *p)) {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { warnx("option requires an argument -- '%c'", *p); fputs("Try 'xargs --help' for more information.\n", stderr); return 1; }
				if (*p == 'n') maxargs = atoi(v);
				else if (*p == 'L') maxlines = atoi(v);
				else if (*p == 'I') { repl = v; maxlines = 1; }
				else if (*p == 'd') delim = v[0] == '\\' && v[1] == 'n' ? '\n' : v[0] == '\\' && v[1] == 't' ? '\t' : v[0];
				break;
			}
			warnx("invalid option -- '%c'", *p);
			fputs("Try 'xargs --help' for more information.\n", stderr);
			return 1;
		}
	}
	static char *echo_argv[] = { "echo", NULL };
	base = k < argc ? argv + k : echo_argv;
	nbase = k < argc ? argc - k : 1;
	char **items = NULL;
	int n = 0, cap = 0, lines = 0, ran = 0;
	struct sbuf { char *s; size_t len, cap; } cur = { NULL, 0, 0 };
	int c, quote = 0, have = 0;
#define PUTC(ch) do { if (cur.len + 2 > cur.cap) { cur.cap = cur.cap ? cur.cap * 2 : 64; cur.s = realloc(cur.s, cur.cap); } cur.s[cur.len++] = (char)(ch); cur.s[cur.len] = 0; have = 1; } while (0)
	for (;;) {
		c = getchar();
		int end_item = 0, end_line = 0;
		if (c == EOF) {
			if (quote) { warnx("unmatched %s quote; by default quotes are special to xargs unless you use the -0 option", quote == '"' ? "double" : "single"); return 1; }
			end_item = 1;
		} else if (zero || delim >= 0) {
			if (c == (zero ? 0 : delim)) end_item = 1, end_line = 1;
			else PUTC(c);
		} else if (quote) {
			if (c == quote) quote = 0;
			else PUTC(c);
		} else if (c == '\'' || c == '"') { quote = c; have = 1; }
		else if (c == '\\') { int d = getchar(); if (d != EOF) PUTC(d); }
		else if (c == ' ' || c == '\t' || c == '\n') {
			if (repl && c != '\n') { if (have) PUTC(c); continue; }
			end_item = 1;
			end_line = c == '\n';
		} else PUTC(c);
		if (end_item && have) {
			if (n == cap) { cap = cap ? cap * 2 : 64; items = realloc(items, (size_t)cap * sizeof *items); }
			items[n++] = strdup(cur.s ? cur.s : "");
			cur.len = 0;
			have = 0;
		}
		if (end_line && (n || !maxlines)) lines++;
		int full = (maxargs && n >= maxargs) || (maxlines && lines >= maxlines && n);
		if (full || (c == EOF && (n || (!noempty && !ran)))) {
			if (!(c == EOF && !n && (noempty || repl))) {
				if (run(items, n) < 0) return status;
				ran = 1;
			}
			for (int q = 0; q < n; q++) free(items[q]);
			n = 0;
			lines = 0;
		}
		if (c == EOF) break;
	}
	return status;
}

/*
 * vi [FILE]: a small full-screen editor for the raw console, with vi's modes and
 * the commands people use first.
 *
 *   normal   h j k l, arrows, 0 ^ $, w b e, gg G NG, Ctrl-F Ctrl-B, Ctrl-D Ctrl-U
 *            i a I A o O (insert), x X r<c> J ~, dd dw cw cc D C yy yw p P,
 *            u (undo the last change), /re ?re n N (search), . is not kept,
 *            counts (3dd, 5j), ZZ (write and quit)
 *   insert   text, Backspace, Enter, arrows; Esc returns to normal mode
 *   :        :w [FILE]  :q  :q!  :wq  :x  :N (go to line N)  :s/re/text/[g]
 *
 * The screen is redrawn whole after each key (the console is 80x24).
 */
#include "common.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

struct line { char *s; int len, cap; };

static struct line *L;
static int nl, capl;
static int cy, cx;              /* cursor: line, byte */
static int top;                 /* first line on screen */
static int rows = 24, cols = 80;
static int modified;
static char *filename;
static char msg[256];
static char *yank;              /* yanked text; yank_lines: whole lines */
static int yank_lines;
static char *search;
static struct termios saved_tio;

/* Undo: a copy of the whole buffer before the last change. */
static struct line *U;
static int nu, ucy, ucx, have_undo;

static struct sb { char *s; size_t len, cap; } scr;

static void put(const char *s, size_t n)
{
	if (scr.len + n + 1 > scr.cap) { scr.cap = (scr.len + n) * 2 + 256; scr.s = realloc(scr.s, scr.cap); }
	memcpy(scr.s + scr.len, s, n);
	scr.len += n;
}

static void puts_(const char *s) { put(s, strlen(s)); }

static void flush_screen(void)
{
	size_t k = 0;
	while (k < scr.len) { ssize_t w = write(1, scr.s + k, scr.len - k); if (w <= 0) break; k += (size_t)w; }
	scr.len = 0;
}

static void line_ensure(struct line *l, int n)
{
	if (n + 1 > l->cap) { l->cap = n + 32; l->s = realloc(l->s, (size_t)l->cap); }
}

static void insert_line(int at, const char *s, int len)
{
	if (nl == capl) { capl = capl ? capl * 2 : 64; L = realloc(L, (size_t)capl * sizeof *L); }
	memmove(L + at + 1, L + at, (size_t)(nl - at) * sizeof *L);
	L[at].s = NULL;
	L[at].cap = 0;
	line_ensure(&L[at], len);
	memcpy(L[at].s, s, (size_t)len);
	L[at].len = len;
	nl++;
}

static void delete_line(int at)
{
	free(L[at].s);
	memmove(L + at, L + at + 1, (size_t)(nl - at - 1) * sizeof *L);
	nl--;
	if (nl == 0) insert_line(0, "", 0);
}

static void save_undo(void)
{
	for (int k = 0; k < nu; k++) free(U[k].s);
	free(U);
	U = malloc((size_t)nl * sizeof *U);
	for (int k = 0; k < nl; k++) {
		U[k].len = L[k].len;
		U[k].cap = L[k].len + 1;
		U[k].s = malloc((size_t)U[k].cap);
		memcpy(U[k].s, L[k].s, (size_t)L[k].len);
	}
	nu = nl;
	ucy = cy;
	ucx = cx;
	have_undo = 1;
	modified = 1;
}

static void undo(void)
{
	if (!have_undo) { snprintf(msg, sizeof msg, "Already at oldest change"); return; }
	struct line *t = L;
	int tn = nl;
	L = U;
	nl = capl = nu;
	U = t;
	nu = tn;
	int ty = cy, tx = cx;
	cy = ucy;
	cx = ucx;
	ucy = ty;
	ucx = tx;
}

static void load(const char *name)
{
	FILE *f = fopen(name, "r");
	if (!f) {
		insert_line(0, "", 0);
		snprintf(msg, sizeof msg, "\"%s\" [New]", name);
		return;
	}
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	long bytes = 0;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		bytes += len;
		if (len && buf[len - 1] == '\n') len--;
		insert_line(nl, buf, (int)len);
	}
	free(buf);
	fclose(f);
	if (!nl) insert_line(0, "", 0);
	snprintf(msg, sizeof msg, "\"%s\" %dL, %ldB", name, nl, bytes);
}

static int write_file(const char *name)
{
	FILE *f = fopen(name, "w");
	if (!f) { snprintf(msg, sizeof msg, "\"%s\" %s", name, strerror(errno)); return -1; }
	long bytes = 0;
	for (int k = 0; k < nl; k++) {
		fwrite(L[k].s, 1, (size_t)L[k].len, f);
		fputc('\n', f);
		bytes += L[k].len + 1;
	}
	if (fclose(f) != 0) { snprintf(msg, sizeof msg, "\"%s\" %s", name, strerror(errno)); return -1; }
	snprintf(msg, sizeof msg, "\"%s\" %dL, %ldB written", name, nl, bytes);
	modified = 0;
	return 0;
}

/* Screen column of byte x in line y (tabs to the next multiple of 8). */
static int column(int y, int x)
{
	int c = 0;
	for (int k = 0; k < x && k < L[y].len; k++) c = L[y].s[k] == '\t' ? (c / 8 + 1) * 8 : c + 1;
	return c;
}

static void clamp(int insert)
{
	if (cy >= nl) cy = nl - 1;
	if (cy < 0) cy = 0;
	int max = L[cy].len - (insert || !L[cy].len ? 0 : 1);
	if (cx > max) cx = max;
	if (cx < 0) cx = 0;
	if (cy < top) top = cy;
	if (cy >= top + rows - 1) top = cy - rows + 2;
}

static void draw(const char *status)
{
	puts_("\033[?25l\033[H");
	for (int r = 0; r < rows - 1; r++) {
		int y = top + r;
		if (y < nl) {
			int c = 0;
			for (int k = 0; k < L[y].len && c < cols; k++) {
				char ch = L[y].s[k];
				if (ch == '\t') { do { put(" ", 1); c++; } while (c % 8 && c < cols); }
				else if ((unsigned char)ch < 32) { char b[3] = { '^', (char)(ch + 64), 0 }; put(b, 2); c += 2; }
				else { put(&ch, 1); c++; }
			}
		} else puts_("~");
		puts_("\033[K\r\n");
	}
	if (status) puts_(status);
	else {
		puts_(msg);
		char pos[64];
		snprintf(pos, sizeof pos, "%d,%d", cy + 1, cx + 1);
		int pad = cols - 20 - (int)strlen(msg);
		for (int k = 0; k < pad; k++) put(" ", 1);
		puts_(pos);
	}
	puts_("\033[K");
	char mv[32];
	if (status) snprintf(mv, sizeof mv, "\033[%d;%dH", rows, (int)strlen(status) + 1);
	else snprintf(mv, sizeof mv, "\033[%d;%dH", cy - top + 1, column(cy, cx) + 1);
	puts_(mv);
	puts_("\033[?25h");
	flush_screen();
}

static int pushed = -1;     /* a byte read after ESC that was not part of a key */

static int key(void)
{
	unsigned char c;
	if (pushed >= 0) { c = (unsigned char)pushed; pushed = -1; return c; }
	for (;;) {
		ssize_t r = read(0, &c, 1);
		if (r == 1) break;
		if (r < 0 && errno == EINTR) continue;
		return -1;
	}
	if (c != 27) return c;
	/* Arrow keys: ESC [ A..D, ESC [ n ~. A lone ESC has nothing after it. */
	struct termios t;
	tcgetattr(0, &t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 1;
	tcsetattr(0, TCSANOW, &t);
	unsigned char a = 0, b = 0;
	int got = (int)read(0, &a, 1);
	if (got == 1 && (a == '[' || a == 'O')) read(0, &b, 1);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &t);
	if (got != 1) return 27;
	if (a != '[' && a != 'O') { pushed = a; return 27; }
	switch (b) {
	case 'A': return 1000;
	case 'B': return 1001;
	case 'C': return 1002;
	case 'D': return 1003;
	case 'H': return 1004;
	case 'F': return 1005;
	case '3': { unsigned char z; read(0, &z, 1); return 1006; }
	case '1': case '7': { unsigned char z; read(0, &z, 1); return 1004; }
	case '4': case '8': { unsigned char z; read(0, &z, 1); return 1005; }
	}
	return 27;
}

static void insert_char(int c)
{
	struct line *l = &L[cy];
	line_ensure(l, l->len + 1);
	memmove(l->s + cx + 1, l->s + cx, (size_t)(l->len - cx));
	l->s[cx++] = (char)c;
	l->len++;
}

static void split_line(void)
{
	struct line *l = &L[cy];
	insert_line(cy + 1, l->s + cx, l->len - cx);
	L[cy].len = cx;
	cy++;
	cx = 0;
}

static void join_lines(void)
{
	if (cy + 1 >= nl) return;
	struct line *a = &L[cy], *b = &L[cy + 1];
	int start = 0;
	while (start < b->len && (b->s[start] == ' ' || b->s[start] == '\t')) start++;
	line_ensure(a, a->len + 1 + b->len - start);
	cx = a->len;
	if (a->len && b->len - start) a->s[a->len++] = ' ';
	memcpy(a->s + a->len, b->s + start, (size_t)(b->len - start));
	a->len += b->len - start;
	delete_line(cy + 1);
}

static void insert_mode(void)
{
	snprintf(msg, sizeof msg, "-- INSERT --");
	for (;;) {
		clamp(1);
		draw(NULL);
		int c = key();
		if (c < 0 || c == 27) break;
		switch (c) {
		case 127: case 8:
			if (cx > 0) { memmove(L[cy].s + cx - 1, L[cy].s + cx, (size_t)(L[cy].len - cx)); L[cy].len--; cx--; }
			else if (cy > 0) { cy--; cx = L[cy].len; int keep = cx; join_lines(); cx = keep; if (L[cy].len > keep && L[cy].s[keep] == ' ') { memmove(L[cy].s + keep, L[cy].s + keep + 1, (size_t)(L[cy].len - keep - 1)); L[cy].len--; } }
			break;
		case '\r': case '\n': split_line(); break;
		case 1000: cy--; break;
		case 1001: cy++; break;
		case 1002: cx++; break;
		case 1003: cx--; break;
		case 1004: cx = 0; break;
		case 1005: cx = L[cy].len; break;
		case 1006: if (cx < L[cy].len) { memmove(L[cy].s + cx, L[cy].s + cx + 1, (size_t)(L[cy].len - cx - 1)); L[cy].len--; } break;
		default:
			if (c >= 32 || c == '\t') insert_char(c);
		}
	}
	msg[0] = 0;
	if (cx > 0) cx--;
}

static int is_word(int c) { return isalnum(c) || c == '_'; }

static int cls(int y, int x) { if (x >= L[y].len) return 0; int c = (unsigned char)L[y].s[x]; return isspace(c) ? 0 : is_word(c) ? 1 : 2; }

static void word_forward(void)
{
	int c = cls(cy, cx);
	while (cx < L[cy].len && cls(cy, cx) == c && c) cx++;
	for (;;) {
		while (cx < L[cy].len && !cls(cy, cx)) cx++;
		if (cx < L[cy].len || cy + 1 >= nl) break;
		cy++;
		cx = 0;
		if (!L[cy].len) break;
	}
}

static void word_back(void)
{
	for (;;) {
		if (cx == 0) { if (cy == 0) return; cy--; cx = L[cy].len; if (!cx) return; }
		cx--;
		if (cls(cy, cx)) break;
	}
	int c = cls(cy, cx);
	while (cx > 0 && cls(cy, cx - 1) == c) cx--;
}

static void word_end(void)
{
	if (cx < L[cy].len) cx++;
	while (cx < L[cy].len && !cls(cy, cx)) cx++;
	int c = cls(cy, cx);
	while (cx + 1 < L[cy].len && cls(cy, cx + 1) == c) cx++;
}

static void set_yank(const char *s, int n, int lines)
{
	free(yank);
	yank = malloc((size_t)n + 1);
	memcpy(yank, s, (size_t)n);
	yank[n] = 0;
	yank_lines = lines;
}

static void yank_lines_at(int y, int count)
{
	size_t total = 0;
	for (int k = y; k < y + count && k < nl; k++) total += (size_t)L[k].len + 1;
	char *buf = malloc(total + 1), *o = buf;
	for (int k = y; k < y + count && k < nl; k++) { memcpy(o, L[k].s, (size_t)L[k].len); o += L[k].len; *o++ = '\n'; }
	set_yank(buf, (int)(o - buf), 1);
	free(buf);
}

static void paste(int after)
{
	if (!yank) return;
	save_undo();
	if (yank_lines) {
		int at = after ? cy + 1 : cy;
		const char *p = yank;
		int first = at;
		while (*p) {
			const char *e = strchr(p, '\n');
			int len = e ? (int)(e - p) : (int)strlen(p);
			insert_line(at++, p, len);
			p += len + (e ? 1 : 0);
		}
		cy = first;
		cx = 0;
		return;
	}
	if (after && L[cy].len) cx++;
	for (const char *p = yank; *p; p++) insert_char(*p);
	cx--;
}

static int do_search(const char *re, int dir)
{
	regex_t r;
	if (regcomp(&r, re, 0) != 0) { snprintf(msg, sizeof msg, "Invalid pattern: %s", re); return -1; }
	int y = cy, x = cx;
	for (int n = 0; n <= nl; n++) {
		char *tmp = strndup(L[y].s, (size_t)L[y].len);
		regmatch_t m;
		int found = -1;
		if (dir > 0) {
			int from = n == 0 ? x + 1 : 0;
			if (from <= L[y].len && regexec(&r, tmp + from, 1, &m, from ? REG_NOTBOL : 0) == 0) found = from + (int)m.rm_so;
		} else {
			int limit = n == 0 ? x : L[y].len + 1;
			for (int from = 0; from < limit && from <= L[y].len;) {
				if (regexec(&r, tmp + from, 1, &m, from ? REG_NOTBOL : 0) != 0) break;
				int at = from + (int)m.rm_so;
				if (at >= limit) break;
				found = at;
				from = at + 1;
			}
		}
		free(tmp);
		if (found >= 0) { cy = y; cx = found; regfree(&r); return 0; }
		y = (y + dir + nl) % nl;
	}
	regfree(&r);
	snprintf(msg, sizeof msg, "Pattern not found: %s", re);
	return -1;
}

/* Reads a line on the bottom row after prompt c (":" or "/"); NULL if abandoned. */
static char *read_cmdline(char c)
{
	char buf[256];
	int n = 0;
	for (;;) {
		char status[300];
		snprintf(status, sizeof status, "%c%.*s", c, n, buf);
		draw(status);
		int k = key();
		if (k < 0 || k == 27) return NULL;
		if (k == '\r' || k == '\n') break;
		if (k == 127 || k == 8) { if (!n) return NULL; n--; continue; }
		if (k >= 32 && k < 127 && n < 255) buf[n++] = (char)k;
	}
	buf[n] = 0;
	return strdup(buf);
}

static void substitute(const char *cmd, int from, int to)
{
	char delim = cmd[0];
	if (!delim) return;
	char *copy = strdup(cmd + 1);
	char *re = copy, *rep = strchr(re, delim);
	if (!rep) { free(copy); snprintf(msg, sizeof msg, "Substitute pattern incomplete"); return; }
	*rep++ = 0;
	char *flags = strchr(rep, delim);
	if (flags) *flags++ = 0;
	int global = flags && strchr(flags, 'g');
	regex_t r;
	if (regcomp(&r, re, 0) != 0) { free(copy); snprintf(msg, sizeof msg, "Invalid pattern"); return; }
	save_undo();
	int count = 0;
	for (int y = from; y <= to && y < nl; y++) {
		char *s = strndup(L[y].s, (size_t)L[y].len);
		struct sb out = { NULL, 0, 0 };
		int off = 0, changed = 0;
		regmatch_t m;
		while (off <= (int)strlen(s) && regexec(&r, s + off, 1, &m, off ? REG_NOTBOL : 0) == 0) {
			int so = off + (int)m.rm_so, eo = off + (int)m.rm_eo;
			size_t need = (size_t)(so - off) + strlen(rep) + (size_t)(eo - so) + 1;
			if (out.len + need > out.cap) { out.cap = (out.len + need) * 2; out.s = realloc(out.s, out.cap); }
			memcpy(out.s + out.len, s + off, (size_t)(so - off));
			out.len += (size_t)(so - off);
			for (const char *p = rep; *p; p++) {
				if (*p == '&') { memcpy(out.s + out.len, s + so, (size_t)(eo - so)); out.len += (size_t)(eo - so); }
				else { if (*p == '\\' && p[1]) p++; out.s[out.len++] = *p; }
			}
			changed = 1;
			count++;
			off = eo > so ? eo : eo + 1;
			if (eo == so && so < (int)strlen(s)) out.s[out.len++] = s[so];
			if (!global) break;
		}
		if (changed) {
			size_t rest = off < (int)strlen(s) ? strlen(s) - (size_t)off : 0;
			if (out.len + rest + 1 > out.cap) { out.cap = out.len + rest + 1; out.s = realloc(out.s, out.cap); }
			memcpy(out.s + out.len, s + (off < (int)strlen(s) ? off : (int)strlen(s)), rest);
			out.len += rest;
			line_ensure(&L[y], (int)out.len);
			memcpy(L[y].s, out.s, out.len);
			L[y].len = (int)out.len;
		}
		free(out.s);
		free(s);
	}
	regfree(&r);
	if (!count) snprintf(msg, sizeof msg, "Pattern not found: %s", re);
	free(copy);
}

/* Returns 1 to quit. */
static int ex_command(const char *c)
{
	while (*c == ' ') c++;
	if (!*c) return 0;
	if (isdigit((unsigned char)*c) && !strpbrk(c, "s")) { cy = atoi(c) - 1; cx = 0; return 0; }
	if (*c == '%' && c[1] == 's') { substitute(c + 2, 0, nl - 1); return 0; }
	if (*c == 's') { substitute(c + 1, cy, cy); return 0; }
	int force = strchr(c, '!') != NULL;
	char cmd[16];
	int n = 0;
	while (isalpha((unsigned char)*c) && n < 15) cmd[n++] = *c++;
	cmd[n] = 0;
	while (*c == '!' || *c == ' ') c++;
	const char *arg = *c ? c : NULL;
	if (!strcmp(cmd, "w") || !strcmp(cmd, "wq") || !strcmp(cmd, "x")) {
		if (arg && !filename) filename = strdup(arg);
		const char *name = arg ? arg : filename;
		if (!name) { snprintf(msg, sizeof msg, "No file name"); return 0; }
		if (!strcmp(cmd, "x") && !modified) return 1;
		if (write_file(name) < 0) return 0;
		return cmd[1] == 'q' || cmd[0] == 'x';
	}
	if (!strcmp(cmd, "q")) {
		if (modified && !force) { snprintf(msg, sizeof msg, "No write since last change (add ! to override)"); return 0; }
		return 1;
	}
	snprintf(msg, sizeof msg, "Not an editor command: %s", cmd);
	return 0;
}

static void restore(void)
{
	tcsetattr(0, TCSANOW, &saved_tio);
	write(1, "\033[H\033[2J", 7);
}

static void on_signal(int sig) { (void)sig; restore(); _exit(1); }

int main(int argc, char **argv)
{
	prog = "vi";
	if (argc > 2) { warnx("too many arguments"); return 1; }
	if (!isatty(0) || tcgetattr(0, &saved_tio) < 0) { warnx("standard input is not a terminal"); return 1; }
	struct winsize ws;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 2 && ws.ws_col > 20) { rows = ws.ws_row; cols = ws.ws_col; }
	if (argc == 2) { filename = strdup(argv[1]); load(filename); }
	else insert_line(0, "", 0);
	struct termios t = saved_tio;
	t.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(ICRNL | IXON);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &t);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	int count = 0;
	for (;;) {
		clamp(0);
		draw(NULL);
		int c = key();
		if (c < 0) break;
		if ((c >= '1' && c <= '9') || (c == '0' && count)) { count = count * 10 + (c - '0'); continue; }
		int n = count ? count : 1;
		int had_count = count != 0;
		count = 0;
		msg[0] = 0;
		switch (c) {
		case 'h': case 1003: case 127: cx -= n; break;
		case 'l': case ' ': case 1002: cx += n; break;
		case 'j': case 1001: case 14: cy += n; break;
		case 'k': case 1000: case 16: cy -= n; break;
		case '0': case 1004: cx = 0; break;
		case '$': case 1005: cx = L[cy].len; break;
		case '^': cx = 0; while (cx < L[cy].len && isspace((unsigned char)L[cy].s[cx])) cx++; break;
		case 'w': for (int k = 0; k < n; k++) word_forward(); break;
		case 'b': for (int k = 0; k < n; k++) word_back(); break;
		case 'e': for (int k = 0; k < n; k++) word_end(); break;
		case 'G': cy = had_count ? n - 1 : nl - 1; cx = 0; break;
		case 'g': if (key() == 'g') { cy = had_count ? n - 1 : 0; cx = 0; } break;
		case 6: cy += rows - 2; top += rows - 2; if (top > nl - 1) top = nl - 1; break;
		case 2: cy -= rows - 2; top -= rows - 2; if (top < 0) top = 0; break;
		case 4: cy += (rows - 1) / 2; top += (rows - 1) / 2; if (top > nl - 1) top = nl - 1; break;
		case 21: cy -= (rows - 1) / 2; top -= (rows - 1) / 2; if (top < 0) top = 0; break;
		case 12: break;
		case 'i': save_undo(); insert_mode(); break;
		case 'a': save_undo(); if (L[cy].len) cx++; insert_mode(); break;
		case 'I': save_undo(); cx = 0; while (cx < L[cy].len && isspace((unsigned char)L[cy].s[cx])) cx++; insert_mode(); break;
		case 'A': save_undo(); cx = L[cy].len; insert_mode(); break;
		case 'o': save_undo(); insert_line(cy + 1, "", 0); cy++; cx = 0; insert_mode(); break;
		case 'O': save_undo(); insert_line(cy, "", 0); cx = 0; insert_mode(); break;
		case 'x': case 1006:
			if (L[cy].len) {
				save_undo();
				int k = n < L[cy].len - cx ? n : L[cy].len - cx;
				set_yank(L[cy].s + cx, k, 0);
				memmove(L[cy].s + cx, L[cy].s + cx + k, (size_t)(L[cy].len - cx - k));
				L[cy].len -= k;
			}
			break;
		case 'X':
			if (cx) { save_undo(); memmove(L[cy].s + cx - 1, L[cy].s + cx, (size_t)(L[cy].len - cx)); L[cy].len--; cx--; }
			break;
		case 'r': { int r = key(); if (r >= 32 && r < 127 && cx < L[cy].len) { save_undo(); L[cy].s[cx] = (char)r; } break; }
		case '~':
			if (cx < L[cy].len) {
				save_undo();
				char *p = &L[cy].s[cx];
				*p = (char)(islower((unsigned char)*p) ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
				cx++;
			}
			break;
		case 'J': save_undo(); for (int k = 0; k < n; k++) join_lines(); break;
		case 'D': case 'C':
			save_undo();
			set_yank(L[cy].s + cx, L[cy].len - cx, 0);
			L[cy].len = cx;
			if (c == 'C') insert_mode();
			break;
		case 'd': case 'c': case 'y': {
			int m = key();
			if (m == c) {
				if (c != 'y') save_undo();
				yank_lines_at(cy, n);
				if (c == 'y') { snprintf(msg, sizeof msg, "%d line%s yanked", n, n == 1 ? "" : "s"); break; }
				if (c == 'c') {
					for (int k = 1; k < n && cy + 1 < nl; k++) delete_line(cy + 1);
					L[cy].len = 0;
					cx = 0;
					insert_mode();
				} else for (int k = 0; k < n && nl; k++) { delete_line(cy); if (cy >= nl) cy = nl - 1; }
				break;
			}
			if (m == 'w' || m == 'e' || m == '$') {
				int sy = cy, sx = cx;
				if (m == '$') cx = L[cy].len;
				else for (int k = 0; k < n; k++) (m == 'w' && c != 'c') ? word_forward() : word_end();
				int ex = cy == sy ? cx : L[sy].len;
				if (m == 'e' || (m == 'w' && c == 'c')) ex = ex < L[sy].len ? ex + 1 : ex;
				cy = sy;
				cx = sx;
				if (c != 'y') save_undo();
				set_yank(L[cy].s + sx, ex - sx, 0);
				if (c == 'y') break;
				memmove(L[cy].s + sx, L[cy].s + ex, (size_t)(L[cy].len - ex));
				L[cy].len -= ex - sx;
				if (c == 'c') insert_mode();
			}
			break;
		}
		case 'p': paste(1); break;
		case 'P': paste(0); break;
		case 'u': undo(); break;
		case '/': case '?': {
			char *re = read_cmdline((char)c);
			if (re && *re) { free(search); search = re; }
			if (search) do_search(search, c == '/' ? 1 : -1);
			break;
		}
		case 'n': if (search) do_search(search, 1); break;
		case 'N': if (search) do_search(search, -1); break;
		case 'Z':
			if (key() == 'Z') {
				if (!modified || (filename && write_file(filename) == 0)) goto done;
				if (!filename) snprintf(msg, sizeof msg, "No file name");
			}
			break;
		case ':': {
			char *cmd = read_cmdline(':');
			if (cmd && ex_command(cmd)) { free(cmd); goto done; }
			free(cmd);
			break;
		}
		case 27: break;
		default: break;
		}
	}
done:
	restore();
	return 0;
}

/*
 * The shell's line editor, for input from a terminal.  The terminal is put in
 * raw mode (no ICANON, ECHO, ISIG) only while a line is read; the keys are
 * readline's emacs bindings:
 *
 *   Left/Right Ctrl-B/F   move          Home/End Ctrl-A/E   start/end of line
 *   Alt-B/F               word left/right
 *   Backspace Ctrl-H      delete left   Delete Ctrl-D       delete under cursor
 *   Ctrl-K / Ctrl-U       kill to end / to start            Ctrl-W  kill word
 *   Ctrl-Y                yank           Ctrl-L              clear the screen
 *   Up/Down Ctrl-P/N      history        Ctrl-R              reverse search
 *   Tab                   complete a command or path (twice: list them)
 *   Ctrl-C                abandon the line; Ctrl-D on an empty line: end of input
 *
 * Output is kept small: typing at the end of the line echoes just the
 * character, so a session transcript reads like what was typed; other edits
 * redraw the line with "\r", the prompt, the text, ESC[K and a cursor move.
 * History lives in $HISTFILE (default ~/.sh_history), one line per command.
 */
#include "sh.h"
#include "lineedit.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

const char *builtin_name(int n);

#define HISTMAX 500
static char *hist[HISTMAX];
static int nhist;
static int le_fd = -1;
static struct termios cooked;
static int hist_loaded;

/* ---- history ---- */

static const char *hist_file(void)
{
	static char buf[4096];
	const char *f = getvar("HISTFILE");
	if (f) return *f ? f : NULL;
	const char *home = getvar("HOME");
	if (!home) return NULL;
	snprintf(buf, sizeof buf, "%s%s.sh_history", home, home[strlen(home) - 1] == '/' ? "" : "/");
	return buf;
}

static void hist_push(const char *line)
{
	if (nhist == HISTMAX) {
		free(hist[0]);
		memmove(hist, hist + 1, (HISTMAX - 1) * sizeof *hist);
		nhist--;
	}
	hist[nhist++] = xstrdup(line);
}

void history_add(const char *line)
{
	if (!*line || strspn(line, " \t") == strlen(line)) return;
	if (nhist && !strcmp(hist[nhist - 1], line)) return;
	hist_push(line);
	const char *f = hist_file();
	if (!f) return;
	/* A multi-line command is one line of the file: newlines and backslashes are
	 * escaped (\n, \\), and the whole line goes out in one write. */
	struct sbuf b = {0};
	for (const char *p = line; *p; p++) {
		if (*p == '\n') sb_puts(&b, "\\n");
		else if (*p == '\\') sb_puts(&b, "\\\\");
		else sb_putc(&b, *p);
	}
	sb_putc(&b, '\n');
	int fd = open(f, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd >= 0) {
		write(fd, b.s, b.len);
		close(fd);
	}
	free(b.s);
}

void le_history_load(void)
{
	hist_loaded = 1;
	const char *f = hist_file();
	if (!f) return;
	FILE *fp = fopen(f, "re");
	if (!fp) return;
	char buf[4096];
	while (fgets(buf, sizeof buf, fp)) {
		size_t n = strlen(buf);
		if (n && buf[n - 1] == '\n') buf[--n] = 0;
		char *o = buf;
		for (char *p = buf; *p; p++) {
			if (*p == '\\' && p[1] == 'n') { *o++ = '\n'; p++; }
			else if (*p == '\\' && p[1] == '\\') { *o++ = '\\'; p++; }
			else *o++ = *p;
		}
		*o = 0;
		if (*buf) hist_push(buf);
	}
	fclose(fp);
}


void le_history_file_changed(void)
{
	/* The history follows HOME/HISTFILE set by /etc/profile: reload once set. */
	if (!hist_loaded || le_fd < 0) return;
	while (nhist) free(hist[--nhist]);
	le_history_load();
}

void le_history_print(FILE *f)
{
	for (int k = 0; k < nhist; k++) fprintf(f, "%5d  %s\n", k + 1, hist[k]);
}

/* ---- terminal ---- */

int le_init(int fd)
{
	if (tcgetattr(fd, &cooked) < 0) return -1;
	le_fd = fd;
	return 0;
}

static void raw_on(void)
{
	struct termios t;
	if (tcgetattr(le_fd, &cooked) < 0) return;
	t = cooked;
	t.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(IXON | ICRNL | INLCR);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(le_fd, TCSADRAIN, &t);
}

static void raw_off(void) { tcsetattr(le_fd, TCSADRAIN, &cooked); }

static struct sbuf out;

static void emit(const char *s, size_t n) { sb_putn(&out, s, n); }
static void emits(const char *s) { emit(s, strlen(s)); }

static void flush_out(void)
{
	size_t k = 0;
	while (k < out.len) {
		ssize_t w = write(2, out.s + k, out.len - k);
		if (w < 0 && errno == EINTR) continue;
		if (w <= 0) break;
		k += (size_t)w;
	}
	out.len = 0;
}

static int getkey(void)
{
	unsigned char c;
	for (;;) {
		ssize_t r = read(le_fd, &c, 1);
		if (r == 1) return c;
		if (r < 0 && errno == EINTR) continue;
		return -1;
	}
}

static int term_cols(void)
{
	struct winsize ws;
	if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
	return 80;
}

/* ---- the edit state ---- */

struct ed {
	char *buf;
	size_t len, cap, pos;
	const char *prompt;       /* the last line of the prompt (what a redraw repeats) */
	size_t pwidth;            /* its width on screen */
	int crow;                 /* the screen row the cursor is on, counted from the prompt's */
	int hidx;                 /* history position while browsing */
	char *saved;              /* the line being typed before browsing history */
};

static char *killbuf;

static size_t visible_width(const char *s)
{
	size_t w = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '\033') {
			/* ESC [ ... letter: a colour or cursor sequence takes no room. */
			if (p[1] == '[') { p += 2; while (*p && !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))) p++; }
			if (!*p) break;
			continue;
		}
		if (((unsigned char)*p & 0xc0) != 0x80) w++;
	}
	return w;
}

/* Redraws the prompt and the line, which wraps over as many rows as it needs:
 * up to the prompt's row, the text, clear below, then the cursor to its place. */
static void refresh(struct ed *e)
{
	size_t cols = (size_t)term_cols();
	char b[32];
	if (e->crow > 0) { snprintf(b, sizeof b, "\033[%dA", e->crow); emits(b); }
	emits("\r");
	emits(e->prompt);
	emit(e->buf, e->len);
	emits("\033[J");
	size_t total = e->pwidth + e->len, target = e->pwidth + e->pos;
	/* After the text the cursor is at its end; exactly at a row's end it waits for
	 * the wrap, which only a newline makes happen. */
	int row = (int)(total && total % cols == 0 ? total / cols - 1 : total / cols);
	int trow = (int)(target / cols);
	size_t tcol = target % cols;
	if (trow > row) { emits("\r\n"); row++; }
	if (row > trow) { snprintf(b, sizeof b, "\033[%dA", row - trow); emits(b); }
	emits("\r");
	if (tcol) { snprintf(b, sizeof b, "\033[%zuC", tcol); emits(b); }
	e->crow = trow;
	flush_out();
}

static void ensure(struct ed *e, size_t n)
{
	if (e->len + n + 1 > e->cap) {
		while (e->len + n + 1 > e->cap) e->cap = e->cap ? e->cap * 2 : 128;
		e->buf = xrealloc(e->buf, e->cap);
	}
}

static void insert(struct ed *e, const char *s, size_t n)
{
	ensure(e, n);
	memmove(e->buf + e->pos + n, e->buf + e->pos, e->len - e->pos);
	memcpy(e->buf + e->pos, s, n);
	e->len += n;
	e->pos += n;
	e->buf[e->len] = 0;
	if (e->pos == e->len) {
		/* Typing at the end: just echo, and let the terminal wrap long lines. */
		size_t cols = (size_t)term_cols(), total = e->pwidth + e->len;
		emit(s, n);
		flush_out();
		e->crow = (int)((total - 1) / cols);
	} else refresh(e);
}

static void delete_range(struct ed *e, size_t from, size_t to, int save)
{
	if (to <= from) return;
	if (save) {
		free(killbuf);
		killbuf = strndup(e->buf + from, to - from);
	}
	memmove(e->buf + from, e->buf + to, e->len - to);
	e->len -= to - from;
	if (e->pos > to) e->pos -= to - from;
	else if (e->pos > from) e->pos = from;
	e->buf[e->len] = 0;
	refresh(e);
}

static void set_line(struct ed *e, const char *s)
{
	e->len = 0;
	e->pos = 0;
	ensure(e, strlen(s));
	strcpy(e->buf, s);
	e->len = e->pos = strlen(s);
	refresh(e);
}

static void history_move(struct ed *e, int dir)
{
	if (!nhist) return;
	int n = e->hidx + dir;
	if (n < 0 || n > nhist) return;
	if (e->hidx == nhist) { free(e->saved); e->saved = xstrdup(e->buf); }
	e->hidx = n;
	set_line(e, n == nhist ? (e->saved ? e->saved : "") : hist[n]);
}

/* The newest history entry at or before from that contains q, or -1. */
static int hist_find(const char *q, int from)
{
	for (int k = from; k >= 0; k--) if (strstr(hist[k], q)) return k;
	return -1;
}

/* Ctrl-R: incremental search backwards through the history.  Returns 1 if
 * Enter ended it (run the line), 0 to go on editing. */
static int reverse_search(struct ed *e)
{
	struct sbuf q = {0};
	int idx = -1;
	for (;;) {
		emits("\r(reverse-i-search)`");
		if (q.s) emits(q.s);
		emits("': ");
		emits(idx >= 0 ? hist[idx] : "");
		emits("\033[K");
		flush_out();
		int c = getkey();
		if (c == 18) {
			if (q.len && idx > 0) { int k = hist_find(q.s, idx - 1); if (k >= 0) idx = k; }
			continue;
		}
		if (c == 127 || c == 8) {
			if (q.len) q.s[--q.len] = 0;
			idx = q.len ? hist_find(q.s, nhist - 1) : -1;
			continue;
		}
		if (c >= 32) {
			sb_putc(&q, c);
			idx = hist_find(q.s, idx >= 0 ? idx : nhist - 1);
			continue;
		}
		free(q.s);
		if (c == 7 || c == 3) { refresh(e); return 0; }
		set_line(e, idx >= 0 ? hist[idx] : "");
		if (c == '\r' || c == '\n') return 1;
		return 0;
	}
}

/* ---- completion ---- */

struct cands { char **v; int n, cap; };

static void cand_add(struct cands *c, const char *s, int isdir)
{
	for (int k = 0; k < c->n; k++) if (!strcmp(c->v[k], s)) return;
	if (c->n == c->cap) { c->cap = c->cap ? c->cap * 2 : 32; c->v = xrealloc(c->v, c->cap * sizeof *c->v); }
	size_t n = strlen(s);
	char *d = xmalloc(n + 2);
	memcpy(d, s, n);
	d[n] = isdir ? '/' : 0;
	d[n + 1] = 0;
	c->v[c->n++] = d;
}

static int cmpstrp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void complete_files(struct cands *c, const char *word, int exec_only)
{
	const char *slash = strrchr(word, '/');
	char dir[4096];
	const char *base = word;
	if (slash) {
		size_t dl = slash - word + 1;
		if (word[0] == '~' && (word[1] == '/' || slash == word + 1)) {
			const char *home = getvar("HOME");
			snprintf(dir, sizeof dir, "%s%.*s", home ? home : "", (int)(dl - 1), word + 1);
		} else snprintf(dir, sizeof dir, "%.*s", (int)dl, word);
		base = slash + 1;
	} else strcpy(dir, ".");
	DIR *d = opendir(*dir ? dir : "/");
	if (!d) return;
	struct dirent *de;
	size_t bl = strlen(base);
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, base, bl)) continue;
		if (de->d_name[0] == '.' && base[0] != '.') continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		struct stat st;
		int isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		if (exec_only && !isdir && access(path, X_OK) != 0) continue;
		cand_add(c, de->d_name, isdir);
	}
	closedir(d);
}

static void complete_commands(struct cands *c, const char *word)
{
	size_t n = strlen(word);
	for (int k = 0; builtin_name(k); k++)
		if (!strncmp(builtin_name(k), word, n) && builtin_name(k)[0] != '[') cand_add(c, builtin_name(k), 0);
	const char *path = getvar("PATH");
	if (!path) return;
	char *copy = xstrdup(path);
	for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":")) {
		DIR *d = opendir(dir);
		if (!d) continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.' || strncmp(de->d_name, word, n)) continue;
			char p[8192];
			snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
			struct stat st;
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0) cand_add(c, de->d_name, 0);
		}
		closedir(d);
	}
	free(copy);
}

static void complete(struct ed *e, int listing)
{
	size_t ws = e->pos;
	while (ws > 0 && !strchr(" \t;|&<>()", e->buf[ws - 1])) ws--;
	char *word = strndup(e->buf + ws, e->pos - ws);
	size_t p = ws;
	while (p > 0 && (e->buf[p - 1] == ' ' || e->buf[p - 1] == '\t')) p--;
	int cmdpos = p == 0 || strchr(";|&(", e->buf[p - 1]);
	struct cands c = {0};
	if (cmdpos && !strchr(word, '/')) complete_commands(&c, word);
	else complete_files(&c, word, cmdpos);
	const char *base = strrchr(word, '/') ? strrchr(word, '/') + 1 : word;
	size_t bl = strlen(base);
	if (c.n == 1) {
		const char *cand = c.v[0];
		size_t cl = strlen(cand);
		insert(e, cand + bl, cl - bl);
		if (cand[cl - 1] != '/') insert(e, " ", 1);
	} else if (c.n > 1) {
		size_t common = strlen(c.v[0]);
		for (int k = 1; k < c.n; k++) {
			size_t q = 0;
			while (q < common && c.v[k][q] == c.v[0][q]) q++;
			common = q;
		}
		if (common > bl) insert(e, c.v[0] + bl, common - bl);
		else if (listing) {
			qsort(c.v, c.n, sizeof *c.v, cmpstrp);
			size_t w = 0;
			for (int k = 0; k < c.n; k++) if (strlen(c.v[k]) > w) w = strlen(c.v[k]);
			int cols = term_cols() / (int)(w + 2);
			if (cols < 1) cols = 1;
			int rows = (c.n + cols - 1) / cols;
			emits("\n");
			for (int r = 0; r < rows; r++) {
				for (int col = 0; col < cols; col++) {
					int k = col * rows + r;
					if (k >= c.n) continue;
					emits(c.v[k]);
					if (col < cols - 1 && k + rows < c.n)
						for (size_t s = strlen(c.v[k]); s < w + 2; s++) emits(" ");
				}
				emits("\n");
			}
			refresh(e);
		} else {
			emits("\a");
			flush_out();
		}
	} else {
		emits("\a");
		flush_out();
	}
	for (int k = 0; k < c.n; k++) free(c.v[k]);
	free(c.v);
	free(word);
}

/* ---- the loop ---- */

static int is_word_char(int c) { return c && !strchr(" \t/;|&<>()'\"=", c); }

int le_readline(const char *prompt, char **line)
{
	struct ed e;
	memset(&e, 0, sizeof e);
	ensure(&e, 1);
	e.buf[0] = 0;
	const char *nl = strrchr(prompt, '\n');
	e.prompt = nl ? nl + 1 : prompt;
	e.pwidth = visible_width(e.prompt);
	e.hidx = nhist;
	raw_on();
	emits(prompt);
	flush_out();
	int result = 1, last_tab = 0;
	for (;;) {
		int c = getkey();
		int tab = 0;
		if (c < 0) { result = e.len ? 1 : -1; if (e.len) emits("\n"); break; }
		switch (c) {
		case '\r': case '\n':
			if (e.pos != e.len) { e.pos = e.len; refresh(&e); }
			emits("\n");
			goto done;
		case 1: e.pos = 0; refresh(&e); break;                       /* Ctrl-A */
		case 5: e.pos = e.len; refresh(&e); break;                   /* Ctrl-E */
		case 2: if (e.pos) { e.pos--; refresh(&e); } break;          /* Ctrl-B */
		case 6: if (e.pos < e.len) { e.pos++; refresh(&e); } break;  /* Ctrl-F */
		case 3:                                                      /* Ctrl-C */
			e.pos = e.len;
			refresh(&e);
			emits("^C\n");
			result = 0;
			goto done;
		case 4:                                                      /* Ctrl-D */
			if (!e.len) { emits("\n"); result = -1; goto done; }
			delete_range(&e, e.pos, e.pos + (e.pos < e.len), 0);
			break;
		case 127: case 8:
			if (e.pos) delete_range(&e, e.pos - 1, e.pos, 0);
			break;
		case 11: delete_range(&e, e.pos, e.len, 1); break;           /* Ctrl-K */
		case 21: delete_range(&e, 0, e.pos, 1); break;               /* Ctrl-U */
		case 23: {                                                   /* Ctrl-W */
			size_t p = e.pos;
			while (p && (e.buf[p - 1] == ' ' || e.buf[p - 1] == '\t')) p--;
			while (p && e.buf[p - 1] != ' ' && e.buf[p - 1] != '\t') p--;
			delete_range(&e, p, e.pos, 1);
			break;
		}
		case 25: if (killbuf) insert(&e, killbuf, strlen(killbuf)); break;   /* Ctrl-Y */
		case 12: emits("\033[H\033[2J"); emits(prompt); flush_out(); e.crow = 0; refresh(&e); break;
		case 16: history_move(&e, -1); break;                        /* Ctrl-P */
		case 14: history_move(&e, 1); break;                         /* Ctrl-N */
		case 18:                                                     /* Ctrl-R */
			if (reverse_search(&e)) { emits("\n"); goto done; }
			break;
		case 20:                                                     /* Ctrl-T */
			if (e.pos && e.len > 1) {
				if (e.pos == e.len) e.pos--;
				char t = e.buf[e.pos - 1];
				e.buf[e.pos - 1] = e.buf[e.pos];
				e.buf[e.pos] = t;
				e.pos++;
				refresh(&e);
			}
			break;
		case '\t':
			complete(&e, last_tab);
			tab = 1;
			break;
		case 27: {
			int a = getkey();
			if (a == 'b' || a == 'f') {
				if (a == 'b') {
					while (e.pos && !is_word_char(e.buf[e.pos - 1])) e.pos--;
					while (e.pos && is_word_char(e.buf[e.pos - 1])) e.pos--;
				} else {
					while (e.pos < e.len && !is_word_char(e.buf[e.pos])) e.pos++;
					while (e.pos < e.len && is_word_char(e.buf[e.pos])) e.pos++;
				}
				refresh(&e);
				break;
			}
			if (a == 'd') {
				size_t p = e.pos;
				while (p < e.len && !is_word_char(e.buf[p])) p++;
				while (p < e.len && is_word_char(e.buf[p])) p++;
				delete_range(&e, e.pos, p, 1);
				break;
			}
			if (a != '[' && a != 'O') break;
			int b = getkey();
			int num = 0, mod = 0;
			while (b >= '0' && b <= '9') {
				num = num * 10 + (b - '0');
				b = getkey();
				if (b == ';') { b = getkey(); while (b >= '0' && b <= '9') { mod = mod * 10 + (b - '0'); b = getkey(); } }
			}
			if (b == '~') {
				if (num == 1 || num == 7) { e.pos = 0; refresh(&e); }
				else if (num == 4 || num == 8) { e.pos = e.len; refresh(&e); }
				else if (num == 3) delete_range(&e, e.pos, e.pos + (e.pos < e.len), 0);
				break;
			}
			switch (b) {
			case 'A': history_move(&e, -1); break;
			case 'B': history_move(&e, 1); break;
			case 'C':
				if (mod == 5 || mod == 3) {
					while (e.pos < e.len && !is_word_char(e.buf[e.pos])) e.pos++;
					while (e.pos < e.len && is_word_char(e.buf[e.pos])) e.pos++;
				} else if (e.pos < e.len) e.pos++;
				refresh(&e);
				break;
			case 'D':
				if (mod == 5 || mod == 3) {
					while (e.pos && !is_word_char(e.buf[e.pos - 1])) e.pos--;
					while (e.pos && is_word_char(e.buf[e.pos - 1])) e.pos--;
				} else if (e.pos) e.pos--;
				refresh(&e);
				break;
			case 'H': e.pos = 0; refresh(&e); break;
			case 'F': e.pos = e.len; refresh(&e); break;
			}
			break;
		}
		default:
			if (c >= 32) { char ch = (char)c; insert(&e, &ch, 1); }
		}
		last_tab = tab;
	}
done:
	flush_out();
	raw_off();
	free(e.saved);
	if (result == 1) *line = e.buf;
	else free(e.buf);
	return result;
}

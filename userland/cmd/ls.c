/* ls [-laAdhrRtS1F] [--color[=WHEN]] [FILE...]: list directory contents.
 * Names are sorted bytewise (-t by modification time, -S by size, -r reversed).
 * On a terminal the output is in columns, otherwise one name per line;
 * --color=auto colours names on a terminal only (directories blue, executables
 * green, devices yellow, as dircolors' defaults), as the login shell's alias
 * asks.  -l gives the coreutils long format (-h with human sizes); owner and
 * group names come from /etc/passwd and /etc/group, or are numbers.  -R lists
 * subdirectories recursively. */
#include "common.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static int opt_l, opt_a, opt_A, opt_d, opt_1, opt_h, opt_r, opt_R, opt_t, opt_S, opt_F, color;
static int status;
static time_t now;

struct ent { char *name; char *path; struct stat st; int ok; };

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	int r = 0;
	if (opt_t) {
		if (x->st.st_mtim.tv_sec != y->st.st_mtim.tv_sec) r = x->st.st_mtim.tv_sec > y->st.st_mtim.tv_sec ? -1 : 1;
		else if (x->st.st_mtim.tv_nsec != y->st.st_mtim.tv_nsec) r = x->st.st_mtim.tv_nsec > y->st.st_mtim.tv_nsec ? -1 : 1;
	} else if (opt_S && x->st.st_size != y->st.st_size) r = x->st.st_size > y->st.st_size ? -1 : 1;
	if (!r) r = strcmp(x->name, y->name);
	return opt_r ? -r : r;
}

/* The colour of a name (dircolors' defaults), or NULL. */
static const char *color_of(const struct stat *st)
{
	mode_t m = st->st_mode;
	if (S_ISDIR(m)) return (m & S_ISVTX) && (m & S_IWOTH) ? "30;42" : "01;34";
	if (S_ISLNK(m)) return "01;36";
	if (S_ISCHR(m) || S_ISBLK(m)) return "40;33;01";
	if (S_ISFIFO(m)) return "40;33";
	if (S_ISSOCK(m)) return "01;35";
	if (m & S_ISUID) return "37;41";
	if (m & S_ISGID) return "30;43";
	if (S_ISREG(m) && (m & 0111)) return "01;32";
	return NULL;
}

static char classify(const struct stat *st)
{
	mode_t m = st->st_mode;
	return S_ISDIR(m) ? '/' : S_ISLNK(m) ? '@' : S_ISFIFO(m) ? '|' : S_ISSOCK(m) ? '=' : S_ISREG(m) && (m & 0111) ? '*' : 0;
}

/* Prints a name, coloured and classified as asked; returns its width. */
static int put_name(const struct ent *e)
{
	const char *c = color ? color_of(&e->st) : NULL;
	static int reset_done;
	/* coreutils resets the attributes once, before the first coloured name. */
	if (c && !reset_done) { fputs("\033[0m", stdout); reset_done = 1; }
	if (c) printf("\033[%sm%s\033[0m", c, e->name);
	else fputs(e->name, stdout);
	int w = (int)strlen(e->name);
	char f = opt_F ? classify(&e->st) : 0;
	if (f) { putchar(f); w++; }
	return w;
}

/* coreutils' -h: one decimal below 10, rounded up; plain bytes below 1024. */
static void human(unsigned long long v, char *buf, size_t n)
{
	if (v < 1024) { snprintf(buf, n, "%llu", v); return; }
	const char *u = "KMGTPE";
	double d = (double)v;
	int i = -1;
	while (d >= 1024 && i < 5) { d /= 1024; i++; }
	if (d < 10) {
		double up = (double)(unsigned long long)(d * 10);
		if (up < d * 10) up += 1;
		if (up >= 100) snprintf(buf, n, "%.0f%c", up / 10, u[i]);
		else snprintf(buf, n, "%.1f%c", up / 10, u[i]);
	} else {
		unsigned long long whole = (unsigned long long)d;
		if ((double)whole < d) whole++;
		if (whole >= 1024 && i < 5) snprintf(buf, n, "1.0%c", u[i + 1]);
		else snprintf(buf, n, "%llu%c", whole, u[i]);
	}
}

static void mode_str(mode_t m, char *s)
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' :
	       S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int k = 0; k < 9; k++) s[k + 1] = (m & (0400 >> k)) ? rwx[k] : '-';
	if (m & S_ISUID) s[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID) s[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX) s[9] = (m & S_IXOTH) ? 't' : 'T';
	s[10] = 0;
}

static int ndigits(unsigned long long v)
{
	int n = 1;
	while (v >= 10) { v /= 10; n++; }
	return n;
}

static int term_width(void)
{
	struct winsize ws;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
	const char *c = getenv("COLUMNS");
	if (c && atoi(c) > 0) return atoi(c);
	return 80;
}

/* Column widths are computed over e[0..n) and also w[0..nw) (coreutils
 * sizes the columns of the file operands including the directory ones). */
static void print_long(struct ent *e, int n, struct ent *w, int nw)
{
	int wl = 1, wu = 1, wg = 1, ws = 1;
	char (*un)[64] = calloc((size_t)(n + nw) + 1, 64), (*gn)[64] = calloc((size_t)(n + nw) + 1, 64);
	for (int k = 0; k < n + nw; k++) {
		struct stat *s = k < n ? &e[k].st : &w[k - n].st;
		user_name(s->st_uid, un[k], 64);
		group_name(s->st_gid, gn[k], 64);
		int l;
		if ((l = ndigits(s->st_nlink)) > wl) wl = l;
		if ((l = (int)strlen(un[k])) > wu) wu = l;
		if ((l = (int)strlen(gn[k])) > wg) wg = l;
		if (S_ISCHR(s->st_mode) || S_ISBLK(s->st_mode))
			l = ndigits(major(s->st_rdev)) + 2 + ndigits(minor(s->st_rdev));
		else if (opt_h) { char hb[32]; human((unsigned long long)s->st_size, hb, sizeof hb); l = (int)strlen(hb); }
		else l = ndigits((unsigned long long)s->st_size);
		if (l > ws) ws = l;
	}
	static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	for (int k = 0; k < n; k++) {
		struct stat *s = &e[k].st;
		char m[11], sz[48], tm[32];
		mode_str(s->st_mode, m);
		if (S_ISCHR(s->st_mode) || S_ISBLK(s->st_mode))
			snprintf(sz, sizeof sz, "%u, %u", major(s->st_rdev), minor(s->st_rdev));
		else if (opt_h) human((unsigned long long)s->st_size, sz, sizeof sz);
		else snprintf(sz, sizeof sz, "%llu", (unsigned long long)s->st_size);
		struct tm t;
		time_t mt = s->st_mtime;
		gmtime_r(&mt, &t);
		if (mt > now - 15778476 && mt <= now + 3600)    /* within six months */
			snprintf(tm, sizeof tm, "%s %2d %02d:%02d", mon[t.tm_mon], t.tm_mday, t.tm_hour, t.tm_min);
		else
			snprintf(tm, sizeof tm, "%s %2d  %d", mon[t.tm_mon], t.tm_mday, t.tm_year + 1900);
		printf("%s %*lu %-*s %-*s %*s %s ", m, wl, (unsigned long)s->st_nlink,
		       wu, un[k], wg, gn[k], ws, sz, tm);
		put_name(&e[k]);
		if (S_ISLNK(s->st_mode)) {
			char buf[4096];
			ssize_t r = readlink(e[k].path, buf, sizeof buf - 1);
			if (r >= 0) { buf[r] = 0; printf(" -> %s", buf); }
		}
		putchar('\n');
	}
	free(un);
	free(gn);
}

static void print_names(struct ent *e, int n)
{
	if (n == 0) return;
	if (opt_1 || !isatty(1)) {
		for (int k = 0; k < n; k++) { put_name(&e[k]); putchar('\n'); }
		return;
	}
	int width = term_width();
	int *len = malloc(sizeof(int) * (size_t)n);
	for (int k = 0; k < n; k++) len[k] = (int)strlen(e[k].name) + (opt_F && classify(&e[k].st));
	int rows, cols = 1;
	int *cw = malloc(sizeof(int) * (size_t)n);
	for (rows = 1; rows <= n; rows++) {
		cols = (n + rows - 1) / rows;
		int total = 0;
		for (int c = 0; c < cols; c++) {
			cw[c] = 0;
			for (int r = 0; r < rows; r++) {
				int i = c * rows + r;
				if (i < n && len[i] > cw[c]) cw[c] = len[i];
			}
			total += cw[c] + (c < cols - 1 ? 2 : 0);
		}
		if (total <= width) break;
	}
	if (rows > n) rows = n;
	cols = (n + rows - 1) / rows;
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++) {
			int i = c * rows + r;
			if (i >= n) continue;
			int last = c == cols - 1 || (c + 1) * rows + r >= n;
			int w = put_name(&e[i]);
			if (!last) printf("%*s", cw[c] + 2 - w, "");
		}
		putchar('\n');
	}
	free(len);
	free(cw);
}

static void print_list(struct ent *e, int n, struct ent *w, int nw)
{
	if (opt_l) print_long(e, n, w, nw);
	else print_names(e, n);
}

static char *join(const char *dir, const char *name)
{
	size_t l = strlen(dir);
	char *p = malloc(l + strlen(name) + 2);
	sprintf(p, "%s%s%s", dir, l && dir[l - 1] == '/' ? "" : "/", name);
	return p;
}

static void list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) { warnerr("cannot open directory '%s'", path); status = 2; return; }
	int n = 0, cap = 64;
	struct ent *e = malloc(sizeof *e * (size_t)cap);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.') {
			if (!opt_a && !opt_A) continue;
			if (opt_A && (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))) continue;
		}
		if (n == cap) { cap *= 2; e = realloc(e, sizeof *e * (size_t)cap); }
		e[n].name = strdup(de->d_name);
		e[n].path = join(path, de->d_name);
		e[n].ok = 1;
		memset(&e[n].st, 0, sizeof e[n].st);
		if ((opt_l || opt_t || opt_S || opt_R || opt_F || color) && lstat(e[n].path, &e[n].st) < 0) {
			warnerr("cannot access '%s'", e[n].path);
			status = 1;
			free(e[n].name);
			free(e[n].path);
			continue;
		}
		n++;
	}
	closedir(d);
	qsort(e, (size_t)n, sizeof *e, cmp_ent);
	if (opt_l) {
		unsigned long long blocks = 0;
		for (int k = 0; k < n; k++) blocks += (unsigned long long)e[k].st.st_blocks;
		printf("total %llu\n", blocks / 2);
	}
	print_list(e, n, NULL, 0);
	if (opt_R)
		for (int k = 0; k < n; k++)
			if (S_ISDIR(e[k].st.st_mode) && strcmp(e[k].name, ".") && strcmp(e[k].name, "..")) {
				printf("\n%s:\n", e[k].path);
				list_dir(e[k].path);
			}
	for (int k = 0; k < n; k++) { free(e[k].name); free(e[k].path); }
	free(e);
}

int main(int argc, char **argv)
{
	int k = 1;
	prog = "ls";
	now = time(NULL);
	/* No colour unless asked, as coreutils: /etc/profile aliases ls to --color=auto. */
	color = 0;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strncmp(argv[k], "--color", 7)) {
			const char *w = argv[k][7] == '=' ? argv[k] + 8 : "always";
			if (!strcmp(w, "always") || !strcmp(w, "yes") || !strcmp(w, "force")) color = 1;
			else if (!strcmp(w, "never") || !strcmp(w, "no") || !strcmp(w, "none")) color = 0;
			else if (!strcmp(w, "auto") || !strcmp(w, "tty") || !strcmp(w, "if-tty")) color = isatty(1);
			else { warnx("invalid argument '%s' for '--color'", w); return 2; }
			continue;
		}
		for (const char *a = argv[k] + 1; *a; a++) {
			switch (*a) {
			case 'l': opt_l = 1; break;
			case 'a': opt_a = 1; break;
			case 'A': opt_A = 1; break;
			case 'd': opt_d = 1; break;
			case '1': opt_1 = 1; break;
			case 'h': opt_h = 1; break;
			case 'r': opt_r = 1; break;
			case 'R': opt_R = 1; break;
			case 't': opt_t = 1; break;
			case 'S': opt_S = 1; break;
			case 'F': opt_F = 1; break;
			default:
				warnx("invalid option -- '%c'", *a);
				fputs("Try 'ls --help' for more information.\n", stderr);
				return 2;
			}
		}
	}
	char *dot[] = { ".", NULL };
	char **args = k < argc ? argv + k : dot;
	int nargs = k < argc ? argc - k : 1;
	struct ent *files = malloc(sizeof *files * (size_t)nargs);
	struct ent *dirs = malloc(sizeof *dirs * (size_t)nargs);
	int nf = 0, nd = 0;
	for (int i = 0; i < nargs; i++) {
		struct ent e;
		e.name = args[i];
		e.path = args[i];
		int r = opt_l || opt_d ? lstat(args[i], &e.st) : stat(args[i], &e.st);
		if (r < 0 && !opt_l && lstat(args[i], &e.st) == 0) r = 0;
		if (r < 0) { warnerr("cannot access '%s'", args[i]); status = 2; continue; }
		if (S_ISDIR(e.st.st_mode) && !opt_d) dirs[nd++] = e;
		else if (opt_l && S_ISLNK(e.st.st_mode) && !opt_d) {
			struct stat t;
			if (stat(args[i], &t) == 0 && S_ISDIR(t.st_mode) && 0) dirs[nd++] = e;
			else files[nf++] = e;
		} else files[nf++] = e;
	}
	qsort(files, (size_t)nf, sizeof *files, cmp_ent);
	qsort(dirs, (size_t)nd, sizeof *dirs, cmp_ent);
	print_list(files, nf, dirs, nd);
	for (int i = 0; i < nd; i++) {
		if (nf || nd > 1 || status || opt_R) {
			if (nf || i) putchar('\n');
			printf("%s:\n", dirs[i].name);
		}
		list_dir(dirs[i].path);
	}
	if (fflush(stdout)) { warnerr("write error"); return 2; }
	return status;
}

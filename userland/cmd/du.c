/* du [-a] [-s] [-c] [-h] [-k] [-b] [-d N] [FILE...]: disk usage in 1K blocks (or
 * bytes of apparent size with -b), as coreutils counts it: each inode once. */
#include "common.h"
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int all, summary, total, human, bytes;
static long maxdepth = -1;
static int status;
static struct { dev_t dev; ino_t ino; } *seen;
static size_t nseen, capseen;

static int already(const struct stat *st)
{
	if (st->st_nlink < 2 || S_ISDIR(st->st_mode)) return 0;
	for (size_t k = 0; k < nseen; k++) if (seen[k].dev == st->st_dev && seen[k].ino == st->st_ino) return 1;
	if (nseen == capseen) { capseen = capseen ? capseen * 2 : 64; seen = realloc(seen, capseen * sizeof *seen); }
	seen[nseen].dev = st->st_dev;
	seen[nseen++].ino = st->st_ino;
	return 0;
}

static void show(unsigned long long v, const char *path)
{
	if (human) {
		double d = (double)v * (bytes ? 1 : 1024);
		const char *u = "BKMGTP";
		int i = 0;
		while (d >= 1024 && i < 5) { d /= 1024; i++; }
		if (i == 0) printf("%llu\t%s\n", (unsigned long long)d, path);
		else if (d < 10) printf("%.1f%c\t%s\n", d + 0.049999, u[i], path);
		else printf("%.0f%c\t%s\n", d + 0.499999, u[i], path);
	} else printf("%llu\t%s\n", v, path);
}

static unsigned long long size_of(const struct stat *st)
{
	return bytes ? (unsigned long long)st->st_size : ((unsigned long long)st->st_blocks * 512 + 1023) / 1024;
}

static unsigned long long walk(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) < 0) { warnx("cannot access '%s': %s", path, strerror(errno)); status = 1; return 0; }
	if (already(&st)) return 0;
	unsigned long long sum = size_of(&st);
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d) { warnx("cannot read directory '%s': %s", path, strerror(errno)); status = 1; }
		else {
			struct dirent *e;
			while ((e = readdir(d))) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
				char sub[PATH_MAX];
				snprintf(sub, sizeof sub, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
				sum += walk(sub, depth + 1);
			}
			closedir(d);
		}
		if (!summary && (maxdepth < 0 || depth <= maxdepth)) show(sum, path);
	} else if ((all && !summary && (maxdepth < 0 || depth <= maxdepth)) || depth == 0) {
		if (!summary || depth == 0) show(sum, path);
	}
	if (depth == 0 && summary && S_ISDIR(st.st_mode)) show(sum, path);
	return sum;
}

int main(int argc, char **argv)
{
	prog = "du";
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "--apparent-size")) { bytes = 1; continue; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'a') all = 1;
			else if (*p == 's') summary = 1;
			else if (*p == 'c') total = 1;
			else if (*p == 'h') human = 1;
			else if (*p == 'k') human = 0;
			else if (*p == 'b') bytes = 1;
			else if (*p == 'd') {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { warnx("option requires an argument -- 'd'"); return 1; }
				maxdepth = atol(v);
				break;
			} else { warnx("invalid option -- '%c'", *p); fputs("Try 'du --help' for more information.\n", stderr); return 1; }
		}
	}
	unsigned long long grand = 0;
	if (k >= argc) grand += walk(".", 0);
	for (; k < argc; k++) grand += walk(argv[k], 0);
	if (total) show(grand, "total");
	return status;
}

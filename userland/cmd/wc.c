/* wc [-lwc] [FILE...]: count lines, words and bytes (coreutils layout). */
#include "common.h"
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cnt { unsigned long long l, w, c; };

static int count(int fd, struct cnt *n)
{
	static char buf[65536];
	int inword = 0;
	memset(n, 0, sizeof *n);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0) { if (errno == EINTR) continue; return -1; }
		if (r == 0) break;
		n->c += (unsigned long long)r;
		for (ssize_t k = 0; k < r; k++) {
			unsigned char ch = (unsigned char)buf[k];
			if (ch == '\n') n->l++;
			if (isspace(ch)) inword = 0;
			else if (!inword) { inword = 1; n->w++; }
		}
	}
	return 0;
}

static int ol, ow, oc, width;

static void show(const struct cnt *n, const char *name)
{
	const char *sep = "";
	if (ol) { printf("%s%*llu", sep, width, n->l); sep = " "; }
	if (ow) { printf("%s%*llu", sep, width, n->w); sep = " "; }
	if (oc) { printf("%s%*llu", sep, width, n->c); sep = " "; }
	if (name) printf(" %s", name);
	putchar('\n');
}

int main(int argc, char **argv)
{
	int k = 1, st = 0;
	prog = "wc";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (const char *a = argv[k] + 1; *a; a++) {
			if (*a == 'l') ol = 1;
			else if (*a == 'w') ow = 1;
			else if (*a == 'c') oc = 1;
			else { warnx("invalid option -- '%c'", *a); return 1; }
		}
	}
	if (!ol && !ow && !oc) ol = ow = oc = 1;
	int nfiles = argc - k;
	/* field width: digits of the total size of regular files; at least 7
	 * if any input is not a regular file; 1 if only one number is printed */
	unsigned long long total = 0;
	int nonreg = 0;
	if (nfiles == 0) {
		struct stat s;
		if (fstat(0, &s) == 0 && S_ISREG(s.st_mode)) total = (unsigned long long)s.st_size;
		else nonreg = 1;
	}
	for (int i = k; i < argc; i++) {
		struct stat s;
		if (!strcmp(argv[i], "-")) { nonreg = 1; continue; }
		if (stat(argv[i], &s) == 0 && S_ISREG(s.st_mode)) total += (unsigned long long)s.st_size;
		else nonreg = 1;
	}
	width = 1;
	while (total >= 10) { total /= 10; width++; }
	if (nonreg && width < 7) width = 7;
	if (ol + ow + oc == 1 && nfiles <= 1) width = 1;

	struct cnt n, sum = {0, 0, 0};
	if (nfiles == 0) {
		if (count(0, &n) < 0) { warnerr("standard input"); return 1; }
		show(&n, NULL);
		return 0;
	}
	for (; k < argc; k++) {
		int fd = strcmp(argv[k], "-") ? open(argv[k], O_RDONLY) : 0;
		if (fd < 0) { warnerr("%s", argv[k]); st = 1; continue; }
		if (count(fd, &n) < 0) {
			warnerr("%s", argv[k]);
			st = 1;
		}
		if (fd) close(fd);
		show(&n, argv[k]);
		sum.l += n.l; sum.w += n.w; sum.c += n.c;
	}
	if (nfiles > 1) show(&sum, "total");
	return st;
}

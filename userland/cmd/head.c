/* head [-n N | -N] [FILE...]: print the first N (default 10) lines. */
#include "common.h"
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int head_fd(int fd, long long n)
{
	static char buf[65536];
	while (n > 0) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0) { if (errno == EINTR) continue; return -1; }
		if (r == 0) break;
		ssize_t k = 0;
		while (k < r && n > 0) if (buf[k++] == '\n') n--;
		if (write_all(1, buf, (size_t)k) < 0) return -2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long long n = 10;
	int k = 1, st = 0;
	prog = "head";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "--")) { k++; break; }
		if (isdigit((unsigned char)a[1])) { n = atoll(a + 1); continue; }
		if (a[1] == 'n') {
			const char *v = a[2] ? a + 2 : argv[++k];
			char *end;
			if (!v) { warnx("option requires an argument -- 'n'"); return 1; }
			n = strtoll(v, &end, 10);
			if (!*v || *end || n < 0) { warnx("invalid number of lines: '%s'", v); return 1; }
			continue;
		}
		warnx("invalid option -- '%c'", a[1]);
		return 1;
	}
	int nfiles = argc - k;
	if (nfiles == 0) return head_fd(0, n) ? 1 : 0;
	for (int i = k; i < argc; i++) {
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : 0;
		if (fd < 0) { warnerr("cannot open '%s' for reading", argv[i]); st = 1; continue; }
		if (nfiles > 1) printf("%s==> %s <==\n", i > k ? "\n" : "", strcmp(argv[i], "-") ? argv[i] : "standard input");
		fflush(stdout);
		int r = head_fd(fd, n);
		if (r == -1) { warnerr("error reading '%s'", argv[i]); st = 1; }
		if (r == -2) { warnerr("write error"); return 1; }
		if (fd) close(fd);
	}
	return st;
}

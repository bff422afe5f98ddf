/* tail [-n N | -n +N | -N] [FILE...]: print the last N (default 10) lines,
 * or everything from line N with +N.  Reads the whole input into memory. */
#include "common.h"
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long nlines = 10;
static int from_start;

static int tail_fd(int fd)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	if (!buf) return -1;
	for (;;) {
		if (len == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) { free(buf); errno = ENOMEM; return -1; }
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) { if (errno == EINTR) continue; free(buf); return -1; }
		if (r == 0) break;
		len += (size_t)r;
	}
	size_t start = 0;
	if (from_start) {
		long long skip = nlines > 0 ? nlines - 1 : 0;
		while (start < len && skip > 0) if (buf[start++] == '\n') skip--;
	} else {
		size_t i = len;
		long long n = nlines;
		if (i > 0 && buf[i - 1] == '\n') i--;   /* the last line's newline */
		if (n == 0) start = len;
		else {
			while (i > 0) {
				if (buf[i - 1] == '\n' && --n == 0) break;
				i--;
			}
			start = i;
		}
	}
	int rc = write_all(1, buf + start, len - start) < 0 ? -2 : 0;
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	int k = 1, st = 0;
	prog = "tail";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "--")) { k++; break; }
		if (isdigit((unsigned char)a[1])) { nlines = atoll(a + 1); continue; }
		if (a[1] == 'n') {
			const char *v = a[2] ? a + 2 : argv[++k];
			if (!v) { warnx("option requires an argument -- 'n'"); return 1; }
			if (*v == '+') { from_start = 1; v++; }
			else if (*v == '-') v++;
			char *end;
			nlines = strtoll(v, &end, 10);
			if (!*v || *end || nlines < 0) { warnx("invalid number of lines: '%s'", a[2] ? a + 2 : argv[k]); return 1; }
			continue;
		}
		warnx("invalid option -- '%c'", a[1]);
		return 1;
	}
	int nfiles = argc - k;
	if (nfiles == 0) return tail_fd(0) ? 1 : 0;
	for (int i = k; i < argc; i++) {
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : 0;
		if (fd < 0) { warnerr("cannot open '%s' for reading", argv[i]); st = 1; continue; }
		if (nfiles > 1) printf("%s==> %s <==\n", i > k ? "\n" : "", strcmp(argv[i], "-") ? argv[i] : "standard input");
		fflush(stdout);
		int r = tail_fd(fd);
		if (r == -1) { warnerr("error reading '%s'", argv[i]); st = 1; }
		if (r == -2) { warnerr("write error"); return 1; }
		if (fd) close(fd);
	}
	return st;
}

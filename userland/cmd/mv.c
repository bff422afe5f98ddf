/* mv [-f] SRC DST | mv SRC... DIR: rename files.  Across file systems only
 * regular files are moved (copied, then removed). */
#include "common.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int move(const char *src, const char *dst)
{
	struct stat st;
	if (lstat(src, &st) < 0) { warnerr("cannot stat '%s'", src); return -1; }
	if (rename(src, dst) == 0) return 0;
	if (errno != EXDEV || !S_ISREG(st.st_mode)) {
		warnerr("cannot move '%s' to '%s'", src, dst);
		return -1;
	}
	int in = open(src, O_RDONLY);
	if (in < 0) { warnerr("cannot open '%s' for reading", src); return -1; }
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 07777);
	if (out < 0) { warnerr("cannot create regular file '%s'", dst); close(in); return -1; }
	int r = copy_fd(in, out);
	close(in);
	if (close(out) < 0 || r) { warnerr("error writing '%s'", dst); return -1; }
	if (unlink(src) < 0) { warnerr("cannot remove '%s'", src); return -1; }
	return 0;
}

int main(int argc, char **argv)
{
	int k = 1, st = 0;
	prog = "mv";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (strcmp(argv[k], "-f")) { warnx("invalid option -- '%s'", argv[k] + 1); return 1; }
	}
	int n = argc - k;
	if (n < 1) { warnx("missing file operand"); return 1; }
	if (n < 2) { warnx("missing destination file operand after '%s'", argv[k]); return 1; }
	const char *dst = argv[argc - 1];
	struct stat dt;
	int isdir = stat(dst, &dt) == 0 && S_ISDIR(dt.st_mode);
	if (n > 2 && !isdir) { warnx("target '%s' is not a directory", dst); return 1; }
	for (; k < argc - 1; k++) {
		if (!isdir) { if (move(argv[k], dst) < 0) st = 1; continue; }
		char *tmp = strdup(argv[k]);
		size_t l = strlen(tmp);
		while (l > 1 && tmp[l - 1] == '/') tmp[--l] = 0;
		const char *b = strrchr(tmp, '/');
		b = b ? b + 1 : tmp;
		size_t dl = strlen(dst);
		char *t = malloc(dl + strlen(b) + 2);
		sprintf(t, "%s%s%s", dst, dl && dst[dl - 1] == '/' ? "" : "/", b);
		if (move(argv[k], t) < 0) st = 1;
		free(t); free(tmp);
	}
	return st;
}

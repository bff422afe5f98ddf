/* cp [-r] [-f] SRC DST | cp [-r] SRC... DIR: copy files (and trees with -r).
 * Modes are copied; owners and times are not. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive;

static char *join(const char *dir, const char *name)
{
	size_t l = strlen(dir);
	char *p = malloc(l + strlen(name) + 2);
	sprintf(p, "%s%s%s", dir, l && dir[l - 1] == '/' ? "" : "/", name);
	return p;
}

static int copy_file(const char *src, const char *dst, mode_t mode)
{
	int in = open(src, O_RDONLY);
	if (in < 0) { warnerr("cannot open '%s' for reading", src); return -1; }
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
	if (out < 0) { warnerr("cannot create regular file '%s'", dst); close(in); return -1; }
	int r = copy_fd(in, out);
	if (r == -1) warnerr("error reading '%s'", src);
	else if (r == -2) warnerr("error writing '%s'", dst);
	close(in);
	if (close(out) < 0 && r == 0) { warnerr("error writing '%s'", dst); r = -1; }
	return r ? -1 : 0;
}

static int copy_path(const char *src, const char *dst)
{
	struct stat st, dt;
	if (stat(src, &st) < 0) { warnerr("cannot stat '%s'", src); return -1; }
	if (stat(dst, &dt) == 0 && st.st_dev == dt.st_dev && st.st_ino == dt.st_ino) {
		warnx("'%s' and '%s' are the same file", src, dst);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) return copy_file(src, dst, st.st_mode);
	if (!recursive) { warnx("-r not specified; omitting directory '%s'", src); return -1; }
	if (mkdir(dst, st.st_mode & 07777) < 0 && errno != EEXIST) {
		warnerr("cannot create directory '%s'", dst);
		return -1;
	}
	DIR *d = opendir(src);
	if (!d) { warnerr("cannot access '%s'", src); return -1; }
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
		char *s = join(src, de->d_name), *t = join(dst, de->d_name);
		if (copy_path(s, t) < 0) rc = -1;
		free(s); free(t);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int k = 1, st = 0;
	prog = "cp";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (const char *a = argv[k] + 1; *a; a++) {
			if (*a == 'r' || *a == 'R') recursive = 1;
			else if (*a == 'f') ;
			else { warnx("invalid option -- '%c'", *a); return 1; }
		}
	}
	int n = argc - k;
	if (n < 1) { warnx("missing file operand"); return 1; }
	if (n < 2) { warnx("missing destination file operand after '%s'", argv[k]); return 1; }
	const char *dst = argv[argc - 1];
	struct stat dt;
	int isdir = stat(dst, &dt) == 0 && S_ISDIR(dt.st_mode);
	if (n > 2 && !isdir) { warnx("target '%s' is not a directory", dst); return 1; }
	for (; k < argc - 1; k++) {
		if (isdir) {
			char *tmp = strdup(argv[k]);
			size_t l = strlen(tmp);
			while (l > 1 && tmp[l - 1] == '/') tmp[--l] = 0;
			const char *b = strrchr(tmp, '/');
			char *t = join(dst, b ? b + 1 : tmp);
			if (copy_path(argv[k], t) < 0) st = 1;
			free(t); free(tmp);
		} else if (copy_path(argv[k], dst) < 0) st = 1;
	}
	return st;
}

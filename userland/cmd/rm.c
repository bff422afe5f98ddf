/* rm [-r|-R] [-f] FILE...: remove files (and directory trees with -r). */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int force, recursive;

static int remove_path(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT) return 0;
		warnerr("cannot remove '%s'", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0) { warnerr("cannot remove '%s'", path); return -1; }
		return 0;
	}
	if (!recursive) { warnx("cannot remove '%s': Is a directory", path); return -1; }
	DIR *d = opendir(path);
	if (!d) { warnerr("cannot remove '%s'", path); return -1; }
	int rc = 0;
	struct dirent *de;
	size_t plen = strlen(path);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
		char *sub = malloc(plen + strlen(de->d_name) + 2);
		sprintf(sub, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", de->d_name);
		if (remove_path(sub) < 0) rc = -1;
		free(sub);
	}
	closedir(d);
	if (rmdir(path) < 0) { warnerr("cannot remove '%s'", path); return -1; }
	return rc;
}

int main(int argc, char **argv)
{
	int k = 1, st = 0;
	prog = "rm";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (const char *a = argv[k] + 1; *a; a++) {
			if (*a == 'f') force = 1;
			else if (*a == 'r' || *a == 'R') recursive = 1;
			else { warnx("invalid option -- '%c'", *a); return 1; }
		}
	}
	if (k >= argc) {
		if (force) return 0;
		warnx("missing operand");
		return 1;
	}
	for (; k < argc; k++) {
		const char *b = strrchr(argv[k], '/');
		b = b ? b + 1 : argv[k];
		if (!strcmp(b, ".") || !strcmp(b, "..")) {
			warnx("refusing to remove '.' or '..' directory: skipping '%s'", argv[k]);
			st = 1;
			continue;
		}
		if (remove_path(argv[k]) < 0) st = 1;
	}
	return st;
}

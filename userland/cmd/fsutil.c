/* Helpers for the utilities that read whole files or walk directories (ps, top,
 * od, hexdump, chmod -R, chown -R).  Apart from common.c so that programs that need
 * none of them do not carry opendir and stdio's file reading. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int read_text(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	ssize_t r, t = 0;
	while ((size_t)t < n - 1 && (r = read(fd, buf + t, n - 1 - (size_t)t)) > 0) t += r;
	close(fd);
	buf[t] = 0;
	return (int)t;
}

int for_each_entry(const char *path, void (*fn)(const char *))
{
	DIR *d = opendir(path);
	if (!d) return -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
		char sub[PATH_MAX];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		fn(sub);
	}
	closedir(d);
	return 0;
}

unsigned char *read_inputs(char **names, int n, size_t *len, int *status)
{
	unsigned char *data = NULL;
	size_t used = 0, cap = 0;
	for (int q = 0; q < n || q == 0; q++) {
		const char *name = q < n ? names[q] : "-";
		FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
		if (!f) { warnerr("%s", name); *status = 1; continue; }
		int c;
		while ((c = getc(f)) != EOF) {
			if (used == cap) { cap = cap ? cap * 2 : 4096; data = realloc(data, cap); }
			data[used++] = (unsigned char)c;
		}
		if (f != stdin) fclose(f);
	}
	*len = used;
	return data;
}

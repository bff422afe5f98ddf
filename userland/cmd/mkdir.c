/* mkdir [-p] [-m MODE] DIR...: create directories. */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int make_parents(char *path, mode_t mode)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/') continue;
		*p = 0;
		struct stat st;
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			warnerr("cannot create directory '%s'", path);
			*p = '/';
			return -1;
		}
		if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			warnerr("cannot create directory '%s'", path);
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, mode) < 0) {
		struct stat st;
		if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
		warnerr("cannot create directory '%s'", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int parents = 0, st = 0, k;
	mode_t mode = 0777;
	prog = "mkdir";
	for (k = 1; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (const char *a = argv[k] + 1; *a; a++) {
			if (*a == 'p') parents = 1;
			else if (*a == 'm') {
				const char *m = a[1] ? a + 1 : argv[++k];
				if (!m) { warnx("option requires an argument -- 'm'"); return 1; }
				char *end;
				mode = (mode_t)strtoul(m, &end, 8);
				if (*end) { warnx("invalid mode '%s'", m); return 1; }
				break;
			} else { warnx("invalid option -- '%c'", *a); return 1; }
		}
	}
	if (k >= argc) { warnx("missing operand"); return 1; }
	for (; k < argc; k++) {
		if (parents) {
			char *p = strdup(argv[k]);
			size_t l = strlen(p);
			while (l > 1 && p[l - 1] == '/') p[--l] = 0;
			if (make_parents(p, mode) < 0) st = 1;
			free(p);
		} else if (mkdir(argv[k], mode) < 0) {
			warnerr("cannot create directory '%s'", argv[k]);
			st = 1;
		}
	}
	return st;
}

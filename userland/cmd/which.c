/* which [-a] NAME...: the executables PATH would run, as debianutils' which. */
#include "common.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int runnable(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

int main(int argc, char **argv)
{
	prog = "which";
	int all = 0, k = 1, status = 0;
	if (k < argc && !strcmp(argv[k], "-a")) { all = 1; k++; }
	if (k >= argc) return 1;
	const char *path = getenv("PATH");
	if (!path) path = "/bin:/sbin";
	for (; k < argc; k++) {
		const char *name = argv[k];
		int found = 0;
		if (strchr(name, '/')) {
			if (runnable(name)) { puts(name); found = 1; }
		} else {
			const char *p = path;
			for (;;) {
				const char *colon = strchr(p, ':');
				size_t len = colon ? (size_t)(colon - p) : strlen(p);
				char buf[PATH_MAX];
				snprintf(buf, sizeof buf, "%.*s%s%s", (int)len, p, len ? "/" : "./", name);
				if (runnable(buf)) { puts(buf); found = 1; if (!all) break; }
				if (!colon) break;
				p = colon + 1;
			}
		}
		if (!found) status = 1;
	}
	return status;
}

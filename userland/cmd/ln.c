/* ln [-s] [-f] [-v] TARGET LINK_NAME, ln TARGET... DIRECTORY: make hard links (or
 * symbolic ones with -s), with coreutils' messages. */
#include "common.h"
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int symbolic, force, verbose;

static int make_link(const char *target, const char *name)
{
	if (force) unlink(name);
	int r = symbolic ? symlink(target, name) : link(target, name);
	if (r < 0) {
		warnx("failed to create %s link '%s'%s%s%s: %s", symbolic ? "symbolic" : "hard", name,
		      symbolic ? "" : " => '", symbolic ? "" : target, symbolic ? "" : "'", strerror(errno));
		return 1;
	}
	if (verbose) printf("'%s' %s '%s'\n", name, symbolic ? "->" : "=>", target);
	return 0;
}

int main(int argc, char **argv)
{
	prog = "ln";
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 's') symbolic = 1;
			else if (*p == 'f') force = 1;
			else if (*p == 'v') verbose = 1;
			else if (*p != 'n' && *p != 'T') { warnx("invalid option -- '%c'", *p); fputs("Try 'ln --help' for more information.\n", stderr); return 1; }
		}
	}
	int n = argc - k;
	if (n < 1) { warnx("missing file operand"); fputs("Try 'ln --help' for more information.\n", stderr); return 1; }
	const char *last = argv[argc - 1];
	struct stat st;
	int todir = n >= 2 && stat(last, &st) == 0 && S_ISDIR(st.st_mode);
	if (n > 2 && !todir) { warnx("target '%s' is not a directory", last); return 1; }
	if (n == 1 || todir) {
		int status = 0;
		for (int q = k; q < (n == 1 ? argc : argc - 1); q++) {
			char tmp[PATH_MAX], name[PATH_MAX];
			snprintf(tmp, sizeof tmp, "%s", argv[q]);
			snprintf(name, sizeof name, "%s/%s", n == 1 ? "." : last, basename(tmp));
			status |= make_link(argv[q], n == 1 ? basename(tmp) : name);
		}
		return status;
	}
	return make_link(argv[k], last);
}

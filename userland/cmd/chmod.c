/* chmod [-R] [-v] [-c] MODE FILE...: change file modes; MODE is octal or
 * symbolic (u+x,go-w...), as coreutils takes it. */
#include "common.h"
#include "shtools.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int recursive, verbose, changes, status;
static const char *modestr;

static void chmod_one(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) { warnx("cannot access '%s': %s", path, strerror(errno)); status = 1; return; }
	mode_t m = parse_mode(modestr, st.st_mode, S_ISDIR(st.st_mode), 1);
	if (chmod(path, m) < 0) { warnx("changing permissions of '%s': %s", path, strerror(errno)); status = 1; }
	else if (verbose || (changes && (st.st_mode & 07777) != m))
		printf("mode of '%s' %s from %04o to %04o\n", path, (st.st_mode & 07777) != m ? "changed" : "retained as",
		       (unsigned)(st.st_mode & 07777), (unsigned)m);
	if (recursive && S_ISDIR(st.st_mode) && for_each_entry(path, chmod_one) < 0) {
		warnx("cannot read directory '%s': %s", path, strerror(errno));
		status = 1;
	}
}

int main(int argc, char **argv)
{
	prog = "chmod";
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1] && strchr("Rvcf", argv[k][1]); k++)
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'R') recursive = 1;
			else if (*p == 'v') verbose = 1;
			else if (*p == 'c') changes = 1;
			else if (*p != 'f') { warnx("invalid option -- '%c'", *p); fputs("Try 'chmod --help' for more information.\n", stderr); return 1; }
		}
	if (k < argc && !strcmp(argv[k], "--")) k++;
	if (k >= argc) { warnx("missing operand"); fputs("Try 'chmod --help' for more information.\n", stderr); return 1; }
	modestr = argv[k++];
	if (parse_mode(modestr, 0644, 0, 0) == (mode_t)-1) { warnx("invalid mode: '%s'", modestr); fputs("Try 'chmod --help' for more information.\n", stderr); return 1; }
	if (k >= argc) { warnx("missing operand after '%s'", modestr); fputs("Try 'chmod --help' for more information.\n", stderr); return 1; }
	for (; k < argc; k++) chmod_one(argv[k]);
	return status;
}

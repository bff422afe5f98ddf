/* chown [-R] [-v] OWNER[:GROUP] FILE..., chgrp-style ":GROUP" too: change owners
 * by name (from /etc/passwd and /etc/group) or number. */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, verbose, status;
static uid_t uid = (uid_t)-1;
static gid_t gid = (gid_t)-1;

static int find_group(const char *name, gid_t *g)
{
	FILE *f = fopen("/etc/group", "r");
	if (!f) return -1;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		char *c1 = strchr(line, ':');
		if (!c1) continue;
		*c1 = 0;
		if (strcmp(line, name)) continue;
		char *c2 = strchr(c1 + 1, ':');
		if (!c2) continue;
		*g = (gid_t)strtoul(c2 + 1, NULL, 10);
		fclose(f);
		return 0;
	}
	fclose(f);
	return -1;
}

static void chown_one(const char *path)
{
	if (lchown(path, uid, gid) < 0) { warnx("changing ownership of '%s': %s", path, strerror(errno)); status = 1; }
	else if (verbose) printf("ownership of '%s' retained or changed\n", path);
	struct stat st;
	if (recursive && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && for_each_entry(path, chown_one) < 0) {
		warnx("cannot read directory '%s': %s", path, strerror(errno));
		status = 1;
	}
}

int main(int argc, char **argv)
{
	prog = "chown";
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'R') recursive = 1;
			else if (*p == 'v') verbose = 1;
			else if (*p != 'f' && *p != 'h') { warnx("invalid option -- '%c'", *p); fputs("Try 'chown --help' for more information.\n", stderr); return 1; }
		}
	}
	if (k >= argc) { warnx("missing operand"); fputs("Try 'chown --help' for more information.\n", stderr); return 1; }
	char *spec = argv[k++];
	char *colon = strchr(spec, ':');
	if (!colon) colon = strchr(spec, '.');
	if (colon) *colon = 0;
	if (*spec) {
		struct pwent pw;
		char *end;
		unsigned long n = strtoul(spec, &end, 10);
		if (find_user(spec, 0, &pw) == 0) { uid = pw.uid; if (colon && !colon[1]) gid = pw.gid; }
		else if (!*end) uid = (uid_t)n;
		else { warnx("invalid user: '%s%s%s'", spec, colon ? ":" : "", colon ? colon + 1 : ""); return 1; }
	}
	if (colon && colon[1]) {
		char *end;
		unsigned long n = strtoul(colon + 1, &end, 10);
		gid_t g;
		if (find_group(colon + 1, &g) == 0) gid = g;
		else if (!*end) gid = (gid_t)n;
		else { warnx("invalid group: '%s:%s'", spec, colon + 1); return 1; }
	}
	if (k >= argc) { warnx("missing operand after '%s'", argv[k - 1]); fputs("Try 'chown --help' for more information.\n", stderr); return 1; }
	for (; k < argc; k++) chown_one(argv[k]);
	return status;
}

/* df [-h] [-k] [-T] [FILE...]: mounted filesystems from /proc/mounts with
 * statfs(2)'s figures, in coreutils' columns.  Where the kernel cannot tell
 * (no statfs), the figures are '-' as coreutils shows unknown values. */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

static int human, types;

static void num(unsigned long long kb, int known, int width)
{
	char buf[32];
	if (!known) snprintf(buf, sizeof buf, "-");
	else if (human) {
		double v = (double)kb;
		const char *u = "KMGTP";
		int i = 0;
		while (v >= 1024 && i < 4) { v /= 1024; i++; }
		if (kb == 0) snprintf(buf, sizeof buf, "0");
		else if (v < 10) snprintf(buf, sizeof buf, "%.1f%c", v, u[i]);
		else snprintf(buf, sizeof buf, "%.0f%c", v, u[i]);
	} else snprintf(buf, sizeof buf, "%llu", kb);
	printf(" %*s", width, buf);
}

int main(int argc, char **argv)
{
	prog = "df";
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++)
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'h') human = 1;
			else if (*p == 'k') human = 0;
			else if (*p == 'T') types = 1;
			else if (*p != 'a' && *p != 'P') { warnx("invalid option -- '%c'", *p); fputs("Try 'df --help' for more information.\n", stderr); return 1; }
		}
	FILE *f = fopen("/proc/mounts", "r");
	if (!f) { warnerr("/proc/mounts"); return 1; }
	char dev[256], dir[256], type[64];
	int w = human ? 5 : 9;
	printf("%-14s%s %*s %*s %*s Use%% Mounted on\n", "Filesystem", types ? " Type    " : "", w, human ? "Size" : "1K-blocks",
	       w, "Used", w, human ? "Avail" : "Available");
	int status = 0;
	while (fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3) {
		if (k < argc) {
			/* Only the filesystems holding the given files (the longest matching mount). */
			int match = 0;
			for (int q = k; q < argc; q++) {
				struct stat a, b;
				if (stat(argv[q], &a) == 0 && stat(dir, &b) == 0 && a.st_dev == b.st_dev) match = 1;
			}
			if (!match) continue;
		}
		struct statfs s;
		int known = statfs(dir, &s) == 0;
		unsigned long long bs = known ? (unsigned long long)s.f_bsize : 0;
		unsigned long long total = known ? s.f_blocks * bs / 1024 : 0, freek = known ? s.f_bfree * bs / 1024 : 0;
		unsigned long long avail = known ? s.f_bavail * bs / 1024 : 0, used = total - freek;
		printf("%-14s", dev);
		if (types) printf(" %-8s", type);
		num(total, known, w);
		num(used, known, w);
		num(avail, known, w);
		if (known && total) printf(" %3llu%%", (used * 100 + (used + avail) - 1) / (used + avail ? used + avail : 1));
		else printf("    -");
		printf(" %s\n", dir);
	}
	fclose(f);
	return status;
}

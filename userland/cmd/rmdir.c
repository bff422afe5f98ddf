/* rmdir [-p] DIR...: remove empty directories. */
#include "common.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int parents = 0, st = 0, k = 1;
	prog = "rmdir";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "-p")) parents = 1;
		else { warnx("invalid option -- '%s'", argv[k] + 1); return 1; }
	}
	if (k >= argc) { warnx("missing operand"); return 1; }
	for (; k < argc; k++) {
		if (rmdir(argv[k]) < 0) { warnerr("failed to remove '%s'", argv[k]); st = 1; continue; }
		if (!parents) continue;
		char *p = strdup(argv[k]);
		for (;;) {
			char *s = strrchr(p, '/');
			while (s && s > p && s[1] == 0) { *s = 0; s = strrchr(p, '/'); }
			if (!s || s == p) break;
			*s = 0;
			if (rmdir(p) < 0) { warnerr("failed to remove '%s'", p); st = 1; break; }
		}
		free(p);
	}
	return st;
}

/* touch FILE...: create files or set their times to now. */
#include "common.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st = 0, k = 1, nocreate = 0;
	prog = "touch";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "-c")) nocreate = 1;
		else { warnx("invalid option -- '%s'", argv[k] + 1); return 1; }
	}
	if (k >= argc) { warnx("missing file operand"); return 1; }
	for (; k < argc; k++) {
		if (utimensat(AT_FDCWD, argv[k], NULL, 0) == 0) continue;
		if (errno != ENOENT) { warnerr("setting times of '%s'", argv[k]); st = 1; continue; }
		if (nocreate) continue;
		int fd = open(argv[k], O_WRONLY | O_CREAT, 0666);
		if (fd < 0) { warnerr("cannot touch '%s'", argv[k]); st = 1; continue; }
		close(fd);
	}
	return st;
}

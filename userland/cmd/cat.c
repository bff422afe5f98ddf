/* cat [FILE...]: concatenate files ("-" or none: stdin) to stdout. */
#include "common.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st = 0;
	prog = "cat";
	int k = 1;
	if (k < argc && !strcmp(argv[k], "--")) k++;
	if (k >= argc) {
		if (copy_fd(0, 1) < 0) { warnerr("-"); return 1; }
		return 0;
	}
	for (; k < argc; k++) {
		const char *name = argv[k];
		int fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0;
		if (fd < 0) { warnerr("%s", name); st = 1; continue; }
		int r = copy_fd(fd, 1);
		if (r == -1) {
			if (errno == EISDIR) warnx("%s: Is a directory", name);
			else warnerr("%s", name);
			st = 1;
		} else if (r == -2) { warnerr("write error"); return 1; }
		if (fd) close(fd);
	}
	return st;
}

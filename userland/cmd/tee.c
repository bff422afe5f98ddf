/* tee [-a] [-i] [FILE...]: copy stdin to stdout and to each file. */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	prog = "tee";
	int append = 0, k = 1, status = 0;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'a') append = 1;
			else if (*p == 'i') signal(SIGINT, SIG_IGN);
			else { warnx("invalid option -- '%c'", *p); fputs("Try 'tee --help' for more information.\n", stderr); return 1; }
		}
	}
	int n = argc - k;
	int *fds = calloc((size_t)n + 1, sizeof *fds);
	for (int q = 0; q < n; q++) {
		fds[q] = open(argv[k + q], O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
		if (fds[q] < 0) { warnerr("%s", argv[k + q]); status = 1; }
	}
	static char buf[65536];
	for (;;) {
		ssize_t r = read(0, buf, sizeof buf);
		if (r < 0) { warnerr("read error"); status = 1; break; }
		if (r == 0) break;
		if (write_all(1, buf, (size_t)r) < 0) { warnerr("standard output"); status = 1; }
		for (int q = 0; q < n; q++)
			if (fds[q] >= 0 && write_all(fds[q], buf, (size_t)r) < 0) { warnerr("%s", argv[k + q]); close(fds[q]); fds[q] = -1; status = 1; }
	}
	for (int q = 0; q < n; q++) if (fds[q] >= 0 && close(fds[q]) < 0) { warnerr("%s", argv[k + q]); status = 1; }
	return status;
}

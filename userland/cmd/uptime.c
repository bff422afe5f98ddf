/* uptime: the time, how long the system has run, and the load (procps format).
 * Times come from /proc/uptime and the clock; the load average is not kept by
 * the kernel, so it reads 0.00. */
#include "common.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	prog = "uptime";
	FILE *f = fopen("/proc/uptime", "r");
	double up = 0;
	if (!f || fscanf(f, "%lf", &up) != 1) { warnerr("/proc/uptime"); return 1; }
	fclose(f);
	long secs = (long)up;
	if (argc > 1 && !strcmp(argv[1], "-p")) {
		long d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60;
		printf("up");
		if (d) printf(" %ld day%s%s", d, d == 1 ? "" : "s", h || m ? "," : "");
		if (h) printf(" %ld hour%s%s", h, h == 1 ? "" : "s", m ? "," : "");
		if (m || (!d && !h)) printf(" %ld minute%s", m, m == 1 ? "" : "s");
		putchar('\n');
		return 0;
	}
	time_t now = time(NULL);
	struct tm t;
	localtime_r(&now, &t);
	printf(" %02d:%02d:%02d up ", t.tm_hour, t.tm_min, t.tm_sec);
	long d = secs / 86400;
	if (d) printf("%ld day%s, ", d, d == 1 ? "" : "s");
	long h = secs / 3600 % 24, m = secs / 60 % 60;
	if (h) printf("%2ld:%02ld, ", h, m);
	else printf("%ld min, ", m);
	printf(" 0 users,  load average: 0.00, 0.00, 0.00\n");
	return 0;
}

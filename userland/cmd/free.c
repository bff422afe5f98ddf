/* free [-b|-k|-m|-g|-h]: memory use from /proc/meminfo, in procps' layout. */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long field(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	return p ? strtol(p + strlen(name), NULL, 10) : 0;
}

static void show(long kb, int unit)
{
	if (unit == 'h') {
		const char *u = "KMGT";
		double v = (double)kb;
		int i = 0;
		while (v >= 1024 && i < 3) { v /= 1024; i++; }
		char buf[32];
		if (i == 0) snprintf(buf, sizeof buf, "%ldK", kb);
		else snprintf(buf, sizeof buf, v < 10 ? "%.1f%ci" : "%.0f%ci", v, u[i]);
		printf(" %11s", buf);
		return;
	}
	long v = unit == 'b' ? kb * 1024 : unit == 'm' ? kb / 1024 : unit == 'g' ? kb / (1024 * 1024) : kb;
	printf(" %11ld", v);
}

int main(int argc, char **argv)
{
	prog = "free";
	int unit = 'k';
	for (int k = 1; k < argc; k++) {
		if (argv[k][0] == '-' && strchr("bkmgh", argv[k][1]) && !argv[k][2]) unit = argv[k][1];
		else { warnx("invalid option -- '%s'", argv[k] + (argv[k][0] == '-')); return 1; }
	}
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f) { warnerr("/proc/meminfo"); return 1; }
	char text[4096];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = 0;
	fclose(f);
	long total = field(text, "MemTotal:"), fr = field(text, "MemFree:");
	long buffers = field(text, "Buffers:"), cached = field(text, "Cached:");
	long shared = field(text, "Shmem:"), avail = field(text, "MemAvailable:");
	long swap = field(text, "SwapTotal:"), swapfree = field(text, "SwapFree:");
	if (!avail) avail = fr + cached;
	long used = total - fr - buffers - cached;
	if (used < 0) used = total - fr;
	printf("               total        used        free      shared  buff/cache   available\n");
	printf("Mem:   ");
	show(total, unit); show(used, unit); show(fr, unit); show(shared, unit); show(buffers + cached, unit); show(avail, unit);
	printf("\nSwap:  ");
	show(swap, unit); show(swap - swapfree, unit); show(swapfree, unit);
	putchar('\n');
	return 0;
}

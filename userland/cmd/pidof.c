/* pidof NAME...: the pids of the processes whose name (/proc/PID/status "Name:") is
 * one of the NAMEs, highest first, on one line, as procps' pidof prints them. Status 1
 * if none matched. */
#include "common.h"
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int name_of(int pid, char *name, size_t n)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0) return -1;
	ssize_t r = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (r <= 5 || strncmp(buf, "Name:", 5)) return -1;
	buf[r] = 0;
	char *s = buf + 5;
	while (*s == ' ' || *s == '\t') s++;
	size_t k = 0;
	while (s[k] && s[k] != '\n' && k < n - 1) { name[k] = s[k]; k++; }
	name[k] = 0;
	return 0;
}

static int by_pid_desc(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

int main(int argc, char **argv)
{
	prog = "pidof";
	if (argc < 2) { fprintf(stderr, "usage: pidof NAME...\n"); return 2; }
	DIR *d = opendir("/proc");
	if (!d) { warnerr("/proc"); return 1; }
	int pids[1024], count = 0;
	struct dirent *e;
	while ((e = readdir(d)) && count < 1024) {
		if (!isdigit((unsigned char)e->d_name[0])) continue;
		int pid = atoi(e->d_name);
		char name[64];
		if (name_of(pid, name, sizeof name) < 0) continue;
		for (int k = 1; k < argc; k++)
			if (!strcmp(name, argv[k])) { pids[count++] = pid; break; }
	}
	closedir(d);
	qsort(pids, (size_t)count, sizeof pids[0], by_pid_desc);
	for (int k = 0; k < count; k++) printf("%s%d", k ? " " : "", pids[k]);
	if (count) putchar('\n');
	return count ? 0 : 1;
}

/* ps [-e|-A|ax]: list processes from /proc/PID/stat (or /proc/PID/status).
 * Default: processes of the caller's effective uid on the caller's tty,
 * like procps.  Output:  "  PID TTY          TIME CMD". */
#include "common.h"
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct proc { int pid; char comm[64]; int tty; unsigned long long ticks; int uid; };

/* Fill p from /proc/PID/stat, else /proc/PID/status; 0 on success. */
static int read_proc(int pid, struct proc *p)
{
	char path[64], buf[4096];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->uid = -1;
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	int have_status = read_text(path, buf, sizeof buf) >= 0;
	if (have_status) {
		char *l = strstr(buf, "\nUid:");
		if (l) p->uid = atoi(l + 5);
		if (!strncmp(buf, "Name:", 5)) {
			char *s = buf + 5;
			while (*s == ' ' || *s == '\t') s++;
			size_t k = 0;
			while (s[k] && s[k] != '\n' && k < sizeof p->comm - 1) { p->comm[k] = s[k]; k++; }
			p->comm[k] = 0;
		}
	}
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_text(path, buf, sizeof buf) > 0) {
		char *open = strchr(buf, '('), *close = strrchr(buf, ')');
		if (open && close && close > open) {
			size_t k = (size_t)(close - open - 1);
			if (k > sizeof p->comm - 1) k = sizeof p->comm - 1;
			memcpy(p->comm, open + 1, k);
			p->comm[k] = 0;
			/* fields after ")": 3 state, 4 ppid, 5 pgrp, 6 session, 7 tty_nr,
			 * ..., 14 utime, 15 stime */
			char *f = close + 1;
			unsigned long long v[16] = {0};
			int field = 3;
			while (*f && field <= 15) {
				while (*f == ' ') f++;
				if (!*f) break;
				if (field >= 4) v[field] = strtoull(f, NULL, 10);
				while (*f && *f != ' ') f++;
				field++;
			}
			p->tty = (int)v[7];
			p->ticks = v[14] + v[15];
		}
		return 0;
	}
	return have_status ? 0 : -1;
}

static void tty_name(int tty, char *buf, size_t n)
{
	unsigned maj = ((unsigned)tty >> 8) & 0xfff, min = ((unsigned)tty & 0xff) | (((unsigned)tty >> 12) & 0xfff00);
	if (tty == 0) snprintf(buf, n, "?");
	else if (maj == 4 && min < 64) snprintf(buf, n, "tty%u", min);
	else if (maj == 4) snprintf(buf, n, "ttyS%u", min - 64);
	else if (maj >= 136 && maj <= 143) snprintf(buf, n, "pts/%u", (maj - 136) * 256 + min);
	else if (maj == 5 && min == 1) snprintf(buf, n, "console");
	else snprintf(buf, n, "?");
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
	int all = 0;
	prog = "ps";
	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "-e") || !strcmp(a, "-A") || !strcmp(a, "ax") || !strcmp(a, "aux") || !strcmp(a, "-ef"))
			all = 1;
		else { warnx("unsupported option '%s'", a); return 1; }
	}
	DIR *d = opendir("/proc");
	if (!d) { fprintf(stderr, "ps: /proc not mounted\n"); return 1; }
	int n = 0, cap = 64;
	int *pids = malloc(sizeof(int) * (size_t)cap);
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *s = de->d_name;
		if (!isdigit((unsigned char)*s)) continue;
		while (isdigit((unsigned char)*s)) s++;
		if (*s) continue;
		if (n == cap) { cap *= 2; pids = realloc(pids, sizeof(int) * (size_t)cap); }
		pids[n++] = atoi(de->d_name);
	}
	closedir(d);
	struct proc self;
	if (n == 0 || read_proc(getpid(), &self) < 0) {
		fprintf(stderr, "ps: /proc not mounted\n");
		return 1;
	}
	qsort(pids, (size_t)n, sizeof(int), cmp_int);
	int euid = (int)geteuid();
	printf("  PID TTY          TIME CMD\n");
	for (int k = 0; k < n; k++) {
		struct proc p;
		if (read_proc(pids[k], &p) < 0) continue;   /* exited meanwhile */
		if (!all && (p.tty != self.tty || (p.uid >= 0 && p.uid != euid))) continue;
		char tty[32];
		tty_name(p.tty, tty, sizeof tty);
		long hz = sysconf(_SC_CLK_TCK);
		if (hz <= 0) hz = 100;
		unsigned long long s = p.ticks / (unsigned long long)hz;
		printf("%5d %-8s %02llu:%02llu:%02llu %s\n", p.pid, tty,
		       s / 3600, s / 60 % 60, s % 60, p.comm);
	}
	return 0;
}

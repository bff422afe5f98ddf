/* top [-b] [-n COUNT] [-d SECONDS]: a refreshing process view in procps' layout,
 * from /proc.  On a terminal it redraws every interval and quits on q (or
 * Ctrl-C); -b prints plain frames.  The kernel keeps no CPU times or load
 * averages yet, so %CPU and the load read 0. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct proc { int pid, uid; char state; char comm[32]; unsigned long vsz, rss; };

static long meminfo(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

static int cmp_pid(const void *a, const void *b) { return ((const struct proc *)a)->pid - ((const struct proc *)b)->pid; }

static void frame(int rows)
{
	static struct proc procs[512];
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 512) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
		char path[300], buf[1024];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		if (read_text(path, buf, sizeof buf) <= 0) continue;
		struct proc *p = &procs[n];
		memset(p, 0, sizeof *p);
		p->pid = atoi(e->d_name);
		char *o = strchr(buf, '('), *c = strrchr(buf, ')');
		if (!o || !c) continue;
		snprintf(p->comm, sizeof p->comm, "%.*s", (int)(c - o - 1), o + 1);
		p->state = c[2];
		/* Fields after the state: 23 vsize, 24 rss (pages). */
		char *f = c + 2;
		for (int field = 3; *f && field < 24; field++) {
			f = strchr(f, ' ');
			if (!f) break;
			f++;
			if (field == 22) p->vsz = strtoul(f, NULL, 10) / 1024;
			if (field == 23) p->rss = strtoul(f, NULL, 10) * 4;
		}
		snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
		if (read_text(path, buf, sizeof buf) > 0) { char *u = strstr(buf, "\nUid:"); if (u) p->uid = atoi(u + 5); }
		n++;
	}
	if (d) closedir(d);
	qsort(procs, n, sizeof *procs, cmp_pid);
	char text[2048];
	double up = 0;
	if (read_text("/proc/uptime", text, sizeof text) > 0) up = atof(text);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	long secs = (long)up;
	printf("top - %02d:%02d:%02d up ", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (secs >= 3600) printf("%2ld:%02ld", secs / 3600, secs / 60 % 60); else printf("%ld min", secs / 60);
	printf(",  0 users,  load average: 0.00, 0.00, 0.00\n");
	int run = 0, sleep_ = 0, stop = 0, zomb = 0;
	for (int k = 0; k < n; k++) {
		char s = procs[k].state;
		if (s == 'R') run++; else if (s == 'T' || s == 't') stop++; else if (s == 'Z') zomb++; else sleep_++;
	}
	printf("Tasks: %3d total, %3d running, %3d sleeping, %3d stopped, %3d zombie\n", n, run, sleep_, stop, zomb);
	long total = 0, fr = 0, avail = 0;
	if (read_text("/proc/meminfo", text, sizeof text) > 0) {
		total = meminfo(text, "MemTotal:");
		fr = meminfo(text, "MemFree:");
		avail = meminfo(text, "MemAvailable:");
	}
	printf("MiB Mem : %8.1f total, %8.1f free, %8.1f used, %8.1f buff/cache\n", total / 1024.0, fr / 1024.0,
	       (total - fr) / 1024.0, 0.0);
	printf("MiB Swap: %8.1f total, %8.1f free, %8.1f used. %8.1f avail Mem\n\n", 0.0, 0.0, 0.0, avail / 1024.0);
	printf("  PID USER      PR  NI    VIRT    RES  S  %%CPU  %%MEM     TIME+ COMMAND\n");
	for (int k = 0; k < n && (rows <= 0 || k < rows - 7); k++) {
		struct proc *p = &procs[k];
		char user[64];
		user_name((uid_t)p->uid, user, sizeof user);
		printf("%5d %-8.8s  20   0 %7lu %6lu  %c   0.0 %5.1f   0:00.00 %s\n", p->pid, user, p->vsz, p->rss, p->state,
		       total ? 100.0 * (double)p->rss / (double)total : 0.0, p->comm);
	}
}

static struct termios saved;
static int raw;

static void restore(void)
{
	if (raw) { tcsetattr(0, TCSANOW, &saved); fputs("\033[?25h", stdout); fflush(stdout); }
}

static void on_signal(int sig) { (void)sig; restore(); _exit(0); }

int main(int argc, char **argv)
{
	prog = "top";
	int batch = 0;
	long count = -1;
	double delay = 3;
	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "-b")) batch = 1;
		else if (!strncmp(a, "-n", 2)) count = atol(a[2] ? a + 2 : k + 1 < argc ? argv[++k] : "1");
		else if (!strncmp(a, "-d", 2)) delay = atof(a[2] ? a + 2 : k + 1 < argc ? argv[++k] : "3");
		else { warnx("unknown option '%s'", a); fputs("Usage:\n  top -hv | -bcEeHiOSs1 -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n", stderr); return 1; }
	}
	if (delay <= 0) delay = 0.1;
	if (!batch && !isatty(1)) batch = 1;
	if (!batch && tcgetattr(0, &saved) == 0) {
		struct termios t = saved;
		t.c_lflag &= ~(ICANON | ECHO);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(0, TCSANOW, &t);
		raw = 1;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		fputs("\033[?25l", stdout);
	}
	for (long i = 0; count < 0 || i < count; i++) {
		if (!batch) fputs("\033[H\033[2J", stdout);
		else if (i) putchar('\n');
		frame(batch ? 0 : 24);
		fflush(stdout);
		if (count >= 0 && i + 1 >= count) break;
		if (batch) {
			struct timespec ts = { (time_t)delay, (long)((delay - (long)delay) * 1e9) };
			nanosleep(&ts, NULL);
			continue;
		}
		struct pollfd pf = { 0, POLLIN, 0 };
		if (poll(&pf, 1, (int)(delay * 1000)) > 0) {
			char c;
			if (read(0, &c, 1) == 1 && (c == 'q' || c == 3)) break;
		}
	}
	restore();
	return 0;
}

/* kill [-s SIG | -SIG | -N] PID... ; kill -l [N]: send a signal
 * (default TERM) or list signal names. */
#include "common.h"
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *names[] = {
	NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
	"USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT",
	"STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
	"WINCH", "POLL", "PWR", "SYS"
};
#define NSIG_NAMES 32

static int parse_sig(const char *s)
{
	if (isdigit((unsigned char)*s)) {
		char *end;
		long v = strtol(s, &end, 10);
		return (*end || v < 0 || v > 64) ? -1 : (int)v;
	}
	if (!strncasecmp(s, "SIG", 3)) s += 3;
	if (!strcasecmp(s, "IOT")) return SIGABRT;
	if (!strcasecmp(s, "IO")) return SIGIO;
	if (!strcasecmp(s, "CLD")) return SIGCHLD;
	for (int k = 1; k < NSIG_NAMES; k++) if (!strcasecmp(s, names[k])) return k;
	return -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, k = 1, st = 0;
	prog = "kill";
	if (k < argc && (!strcmp(argv[k], "-l") || !strcmp(argv[k], "-L"))) {
		if (k + 1 >= argc) {
			for (int s = 1; s < NSIG_NAMES; s++) puts(names[s]);
			return 0;
		}
		for (k++; k < argc; k++) {
			if (isdigit((unsigned char)argv[k][0])) {
				int v = atoi(argv[k]);
				if (v > 128) v -= 128;
				if (v > 0 && v < NSIG_NAMES) puts(names[v]);
				else { warnx("%s: invalid signal", argv[k]); st = 1; }
			} else {
				int v = parse_sig(argv[k]);
				if (v < 0) { warnx("%s: invalid signal", argv[k]); st = 1; }
				else printf("%d\n", v);
			}
		}
		return st;
	}
	if (k < argc && !strcmp(argv[k], "-s")) {
		if (k + 1 >= argc) { warnx("option requires an argument -- 's'"); return 1; }
		sig = parse_sig(argv[k + 1]);
		if (sig < 0) { warnx("%s: invalid signal", argv[k + 1]); return 1; }
		k += 2;
	} else if (k < argc && argv[k][0] == '-' && argv[k][1] && strcmp(argv[k], "--")) {
		sig = parse_sig(argv[k] + 1);
		if (sig < 0) { warnx("%s: invalid signal", argv[k] + 1); return 1; }
		k++;
	}
	if (k < argc && !strcmp(argv[k], "--")) k++;
	if (k >= argc) { warnx("no process ID specified"); return 1; }
	for (; k < argc; k++) {
		char *end;
		long pid = strtol(argv[k], &end, 10);
		if (!*argv[k] || *end) { warnx("cannot find process \"%s\"", argv[k]); st = 1; continue; }
		if (kill((pid_t)pid, sig) < 0) { fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno)); st = 1; }
	}
	return st;
}

/* uname [-asnrvm]: print system information (default -s). */
#include "common.h"
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
	enum { S = 1, N = 2, R = 4, V = 8, M = 16 };
	int want = 0;
	prog = "uname";
	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];
		if (a[0] != '-' || !a[1]) { warnx("extra operand '%s'", a); return 1; }
		for (a++; *a; a++) {
			switch (*a) {
			case 'a': want |= S | N | R | V | M; break;
			case 's': want |= S; break;
			case 'n': want |= N; break;
			case 'r': want |= R; break;
			case 'v': want |= V; break;
			case 'm': want |= M; break;
			default: warnx("invalid option -- '%c'", *a); return 1;
			}
		}
	}
	if (!want) want = S;
	struct utsname u;
	if (uname(&u) < 0) { warnerr("cannot get system name"); return 1; }
	const char *f[5] = { u.sysname, u.nodename, u.release, u.version, u.machine };
	int first = 1;
	for (int k = 0; k < 5; k++) {
		if (!(want & (1 << k))) continue;
		if (!first) putchar(' ');
		fputs(f[k], stdout);
		first = 0;
	}
	putchar('\n');
	return 0;
}

/* sleep SECONDS...: sleep for the sum of the (possibly fractional) arguments;
 * a suffix s, m, h or d is accepted. */
#include "common.h"
#include <stdio.h>
#include <time.h>

static int parse(const char *s, long double *out)
{
	long double v = 0, scale = 1;
	int digits = 0, frac = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			digits = 1;
			if (frac) { scale /= 10; v += (*s - '0') * scale; }
			else v = v * 10 + (*s - '0');
		} else if (*s == '.' && !frac) frac = 1;
		else break;
	}
	if (!digits) return -1;
	if (*s) {
		if (s[1]) return -1;
		switch (*s) {
		case 's': break;
		case 'm': v *= 60; break;
		case 'h': v *= 3600; break;
		case 'd': v *= 86400; break;
		default: return -1;
		}
	}
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	prog = "sleep";
	if (argc < 2) { warnx("missing operand"); return 1; }
	long double total = 0;
	for (int k = 1; k < argc; k++) {
		long double v;
		if (parse(argv[k], &v) < 0) { warnx("invalid time interval '%s'", argv[k]); return 1; }
		total += v;
	}
	struct timespec ts;
	ts.tv_sec = (time_t)total;
	ts.tv_nsec = (long)((total - (long double)ts.tv_sec) * 1e9L);
	if (ts.tv_nsec > 999999999) ts.tv_nsec = 999999999;
	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR) { warnerr("cannot sleep"); return 1; }
	return 0;
}

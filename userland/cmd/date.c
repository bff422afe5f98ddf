/* date [-u] [-d @SECONDS|DATE] [-r FILE] [+FORMAT], date [MMDDhhmm[[CC]YY][.ss]] | -s
 * DATE: print the time (coreutils' default format in the C locale), or set it. */
#include "common.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

/* The forms of -d people use: @SECONDS, "YYYY-MM-DD[ HH:MM[:SS]]", "now". */
static int parse_date(const char *s, time_t *out)
{
	if (s[0] == '@') {
		char *end;
		long long v = strtoll(s + 1, &end, 10);
		if (*end || end == s + 1) return -1;
		*out = (time_t)v;
		return 0;
	}
	if (!strcmp(s, "now")) { *out = time(NULL); return 0; }
	struct tm t;
	memset(&t, 0, sizeof t);
	int n = sscanf(s, "%d-%d-%d %d:%d:%d", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min, &t.tm_sec);
	if (n < 3) {
		n = sscanf(s, "%d-%d-%dT%d:%d:%d", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min, &t.tm_sec);
		if (n < 3) return -1;
	}
	t.tm_year -= 1900;
	t.tm_mon -= 1;
	*out = timegm(&t);
	return 0;
}

int main(int argc, char **argv)
{
	prog = "date";
	int utc = 0, k = 1;
	const char *dstr = NULL, *ref = NULL, *set = NULL, *fmt = "%a %b %e %H:%M:%S %Z %Y";
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "-R")) { fmt = "%a, %d %b %Y %H:%M:%S %z"; continue; }
		if (!strcmp(argv[k], "-I")) { fmt = "%Y-%m-%d"; continue; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'u') { utc = 1; continue; }
			if (*p == 'd' || *p == 'r' || *p == 's') {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { warnx("option requires an argument -- '%c'", *p); fputs("Try 'date --help' for more information.\n", stderr); return 1; }
				if (*p == 'd') dstr = v; else if (*p == 'r') ref = v; else set = v;
				break;
			}
			warnx("invalid option -- '%c'", *p);
			fputs("Try 'date --help' for more information.\n", stderr);
			return 1;
		}
	}
	if (utc) setenv("TZ", "UTC0", 1);
	time_t t = time(NULL);
	for (; k < argc; k++) {
		if (argv[k][0] == '+') fmt = argv[k] + 1;
		else if (!set) set = argv[k];
		else { warnx("extra operand '%s'", argv[k]); fputs("Try 'date --help' for more information.\n", stderr); return 1; }
	}
	if (dstr && parse_date(dstr, &t) < 0) { warnx("invalid date '%s'", dstr); return 1; }
	if (ref) {
		struct stat st;
		if (stat(ref, &st) < 0) { warnx("%s: %s", ref, strerror(errno)); return 1; }
		t = st.st_mtime;
	}
	if (set) {
		if (parse_date(set, &t) < 0) { warnx("invalid date '%s'", set); return 1; }
		struct timespec ts = { t, 0 };
		if (clock_settime(CLOCK_REALTIME, &ts) < 0) { warnx("cannot set date: %s", strerror(errno)); return 1; }
	}
	struct tm tm;
	if (utc) gmtime_r(&t, &tm); else localtime_r(&t, &tm);
	char buf[512];
	size_t n = strftime(buf, sizeof buf, fmt, &tm);
	if (!n && *fmt) buf[0] = 0;
	puts(buf);
	return 0;
}

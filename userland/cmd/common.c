/* Shared helpers for the microlith utilities. */
#include "common.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *prog = "?";

void warnx(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void warnerr(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
}

int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) { if (errno == EINTR) continue; return -1; }
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int copy_fd(int in, int out)
{
	static char buf[65536];
	for (;;) {
		ssize_t r = read(in, buf, sizeof buf);
		if (r < 0) { if (errno == EINTR) continue; return -1; }
		if (r == 0) return 0;
		if (write_all(out, buf, (size_t)r) < 0) return -2;
	}
}

/* Find the line of a colon-separated file whose field 0 equals name (if
 * name is non-NULL) or whose field 2 equals id.  Splits it into fields. */
static int find_line(const char *file, const char *name, unsigned long id,
                     char *line, size_t n, char **f, int nf)
{
	FILE *fp = fopen(file, "re");
	if (!fp) return -1;
	while (fgets(line, (int)n, fp)) {
		size_t l = strlen(line);
		if (l && line[l - 1] == '\n') line[l - 1] = 0;
		int k = 0;
		char *p = line;
		f[k++] = p;
		while (k < nf && (p = strchr(p, ':'))) { *p++ = 0; f[k++] = p; }
		if (k < 3) continue;
		while (k < nf) f[k++] = "";
		if (name ? !strcmp(f[0], name) : (f[2][0] && strtoul(f[2], NULL, 10) == id)) {
			fclose(fp);
			return 0;
		}
	}
	fclose(fp);
	return -1;
}

const char *user_name(uid_t uid, char *buf, size_t n)
{
	char line[1024];
	char *f[7];
	if (find_line("/etc/passwd", NULL, uid, line, sizeof line, f, 7) == 0) {
		snprintf(buf, n, "%s", f[0]);
		return buf;
	}
	snprintf(buf, n, "%u", (unsigned)uid);
	return buf;
}

const char *group_name(gid_t gid, char *buf, size_t n)
{
	char line[1024];
	char *f[4];
	if (find_line("/etc/group", NULL, gid, line, sizeof line, f, 4) == 0) {
		snprintf(buf, n, "%s", f[0]);
		return buf;
	}
	snprintf(buf, n, "%u", (unsigned)gid);
	return buf;
}

int find_user(const char *name, uid_t uid, struct pwent *pw)
{
	static char line[1024];
	char *f[7];
	if (find_line("/etc/passwd", name, uid, line, sizeof line, f, 7) < 0) return -1;
	pw->name = f[0];
	pw->uid = (uid_t)strtoul(f[2], NULL, 10);
	pw->gid = (gid_t)strtoul(f[3], NULL, 10);
	pw->home = f[5];
	pw->shell = f[6];
	return 0;
}

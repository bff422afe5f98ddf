/* dd [if=F] [of=F] [bs=N] [ibs=N] [obs=N] [count=N] [skip=N] [seek=N]
 * [conv=notrunc,ucase,lcase,sync,noerror] [status=none|noxfer]: copy in blocks,
 * with coreutils' record counts on stderr.  Sizes take c w b k M G suffixes. */
#include "common.h"
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long size_arg(const char *key, const char *v)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (end == v || n < 0) goto bad;
	switch (*end) {
	case 0: return n;
	case 'c': n *= 1; break;
	case 'w': n *= 2; break;
	case 'b': n *= 512; break;
	case 'k': case 'K': n *= 1024; break;
	case 'M': n *= 1024 * 1024; break;
	case 'G': n *= 1024LL * 1024 * 1024; break;
	default: goto bad;
	}
	if (end[1] && strcmp(end + 1, "B") && strcmp(end + 1, "iB")) goto bad;
	return n;
bad:
	warnx("invalid number: '%s'", v);
	(void)key;
	exit(1);
}

int main(int argc, char **argv)
{
	prog = "dd";
	const char *in = NULL, *out = NULL;
	long long ibs = 512, obs = 512, count = -1, skip = 0, seek = 0;
	int notrunc = 0, ucase = 0, lcase = 0, sync_pad = 0, noerror = 0, quiet = 0, noxfer = 0;
	for (int k = 1; k < argc; k++) {
		char *eq = strchr(argv[k], '=');
		if (!eq) { warnx("unrecognized operand '%s'", argv[k]); fputs("Try 'dd --help' for more information.\n", stderr); return 1; }
		*eq = 0;
		const char *key = argv[k], *v = eq + 1;
		if (!strcmp(key, "if")) in = v;
		else if (!strcmp(key, "of")) out = v;
		else if (!strcmp(key, "bs")) ibs = obs = size_arg(key, v);
		else if (!strcmp(key, "ibs")) ibs = size_arg(key, v);
		else if (!strcmp(key, "obs")) obs = size_arg(key, v);
		else if (!strcmp(key, "count")) count = size_arg(key, v);
		else if (!strcmp(key, "skip")) skip = size_arg(key, v);
		else if (!strcmp(key, "seek")) seek = size_arg(key, v);
		else if (!strcmp(key, "status")) { if (!strcmp(v, "none")) quiet = 1; else if (!strcmp(v, "noxfer")) noxfer = 1; }
		else if (!strcmp(key, "conv")) {
			char *c = strdup(v);
			for (char *w = strtok(c, ","); w; w = strtok(NULL, ",")) {
				if (!strcmp(w, "notrunc")) notrunc = 1;
				else if (!strcmp(w, "ucase")) ucase = 1;
				else if (!strcmp(w, "lcase")) lcase = 1;
				else if (!strcmp(w, "sync")) sync_pad = 1;
				else if (!strcmp(w, "noerror")) noerror = 1;
				else if (strcmp(w, "fsync") && strcmp(w, "fdatasync")) { warnx("invalid conversion: '%s'", w); return 1; }
			}
			free(c);
		} else { warnx("unrecognized operand '%s=%s'", key, v); fputs("Try 'dd --help' for more information.\n", stderr); return 1; }
	}
	if (ibs <= 0 || obs <= 0) { warnx("invalid number: '0'"); return 1; }
	int ifd = 0, ofd = 1;
	if (in && (ifd = open(in, O_RDONLY)) < 0) { warnx("failed to open '%s': %s", in, strerror(errno)); return 1; }
	if (out && (ofd = open(out, O_WRONLY | O_CREAT | (notrunc || seek ? 0 : O_TRUNC), 0666)) < 0) {
		warnx("failed to open '%s': %s", out, strerror(errno));
		return 1;
	}
	if (out && seek && !notrunc) ftruncate(ofd, seek * obs);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *buf = malloc((size_t)ibs);
	if (skip && lseek(ifd, skip * ibs, SEEK_SET) < 0) {
		for (long long s = 0; s < skip; s++) if (read(ifd, buf, (size_t)ibs) <= 0) break;
	}
	if (seek && lseek(ofd, seek * obs, SEEK_SET) < 0) { warnx("'%s': cannot seek: %s", out ? out : "standard output", strerror(errno)); return 1; }
	long long fin = 0, pin = 0, fout = 0, pout = 0, total = 0;
	int status = 0;
	for (long long rec = 0; count < 0 || rec < count; rec++) {
		ssize_t n = 0;
		while (n < ibs) {
			ssize_t r = read(ifd, buf + n, (size_t)(ibs - n));
			if (r < 0) {
				warnx("error reading '%s': %s", in ? in : "standard input", strerror(errno));
				status = 1;
				if (!noerror) goto done;
				break;
			}
			if (r == 0) break;
			n += r;
			if (!in) break;
		}
		if (n == 0) break;
		if (n == ibs) fin++; else pin++;
		if (sync_pad && n < ibs) { memset(buf + n, 0, (size_t)(ibs - n)); n = ibs; }
		for (ssize_t q = 0; q < n; q++) {
			if (ucase) buf[q] = (char)toupper((unsigned char)buf[q]);
			if (lcase) buf[q] = (char)tolower((unsigned char)buf[q]);
		}
		for (ssize_t off = 0; off < n; off += obs) {
			size_t len = (size_t)(n - off < obs ? n - off : obs);
			if (write_all(ofd, buf + off, len) < 0) {
				warnx("error writing '%s': %s", out ? out : "standard output", strerror(errno));
				status = 1;
				goto done;
			}
			if ((long long)len == obs) fout++; else pout++;
			total += (long long)len;
		}
	}
done:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!quiet) {
		fprintf(stderr, "%lld+%lld records in\n%lld+%lld records out\n", fin, pin, fout, pout);
		if (!noxfer) {
			double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
			fprintf(stderr, "%lld byte%s copied, %g s, ", total, total == 1 ? "" : "s", secs);
			double rate = secs > 0 ? (double)total / secs : 0;
			const char *u[] = { "B/s", "kB/s", "MB/s", "GB/s" };
			int i = 0;
			while (rate >= 1000 && i < 3) { rate /= 1000; i++; }
			fprintf(stderr, "%.1f %s\n", rate, u[i]);
		}
	}
	if (out && close(ofd) < 0) { warnerr("%s", out); status = 1; }
	return status;
}

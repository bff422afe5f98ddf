/* fiwork: the fault-injection workload (docs/fault-injection.md), also handy by hand.
 *   fiwork files DIR N [SEED]   writes DIR/f0 .. DIR/f(N-1), 1-16 KiB each of seeded
 *                               pseudo-random bytes; each file is written, fsync'ed and
 *                               closed, then all are read back and compared
 *   fiwork ring N [SEED]        N messages through /dev/ringbuf, each read back at once
 * One line per event, so that a checker outside the machine can tell what the program
 * was told from what is true:
 *   ack NAME SIZE CRC           write, fsync and close returned success (CRC-32, zlib's)
 *   fail NAME OP ERRNO          an operation failed with an error
 *   read NAME ok|bad CRC        the file read back whole: same bytes, or not
 *   ring ok N | ring bad J | ring fail J OP ERRNO
 *   done                        the program got to its end
 * Exit status 0 if every call succeeded and every byte came back, 1 otherwise. */
#include "common.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILES 256
#define MAX_SIZE 16384

static uint64_t state;

static uint32_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)(state >> 11);
}

/* CRC-32 as zlib computes it (reflected polynomial 0xEDB88320), a byte at a time
 * through a table made on first use. */
static uint32_t crc32(const unsigned char *p, size_t n)
{
	static uint32_t table[256];
	if (!table[1]) {
		for (uint32_t b = 0; b < 256; b++) {
			uint32_t c = b;
			for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
			table[b] = c;
		}
	}
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) c = (c >> 8) ^ table[(c ^ p[i]) & 0xff];
	return ~c;
}

static const char *errname(int e)
{
	static char buf[16];
	switch (e) {
	case EIO: return "EIO";
	case EFAULT: return "EFAULT";
	case ENOSPC: return "ENOSPC";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case ETIME: return "ETIME";
	case EAGAIN: return "EAGAIN";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case EUCLEAN: return "EUCLEAN";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	default: snprintf(buf, sizeof buf, "E%d", e); return buf;
	}
}

static void fill(unsigned char *b, size_t n, uint64_t seed)
{
	state = seed * 0x9e3779b97f4a7c15ull + 1;
	for (size_t i = 0; i < n; i++) b[i] = (unsigned char)next();
}

static int failed(const char *name, const char *op)
{
	printf("fail %s %s %s\n", name, op, errname(errno));
	fflush(stdout);
	return 1;
}

static int files(const char *dir, int n, uint64_t seed)
{
	static unsigned char data[MAX_SIZE], back[MAX_SIZE + 1];
	int status = 0, acked[MAX_FILES] = {0};
	size_t sizes[MAX_FILES];
	uint32_t crcs[MAX_FILES];
	char path[512], name[16];
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "f%d", i);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		state = seed + (uint64_t)i * 7919 + 1;
		sizes[i] = 1024 + next() % (MAX_SIZE - 1024 + 1);
		fill(data, sizes[i], seed + (uint64_t)i);
		crcs[i] = crc32(data, sizes[i]);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) { status |= failed(name, "open"); continue; }
		ssize_t w = write(fd, data, sizes[i]);
		if (w != (ssize_t)sizes[i]) {
			if (w >= 0) printf("fail %s write short\n", name);
			else failed(name, "write");
			status = 1;
			close(fd);
			continue;
		}
		if (fsync(fd) < 0) { status |= failed(name, "fsync"); close(fd); continue; }
		if (close(fd) < 0) { status |= failed(name, "close"); continue; }
		acked[i] = 1;
		printf("ack %s %zu %08x\n", name, sizes[i], crcs[i]);
		fflush(stdout);
	}
	for (int i = 0; i < n; i++) {
		if (!acked[i]) continue;
		snprintf(name, sizeof name, "f%d", i);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		int fd = open(path, O_RDONLY);
		if (fd < 0) { status |= failed(name, "reopen"); continue; }
		ssize_t got = 0, r;
		while (got <= MAX_SIZE && (r = read(fd, back + got, MAX_SIZE + 1 - (size_t)got)) > 0) got += r;
		int e = errno;
		close(fd);
		if (r < 0) { errno = e; status |= failed(name, "read"); continue; }
		uint32_t c = crc32(back, (size_t)got);
		int same = (size_t)got == sizes[i] && c == crcs[i];
		printf("read %s %s %08x\n", name, same ? "ok" : "bad", c);
		status |= !same;
	}
	return status;
}

static int ring(int n, uint64_t seed)
{
	int fd = open("/dev/ringbuf", O_RDWR | O_NONBLOCK);
	if (fd < 0) { printf("ring fail 0 open %s\n", errname(errno)); return 1; }
	char msg[64], back[64];
	state = seed + 1;
	for (int j = 0; j < n; j++) {
		int len = snprintf(msg, sizeof msg, "message %d %08x", j, next());
		ssize_t w = write(fd, msg, (size_t)len);
		if (w != len) {
			printf("ring fail %d write %s\n", j, w < 0 ? errname(errno) : "short");
			close(fd);
			return 1;
		}
		ssize_t r = read(fd, back, sizeof back);
		if (r < 0) {
			printf("ring fail %d read %s\n", j, errname(errno));
			close(fd);
			return 1;
		}
		if (r != len || memcmp(back, msg, (size_t)len)) {
			printf("ring bad %d\n", j);
			close(fd);
			return 1;
		}
	}
	close(fd);
	printf("ring ok %d\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	prog = "fiwork";
	setvbuf(stdout, NULL, _IOLBF, 0);
	int st;
	if (argc >= 4 && argc <= 5 && !strcmp(argv[1], "files")) {
		int n = atoi(argv[3]);
		if (n < 1 || n > MAX_FILES) { warnx("invalid count '%s'", argv[3]); return 2; }
		st = files(argv[2], n, argc == 5 ? strtoull(argv[4], NULL, 0) : 1);
	} else if (argc >= 3 && argc <= 4 && !strcmp(argv[1], "ring")) {
		int n = atoi(argv[2]);
		if (n < 1) { warnx("invalid count '%s'", argv[2]); return 2; }
		st = ring(n, argc == 4 ? strtoull(argv[3], NULL, 0) : 1);
	} else {
		fprintf(stderr, "usage: fiwork files DIR N [SEED] | fiwork ring N [SEED]\n");
		return 2;
	}
	puts("done");
	return st;
}

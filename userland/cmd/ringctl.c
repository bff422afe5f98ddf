/* ringctl: drive /dev/ringbuf (the ringbuf sample module) from the shell.
 *   ringctl size                print the capacity (ioctl RINGBUF_IOC_SIZE)
 *   ringctl clear               empty the ring (ioctl RINGBUF_IOC_CLEAR)
 *   ringctl poll [MS [in|out]]  poll(2) for POLLIN and POLLOUT (or only one), waiting
 *                               up to MS ms (default 0); prints the events or "timeout"
 *   ringctl read N              one non-blocking read of up to N bytes: them, or EAGAIN
 *   ringctl ioctl CMD [ARG]     a raw ioctl (numbers in C syntax), to test the errors */
#include "common.h"
#include "errtext.h"
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DEVICE "/dev/ringbuf"
#define RINGBUF_IOC_SIZE  _IOR('r', 1, int)
#define RINGBUF_IOC_CLEAR _IO('r', 2)

/* "ringctl: WHAT: error text" in glibc's words, as the kmod tools print errors. */
static int failed(const char *what)
{
	int e = errno;
	fflush(stdout);
	fprintf(stderr, "ringctl: %s: %s\n", what, linux_strerror(e));
	return 1;
}

static int open_device(int flags)
{
	int fd = open(DEVICE, flags);
	if (fd < 0) exit(failed(DEVICE));
	return fd;
}

static int number(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return (!*s || *end || errno) ? -1 : 0;
}

static int cmd_size(void)
{
	int fd = open_device(O_RDONLY), size;
	if (ioctl(fd, RINGBUF_IOC_SIZE, &size) < 0) return failed("RINGBUF_IOC_SIZE");
	printf("%d\n", size);
	return 0;
}

static int cmd_clear(void)
{
	int fd = open_device(O_WRONLY);
	if (ioctl(fd, RINGBUF_IOC_CLEAR) < 0) return failed("RINGBUF_IOC_CLEAR");
	return 0;
}

static int cmd_poll(const char *ms, const char *which)
{
	unsigned long timeout = 0;
	short events = POLLIN | POLLOUT;
	if (ms && number(ms, &timeout) < 0) { warnx("invalid timeout '%s'", ms); return 1; }
	if (which && !strcmp(which, "in")) events = POLLIN;
	else if (which && !strcmp(which, "out")) events = POLLOUT;
	else if (which) { warnx("expected in or out, not '%s'", which); return 1; }
	struct pollfd p = { .fd = open_device(O_RDWR), .events = events };
	int n = poll(&p, 1, (int)timeout);
	if (n < 0) return failed("poll");
	if (n == 0) { puts("timeout"); return 0; }
	static const struct { short bit; const char *name; } bits[] = {
		{ POLLIN, "POLLIN" }, { POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" }, { POLLHUP, "POLLHUP" },
	};
	const char *sep = "";
	for (size_t k = 0; k < sizeof bits / sizeof bits[0]; k++)
		if (p.revents & bits[k].bit) { printf("%s%s", sep, bits[k].name); sep = " "; }
	putchar('\n');
	return 0;
}

static int cmd_read(const char *count)
{
	unsigned long n;
	if (number(count, &n) < 0 || n == 0 || n > 1 << 20) { warnx("invalid count '%s'", count); return 1; }
	char *buf = malloc(n);
	if (!buf) return failed("malloc");
	ssize_t got = read(open_device(O_RDONLY | O_NONBLOCK), buf, n);
	if (got < 0 && errno == EAGAIN) { puts("EAGAIN"); return 0; }
	if (got < 0) return failed("read");
	return write_all(1, buf, (size_t)got) < 0 ? 1 : 0;
}

static int cmd_ioctl(const char *cmd, const char *arg)
{
	unsigned long c, a = 0;
	if (number(cmd, &c) < 0 || (arg && number(arg, &a) < 0)) { warnx("invalid number"); return 1; }
	if (ioctl(open_device(O_RDONLY), (int)c, a) < 0) {
		char what[32];
		snprintf(what, sizeof what, "ioctl %#lx", c);
		return failed(what);
	}
	puts("ok");
	return 0;
}

int main(int argc, char **argv)
{
	prog = "ringctl";
	const char *op = argc > 1 ? argv[1] : "";
	if (!strcmp(op, "size") && argc == 2) return cmd_size();
	if (!strcmp(op, "clear") && argc == 2) return cmd_clear();
	if (!strcmp(op, "poll") && argc <= 4) return cmd_poll(argv[2], argc > 3 ? argv[3] : NULL);
	if (!strcmp(op, "read") && argc == 3) return cmd_read(argv[2]);
	if (!strcmp(op, "ioctl") && (argc == 3 || argc == 4)) return cmd_ioctl(argv[2], argv[3]);
	fprintf(stderr, "usage: ringctl size | clear | poll [MS [in|out]] | read N | ioctl CMD [ARG]\n");
	return 2;
}

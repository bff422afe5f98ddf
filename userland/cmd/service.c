/* service: ask the reincarnation server about the servers of loaded modules, as
 * MINIX 3's service(8) does.
 *   service [list]                 one line per service: name, pid, state, restarts,
 *                                  heartbeats answered, why it last died
 *   service up|down|restart NAME   start, stop or restart NAME's server (root only)
 * The interface is one file, /sys/rs/services: reading it lists the services, writing
 * "OP NAME" asks the reincarnation server, which checks the caller is root and answers
 * with the write's result (docs/microkernel.md). */
#include "common.h"
#include "errtext.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SERVICES "/sys/rs/services"

static int no_server(void)
{
	warnx("no reincarnation server: in this OS model every module runs in the kernel");
	return 1;
}

static int list(void)
{
	int fd = open(SERVICES, O_RDONLY);
	if (fd < 0) {
		if (errno == ENOENT) return no_server();
		warnerr("%s", SERVICES);
		return 1;
	}
	static char buf[16384];
	ssize_t n, t = 0;
	while (t < (ssize_t)sizeof buf - 1 && (n = read(fd, buf + t, sizeof buf - 1 - (size_t)t)) > 0) t += n;
	close(fd);
	buf[t] = 0;
	printf("%-12s %5s  %-10s %8s %6s  %s\n", "NAME", "PID", "STATE", "RESTARTS", "PINGS", "LAST DEATH");
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char name[64], state[16];
		long pid, restarts, pings;
		int used = 0;
		if (sscanf(line, "%63s %ld %15s %ld %ld %n", name, &pid, state, &restarts, &pings, &used) < 5) continue;
		char spid[24];
		if (pid > 0) snprintf(spid, sizeof spid, "%ld", pid);
		else strcpy(spid, "-");
		printf("%-12s %5s  %-10s %8ld %6ld  %s\n", name, spid, state, restarts, pings, line + used);
	}
	return 0;
}

static int ask(const char *op, const char *name)
{
	int fd = open(SERVICES, O_WRONLY);
	if (fd < 0) {
		if (errno == ENOENT) return no_server();
		warnerr("%s", SERVICES);
		return 1;
	}
	char cmd[128];
	int len = snprintf(cmd, sizeof cmd, "%s %s\n", op, name);
	ssize_t r = write(fd, cmd, (size_t)len);
	int e = errno;
	close(fd);
	if (r == len) return 0;
	switch (e) {
	case ENOENT: warnx("unknown service '%s' (service list shows them)", name); break;
	case EPERM: warnx("%s %s: %s (only root may change services)", op, name, linux_strerror(e)); break;
	case EALREADY: warnx("%s %s: %s is already %s", op, name, name, strcmp(op, "down") ? "up" : "down"); break;
	case EIO: warnx("%s %s: the server did not start (dmesg says why)", op, name); break;
	default: warnx("%s %s: %s", op, name, linux_strerror(e));
	}
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: service [list] | service up|down|restart NAME\n");
	return 2;
}

int main(int argc, char **argv)
{
	prog = "service";
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "list"))) return list();
	if (argc != 3) return usage();
	const char *op = argv[1], *name = argv[2];
	if (strcmp(op, "up") && strcmp(op, "down") && strcmp(op, "restart")) {
		warnx("unknown command '%s'", op);
		return usage();
	}
	size_t n = strlen(name);
	if (n == 0 || n > 55 || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n) {
		warnx("unknown service '%s' (service list shows them)", name);
		return 1;
	}
	return ask(op, name);
}

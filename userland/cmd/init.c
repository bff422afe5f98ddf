/*
 * init - process 1 of the microlith multiprocess kernel.
 *
 * Behaviour:
 *   1. Makes sure PATH (/bin:/sbin) and HOME (/) are set in the environment.
 *   2. Loads the kernel modules named in /etc/modules, one per line with
 *      optional parameters ("NAME [PARAM=VALUE...]"; lines starting with '#'
 *      or ';' are comments), by running "/sbin/modprobe NAME PARAM..." for
 *      each and waiting for it, as Debian's boot does.
 *   3. If /etc/rc exists, runs "/bin/sh /etc/rc" and waits for it.
 *   4. Starts "/bin/sh" as a login shell (argv[0] "-sh": it reads /etc/profile)
 *      with the console as stdin/stdout/stderr (inherited from init), so it is
 *      interactive, with job control, when the console is a terminal.
 *   5. While waiting, reaps every child that exits (orphans are re-parented
 *      to init by the kernel), by calling wait4(-1) in a loop.
 *   6. If the shell is killed by a signal (it crashed, or someone killed it),
 *      init says so and starts a new one: the console always has a shell.
 *   7. When the shell exits by itself (its input ended, or it ran "exit N"),
 *      init collects any children that have already finished, then exits with
 *      the shell's status.  The kernel powers the machine off when init exits
 *      and reports that status, so console EOF means "power off" and scripted
 *      sessions end.
 * If /bin/sh cannot be started, init prints a message and exits with 127.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static pid_t spawn_as(const char *path, char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0) { fprintf(stderr, "init: fork: %s\n", strerror(errno)); return -1; }
	if (pid == 0) {
		execve(path, argv, environ);
		fprintf(stderr, "init: cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	return pid;
}

static pid_t spawn(char *const argv[]) { return spawn_as(argv[0], argv); }

/* Wait for pid, reaping any other child on the way; returns its status. */
static int wait_for(pid_t pid)
{
	for (;;) {
		int st;
		pid_t r = waitpid(-1, &st, 0);
		if (r == pid) return st;
		if (r < 0 && errno == ECHILD) return 0;
	}
}

static void load_modules(void)
{
	FILE *f = fopen("/etc/modules", "re");
	if (!f) return;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		char *argv[34];
		int n = 0;
		argv[n++] = "/sbin/modprobe";
		for (char *w = strtok(line, " \t\r\n"); w && n < 33; w = strtok(NULL, " \t\r\n"))
			argv[n++] = w;
		argv[n] = NULL;
		if (n == 1 || argv[1][0] == '#' || argv[1][0] == ';') continue;
		pid_t pid = spawn(argv);
		if (pid > 0) wait_for(pid);
	}
	fclose(f);
}

int main(void)
{
	if (!getenv("PATH")) setenv("PATH", "/bin:/sbin", 1);
	if (!getenv("HOME")) setenv("HOME", "/", 1);

	load_modules();

	struct stat st;
	if (stat("/etc/rc", &st) == 0) {
		char *rc[] = { "/bin/sh", "/etc/rc", NULL };
		pid_t pid = spawn(rc);
		if (pid > 0) wait_for(pid);
	}

	/* "-sh": a login shell, which reads /etc/profile (as login(1) starts it). */
	char *sh[] = { "/bin/sh", NULL };
	char *login_sh[] = { "-sh", NULL };
	for (int respawns = 0;; respawns++) {
		pid_t pid = spawn_as(sh[0], login_sh);
		if (pid < 0) return 127;
		int s = wait_for(pid);
		while (waitpid(-1, NULL, WNOHANG) > 0) ;
		if (WIFSIGNALED(s) && respawns < 100) {
			fprintf(stderr, "init: shell killed by signal %d, respawning\n", WTERMSIG(s));
			continue;
		}
		fflush(stdout);
		if (WIFEXITED(s)) return WEXITSTATUS(s);
		return 128 + WTERMSIG(s);
	}
}

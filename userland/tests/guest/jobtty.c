/* Job control on the console, as Linux's tty layer has it: a background process
 * group that reads the terminal gets SIGTTIN (EIO if it ignores it), one that
 * writes with TOSTOP set or changes the termios gets SIGTTOU (allowed if it ignores
 * it), tcsetpgrp hands the terminal over, and Ctrl-Z (VSUSP, fed on stdin)
 * sends SIGTSTP to the foreground group.  Run from a shell on the console (a
 * child of init would make orphaned process groups, which are never stopped); the
 * parent ignores SIGTTOU as a shell does, so it can take the terminal back. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, int st)
{
	if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
	else if (WIFSTOPPED(st)) printf("%s: stopped by %d\n", what, WSTOPSIG(st));
	fflush(stdout);
}

/* Starts fn in a child of its own process group (the background) and waits for it
 * to exit or stop. */
static pid_t spawn(void (*fn)(void), int *st)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_DFL);
		fn();
		_exit(0);
	}
	setpgid(pid, pid);
	while (waitpid(pid, st, WUNTRACED) < 0 && errno == EINTR) ;
	return pid;
}

static void finish(pid_t pid)
{
	int st;
	kill(pid, SIGKILL);
	kill(pid, SIGCONT);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
}

static void bg_read(void) { char c; read(0, &c, 1); _exit(1); }
static void bg_read_ignored(void)
{
	char c;
	signal(SIGTTIN, SIG_IGN);
	ssize_t r = read(0, &c, 1);
	_exit(r < 0 && errno == EIO ? 2 : 3);
}
static void bg_write(void) { write(1, "", 0); write(1, "x\n", 2); _exit(4); }
static void bg_tcsetattr(void)
{
	struct termios t;
	tcgetattr(0, &t);
	tcsetattr(0, TCSANOW, &t);
	_exit(5);
}
static void bg_tcsetattr_ignored(void)
{
	struct termios t;
	signal(SIGTTOU, SIG_IGN);
	tcgetattr(0, &t);
	_exit(tcsetattr(0, TCSANOW, &t) == 0 ? 6 : 7);
}

int main(void)
{
	int st;
	pid_t pid;
	signal(SIGTTOU, SIG_IGN);
	printf("foreground is us: %s\n", tcgetpgrp(0) == getpgrp() ? "yes" : "no");

	pid = spawn(bg_read, &st);
	show("background read", st);
	finish(pid);
	pid = spawn(bg_read_ignored, &st);
	show("background read, SIGTTIN ignored", st);

	struct termios t, saved;
	tcgetattr(0, &saved);
	t = saved;
	t.c_lflag |= TOSTOP;
	tcsetattr(0, TCSANOW, &t);
	pid = spawn(bg_write, &st);
	show("background write with TOSTOP", st);
	finish(pid);
	tcsetattr(0, TCSANOW, &saved);
	pid = spawn(bg_write, &st);
	show("background write without TOSTOP", st);

	pid = spawn(bg_tcsetattr, &st);
	show("background tcsetattr", st);
	finish(pid);
	pid = spawn(bg_tcsetattr_ignored, &st);
	show("background tcsetattr, SIGTTOU ignored", st);

	/* Ctrl-Z: a foreground child reading the terminal is stopped by the ^Z on stdin. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		char c;
		for (;;) read(0, &c, 1);
	}
	setpgid(pid, pid);
	tcsetpgrp(0, pid);
	while (waitpid(pid, &st, WUNTRACED) < 0 && errno == EINTR) ;
	show("foreground reader after Ctrl-Z", st);
	printf("take the terminal back: %s\n", tcsetpgrp(0, getpgrp()) == 0 ? "ok" : strerror(errno));
	kill(pid, SIGCONT);
	kill(pid, SIGTERM);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	show("after SIGCONT and SIGTERM", st);
	errno = 0;
	printf("tcsetpgrp to a missing group: %s\n", tcsetpgrp(0, 31000) < 0 ? strerror(errno) : "ok");
	return 0;
}

/* Job control's kernel side, as Linux does it: stop signals stop a child, SIGCONT
 * continues it, wait4 reports both with WUNTRACED and WCONTINUED (once each), SIGCHLD
 * carries CLD_STOPPED and CLD_CONTINUED unless SA_NOCLDSTOP, handlers and SIG_IGN
 * for SIGTSTP keep the child running, SIGKILL ends a stopped child, and waitpid's
 * process-group forms (0 and -pgid) pick children by group. Each child has a process
 * group of its own, which its parent is not in, so the group is not orphaned and
 * SIGTSTP may stop it. Only the parent prints, so the output does not depend on
 * scheduling. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld_code, got_tstp, got_cont;

static void on_chld(int sig, siginfo_t *si, void *ctx) { (void)sig; (void)ctx; chld_code = si->si_code; }
static void on_tstp(int sig) { (void)sig; got_tstp = 1; }
static void on_cont(int sig) { (void)sig; got_cont = 1; }

static void show(const char *what, int st)
{
	if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
	else if (WIFSTOPPED(st)) printf("%s: stopped by %d\n", what, WSTOPSIG(st));
	else if (WIFCONTINUED(st)) printf("%s: continued\n", what);
	else printf("%s: status %#x\n", what, st);
}

/* Waits until the child has stopped (reported through WUNTRACED). */
static int wait_stopped(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, WUNTRACED) < 0 && errno == EINTR) ;
	return st;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	int st;
	fflush(stdout);

	/* 1. SIGSTOP, WUNTRACED once, WNOHANG while stopped, SIGCONT, WCONTINUED, exit. The
	 * continued child waits on a pipe until its parent has seen WCONTINUED: a child that
	 * has already exited is reported as exited, and the host is free to run it first. */
	int go[2];
	if (pipe(go) != 0) { perror("pipe"); return 1; }
	pid_t pid = fork();
	if (pid == 0) { char c; kill(getpid(), SIGSTOP); if (read(go[0], &c, 1) != 1) _exit(4); _exit(3); }
	st = wait_stopped(pid);
	show("sigstop", st);
	printf("sigchld code after stop: %s\n", chld_code == CLD_STOPPED ? "CLD_STOPPED" : "other");
	printf("waitpid WNOHANG while stopped: %d\n", (int)waitpid(pid, &st, WNOHANG | WUNTRACED));
	chld_code = 0;
	kill(pid, SIGCONT);
	while (waitpid(pid, &st, WCONTINUED) < 0 && errno == EINTR) ;
	show("sigcont", st);
	if (write(go[1], "x", 1) != 1) perror("write");
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	show("after continue", st);

	/* 2. SIGTSTP from the parent stops a child with the default action. */
	pid = fork();
	if (pid == 0) { setpgid(0, 0); for (;;) pause(); }
	setpgid(pid, pid);
	kill(pid, SIGTSTP);
	st = wait_stopped(pid);
	show("sigtstp", st);
	/* 3. SIGKILL ends a stopped child. */
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	show("sigkill while stopped", st);

	/* 4. A handler for SIGTSTP runs instead of stopping; SIG_IGN ignores it. */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTSTP, on_tstp);
		kill(getpid(), SIGTSTP);
		_exit(got_tstp ? 10 : 11);
	}
	while (waitpid(pid, &st, WUNTRACED) < 0 && errno == EINTR) ;
	show("tstp handler", st);
	pid = fork();
	if (pid == 0) {
		signal(SIGTSTP, SIG_IGN);
		kill(getpid(), SIGTSTP);
		_exit(12);
	}
	while (waitpid(pid, &st, WUNTRACED) < 0 && errno == EINTR) ;
	show("tstp ignored", st);

	/* 5. A SIGCONT handler runs once the stopped child is continued. */
	pid = fork();
	if (pid == 0) {
		signal(SIGCONT, on_cont);
		kill(getpid(), SIGSTOP);
		_exit(got_cont ? 20 : 21);
	}
	st = wait_stopped(pid);
	show("before cont handler", st);
	kill(pid, SIGCONT);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	show("cont handler", st);

	/* 6. SA_NOCLDSTOP: no SIGCHLD for the stop, but wait4 still reports it. */
	sa.sa_flags |= SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	chld_code = 0;
	pid = fork();
	if (pid == 0) { kill(getpid(), SIGSTOP); _exit(4); }
	st = wait_stopped(pid);
	show("nocldstop", st);
	printf("sigchld with SA_NOCLDSTOP: %s\n", chld_code == 0 ? "none" : "sent");
	kill(pid, SIGCONT);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	show("nocldstop end", st);

	/* 7. waitpid by process group: -pgid finds the child in its own group, 0 does not. */
	pid = fork();
	if (pid == 0) { setpgid(0, 0); kill(getpid(), SIGSTOP); _exit(5); }
	setpgid(pid, pid);
	st = wait_stopped(pid);
	errno = 0;
	printf("waitpid(0) for a child in another group: %d %s\n", (int)waitpid(0, &st, WNOHANG),
	       errno == ECHILD ? "ECHILD" : "");
	kill(pid, SIGCONT);
	pid_t r;
	while ((r = waitpid(-pid, &st, 0)) < 0 && errno == EINTR) ;
	printf("waitpid(-pgid) found the child: %s\n", r == pid ? "yes" : "no");
	show("by group", st);

	/* 8. Bad options are refused. */
	errno = 0;
	printf("waitpid with bad options: %d %s\n", (int)waitpid(-1, &st, 0x100), errno == EINVAL ? "EINVAL" : "");
	return 0;
}

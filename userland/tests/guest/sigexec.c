/*
 * execve resets caught signals to SIG_DFL and keeps ignored ones ignored (POSIX,
 * Linux's flush_signal_handlers): the handler's address means nothing in the new image.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void handler(int sig)
{
	(void)sig;
}

static const char *name(void (*h)(int))
{
	return h == SIG_DFL ? "SIG_DFL" : h == SIG_IGN ? "SIG_IGN" : "a handler";
}

int main(int argc, char **argv)
{
	struct sigaction sa, old;
	if (argc > 1 && !strcmp(argv[1], "after")) {
		sigaction(SIGUSR1, NULL, &old);
		printf("after exec: SIGUSR1 %s", name(old.sa_handler));
		sigaction(SIGUSR2, NULL, &old);
		printf(", SIGUSR2 %s\n", name(old.sa_handler));
		return 0;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGUSR1, NULL, &old);
	printf("before exec: SIGUSR1 %s\n", name(old.sa_handler));
	fflush(stdout);
	execl(argv[0], argv[0], "after", (char *)0);
	perror("execl");
	return 1;
}

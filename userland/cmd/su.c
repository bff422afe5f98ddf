/* su [-] [-l] [-c CMD] [USER]: become USER (default root) and run the user's
 * shell from /etc/passwd (or /bin/sh).  There are no passwords: only root may
 * switch; anyone else gets "su: Authentication failure". */
#include "common.h"
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int login = 0, k = 1;
	const char *cmd = NULL, *user = "root";
	prog = "su";
	for (; k < argc; k++) {
		if (!strcmp(argv[k], "-") || !strcmp(argv[k], "-l") || !strcmp(argv[k], "--login")) login = 1;
		else if (!strcmp(argv[k], "-c")) {
			if (++k >= argc) { warnx("option requires an argument -- 'c'"); return 1; }
			cmd = argv[k];
		} else if (argv[k][0] == '-') { warnx("invalid option -- '%s'", argv[k] + 1); return 1; }
		else break;
	}
	if (k < argc) user = argv[k++];
	struct pwent pw;
	if (find_user(user, 0, &pw) < 0) {
		fprintf(stderr, "su: user %s does not exist\n", user);
		return 1;
	}
	if (getuid() != 0) {
		fprintf(stderr, "su: Authentication failure\n");
		return 1;
	}
	const char *shell = pw.shell && *pw.shell ? pw.shell : "/bin/sh";
	const char *home = pw.home && *pw.home ? pw.home : "/";
	if (setgroups(1, &pw.gid) < 0 && errno != ENOSYS && errno != EPERM) {
		warnerr("cannot set groups");
		return 1;
	}
	if (setgid(pw.gid) < 0) { warnerr("cannot set group id"); return 1; }
	if (setuid(pw.uid) < 0) { warnerr("cannot set user id"); return 1; }
	setenv("HOME", home, 1);
	setenv("SHELL", shell, 1);
	setenv("USER", pw.name, 1);
	setenv("LOGNAME", pw.name, 1);
	if (login && chdir(home) < 0) warnerr("warning: cannot change directory to %s", home);
	const char *b = strrchr(shell, '/');
	b = b ? b + 1 : shell;
	char arg0[256];
	snprintf(arg0, sizeof arg0, "%s%s", login ? "-" : "", b);
	if (cmd) execl(shell, arg0, "-c", cmd, (char *)NULL);
	else execl(shell, arg0, (char *)NULL);
	warnerr("failed to execute %s", shell);
	return 126;
}

/* hostname [NAME]: print the host name (uname's nodename); setting it needs
 * sethostname, which the kernel does not have yet. */
#include "common.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	prog = "hostname";
	if (argc > 1 && argv[1][0] != '-') {
		if (sethostname(argv[1], strlen(argv[1])) < 0) {
			if (errno == EPERM) warnx("you must be root to change the host name");
			else warnerr("%s", argv[1]);
			return 1;
		}
		return 0;
	}
	struct utsname u;
	if (uname(&u) < 0) { warnerr("uname"); return 1; }
	if (argc > 1 && !strcmp(argv[1], "-s")) { char *dot = strchr(u.nodename, '.'); if (dot) *dot = 0; }
	puts(u.nodename);
	return 0;
}

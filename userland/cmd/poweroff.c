/* poweroff, reboot, halt [-f]: sync the disks and ask the kernel, with Linux's
 * reboot(2), to power off, restart or halt the machine.  Only root may. */
#include "common.h"
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	prog = !strcmp(name, "reboot") ? "reboot" : !strcmp(name, "halt") ? "halt" : "poweroff";
	for (int k = 1; k < argc; k++) {
		if (strcmp(argv[k], "-f") && strcmp(argv[k], "--force") && strcmp(argv[k], "-p")) {
			warnx("invalid option -- '%s'", argv[k]);
			return 1;
		}
		if (!strcmp(argv[k], "-p")) prog = "poweroff";
	}
	int cmd = !strcmp(prog, "reboot") ? RB_AUTOBOOT : !strcmp(prog, "halt") ? RB_HALT_SYSTEM : RB_POWER_OFF;
	sync();
	if (reboot(cmd) < 0) {
		if (geteuid() != 0) warnx("must be superuser.");
		else warnerr("reboot");
		return 1;
	}
	return 0;
}

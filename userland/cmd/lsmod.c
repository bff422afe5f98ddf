/* lsmod: the loaded modules of /proc/modules, as kmod's lsmod lays them out:
 * name, size, use count and the modules using each one. */
#include "kmod.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	prog = "lsmod";
	if (argc > 1) { kmod_log("ERROR", "too many arguments provided."); return 1; }
	struct modlist l;
	if (modlist_read(&l) < 0) {
		kmod_log("ERROR", "could not get list of modules: %s", linux_strerror(errno));
		return 1;
	}
	puts("Module                  Size  Used by");
	for (int i = 0; i < l.n; i++) {
		const struct loaded *m = &l.mods[i];
		printf("%-19s %8s  %s", m->name, m->size, m->refcnt);
		/* The kernel also lists markers such as "[permanent]"; kmod shows module names only. */
		char users[512], *p = users, sep = ' ';
		snprintf(users, sizeof users, "%s", m->users);
		for (char *u; (u = strsep(&p, ","));) {
			if (!*u || *u == '[') continue;
			printf("%c%s", sep, u);
			sep = ',';
		}
		putchar('\n');
	}
	return 0;
}

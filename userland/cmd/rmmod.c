/* rmmod [-f] MODULE...: unload modules by name (or by the file they came from),
 * as kmod's rmmod does: unless forced, a module that is not loaded or that
 * is in use is reported from /proc/modules before asking the kernel;
 * delete_module is called with O_NONBLOCK (O_TRUNC too with -f), and a forced
 * removal the kernel refuses is reported with the kernel's error. */
#include "kmod.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why name cannot go: 0 if it may, else the message has been printed. */
static int check_in_use(const char *name)
{
	struct modlist l;
	if (modlist_read(&l) < 0) return 0;     /* no list: let the kernel decide */
	const struct loaded *m = modlist_find(&l, name);
	int busy = 1;
	if (!m) {
		kmod_log("ERROR", "Module %s is not currently loaded", name);
	} else if (*m->users) {
		char users[512], *u = users;
		snprintf(users, sizeof users, "%s", m->users);
		for (; *u; u++) if (*u == ',') *u = ' ';
		kmod_log("ERROR", "Module %s is in use by: %s", name, users);
	} else if (atoi(m->refcnt) > 0) {
		kmod_log("ERROR", "Module %s is in use", name);
	} else {
		busy = 0;
	}
	modlist_free(&l);
	return busy;
}

int main(int argc, char **argv)
{
	prog = "rmmod";
	int force = 0, k = 1, failed = 0;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "-f") || !strcmp(argv[k], "--force")) force = 1;
		else if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
			printf("Usage:\n\t%s [options] modulename ...\nOptions:\n"
			       "\t-f, --force       forces a module unload and may crash your\n"
			       "\t                  machine.\n"
			       "\t-h, --help        show this help\n", prog);
			return 0;
		} else if (strcmp(argv[k], "-s") && strcmp(argv[k], "-v") && strcmp(argv[k], "-w")) {
			fprintf(stderr, "%s: invalid option -- '%s'\n", prog, argv[k] + 1);
			return 1;
		}
	}
	if (k >= argc) { kmod_log("ERROR", "missing module name."); return 1; }
	for (; k < argc; k++) {
		char name[MODNAME_LEN];
		modname(argv[k], name, sizeof name);
		if (!force && check_in_use(name)) { failed = 1; continue; }
		int r = module_remove(name, force);
		if (r == -ENOENT) {
			kmod_log("ERROR", "Module %s is not currently loaded", name);
			failed = 1;
		} else if (!force && (r == -EBUSY || r == -EAGAIN)) {
			/* It gained a user since the check: say who, as the check would have. */
			if (!check_in_use(name)) kmod_log("ERROR", "Module %s is in use", name);
			failed = 1;
		} else if (r < 0) {
			kmod_log("ERROR", "could not remove module %s: %s", argv[k], linux_strerror(-r));
			failed = 1;
		}
	}
	return failed;
}

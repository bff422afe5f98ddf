/* insmod FILE [PARAM=VALUE...]: load one module file, as kmod's insmod does:
 * the parameters are passed to the kernel joined by spaces, dependencies are
 * not looked at (that is modprobe's job). */
#include "kmod.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* kmod's readings of init_module's errors, more telling than strerror's. */
static const char *insert_error(int e)
{
	switch (e) {
	case ENOEXEC: return "Invalid module format";
	case ENOENT: return "Unknown symbol in module";
	case ESRCH: return "Module has wrong symbol version";
	case EINVAL: return "Invalid parameters";
	default: return linux_strerror(e);
	}
}

int main(int argc, char **argv)
{
	prog = "insmod";
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
			printf("Usage:\n\t%s [options] filename [args]\nOptions:\n"
			       "\t-V, --version     show version\n\t-h, --help        show this help\n", prog);
			return 0;
		}
		/* -p, -s and -f are accepted and ignored, as kmod does with the first two. */
		if (strcmp(argv[k], "-p") && strcmp(argv[k], "-s") && strcmp(argv[k], "-f")) {
			fprintf(stderr, "%s: invalid option -- '%s'\n", prog, argv[k] + 1);
			return 1;
		}
	}
	if (k >= argc) { kmod_log("ERROR", "missing filename."); return 1; }
	const char *file = argv[k++];
	if (!strcmp(file, "-")) { kmod_log("ERROR", "this tool does not support loading from stdin!"); return 1; }

	size_t len = 1;
	for (int i = k; i < argc; i++) len += strlen(argv[i]) + 1;
	char *params = malloc(len);
	if (!params) { kmod_log("ERROR", "out of memory"); return 1; }
	params[0] = 0;
	for (int i = k; i < argc; i++) {
		if (i > k) strcat(params, " ");
		strcat(params, argv[i]);
	}

	struct stat st;
	if (stat(file, &st) < 0) {
		kmod_log("ERROR", "could not load module %s: %s", file, linux_strerror(errno));
		return 1;
	}
	int r = module_insert(file, params);
	if (r < 0) {
		kmod_log("ERROR", "could not insert module %s: %s", file, insert_error(-r));
		return 1;
	}
	return 0;
}

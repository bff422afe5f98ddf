/*
 * toolbox: the utilities that came with the shell, in one program installed under
 * each of their names (hard links in the image), so the initramfs carries one copy
 * of the C library instead of one per tool.  Each tool is an ordinary program in
 * its own file, compiled with its main renamed to NAME_main (see the Makefile).
 *
 *   toolbox NAME [ARG...]      or a link named NAME
 *   toolbox                    lists the tools
 */
#include "common.h"
#include "shtools.h"
#include <stdio.h>
#include <string.h>

#define TOOL(name) int name##_main(int, char **);
#include "toolbox.def"
#undef TOOL

struct tool { const char *name; int (*main)(int, char **); };

static const struct tool tools[] = {
#define TOOL(name) { #name, name##_main },
#include "toolbox.def"
#undef TOOL
	{ "[", test_main }, { "test", test_main }, { "printf", printf_main },
	{ "reboot", poweroff_main }, { "halt", poweroff_main },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (!strcmp(name, "toolbox")) {
		if (argc < 2) {
			for (const struct tool *t = tools; t->name; t++) printf("%s%c", t->name, t[1].name ? ' ' : '\n');
			return 0;
		}
		argv++;
		argc--;
		name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	}
	for (const struct tool *t = tools; t->name; t++)
		if (!strcmp(t->name, name)) {
			prog = t->name;
			return t->main(argc, argv);
		}
	fprintf(stderr, "toolbox: %s: applet not found\n", name);
	return 127;
}

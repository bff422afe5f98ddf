/*
 * modinfo [-F FIELD|-a|-d|-l|-n|-p] [-0] MODULE|FILE...: what a module says
 * about itself, as kmod's modinfo prints it.
 *
 * Linux keeps this in the .modinfo section of the ELF file; a microlith .ko is
 * a jar and keeps it in META-INF/MANIFEST.MF, as Module-* attributes.  The
 * parameters ("parm:" lines) come from Module-Parameters, "name:type:text|...",
 * which the image builder's modpost step records from the module's code.
 */
#include "kmod.h"
#include "zip.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* modinfo's fields, in the order printed, and the manifest attributes behind them. */
static const struct { const char *field, *attribute; } fields[] = {
	{ "description", "Module-Description" },
	{ "author", "Module-Author" },
	{ "license", "Module-License" },
	{ "version", "Module-Version" },
	{ "depends", "Module-Depends" },
	{ "name", "Module-Name" },
	{ "vermagic", "Module-Vermagic" },
	{ "parm", "Module-Parameters" },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static const char *only;         /* -F: print this field's values alone */
static char separator = '\n';

/*
 * The main section of a manifest (JAR File Specification): "Name: value"
 * lines up to the first empty line; a line longer than 72 bytes continues on
 * lines starting with one space.  Joins the continuations in place and stores
 * the value of each wanted attribute in values[].
 */
static void parse_manifest(char *text, const char *values[NFIELDS])
{
	char *out = text;
	for (char *p = text; *p;) {
		char *line = out;
		for (;;) {                       /* copy one logical line to out */
			while (*p && *p != '\r' && *p != '\n') *out++ = *p++;
			if (*p == '\r') p++;
			if (*p == '\n') p++;
			if (*p != ' ') break;
			p++;
		}
		*out++ = 0;
		if (!*line) break;               /* end of the main section */
		char *colon = strstr(line, ": ");
		if (!colon) continue;
		*colon = 0;
		for (size_t i = 0; i < NFIELDS; i++)
			if (!strcasecmp(line, fields[i].attribute) && !values[i]) values[i] = colon + 2;
	}
}

/* "a, b" as modinfo's "a,b". */
static void squeeze_list(char *s)
{
	char *out = s;
	for (char *p = s; *p; p++)
		if (*p != ' ' && *p != '\t') *out++ = *p;
	*out = 0;
}

static void show(const char *field, const char *value)
{
	if (only) {
		if (!strcmp(only, field)) printf("%s%c", value, separator);
		return;
	}
	if (separator == '\0') printf("%s=%s%c", field, value, separator);
	else printf("%s:%-*s%s%c", field, 15 - (int)strlen(field), "", value, separator);
}

/* "whom:charp:Who to greet|..." as Linux's "parm: whom:Who to greet (charp)" lines. */
static void show_parms(char *list)
{
	for (char *p = strtok(list, "|"); p; p = strtok(NULL, "|")) {
		char *type = strchr(p, ':');
		char *text = type ? strchr(type + 1, ':') : NULL;
		if (!text) continue;
		*type++ = 0;
		*text++ = 0;
		char line[512];
		snprintf(line, sizeof line, "%s:%s (%s)", p, text, type);
		show("parm", line);
	}
}

static int modinfo(const char *path)
{
	char name[MODNAME_LEN];
	modname(path, name, sizeof name);
	if (only && !strcmp(only, "filename")) { printf("%s%c", path, separator); return 0; }
	if (!only) printf("%-16s%s%c", "filename:", path, separator);

	size_t len, mlen;
	unsigned char *ko = (unsigned char *)read_file(path, &len);
	char *manifest = ko ? (char *)zip_read(ko, len, "META-INF/MANIFEST.MF", &mlen) : NULL;
	if (!manifest) {
		/* A jar without a manifest is no module either. */
		int e = errno == ENOENT && ko ? ENOEXEC : errno;
		kmod_log("ERROR", "could not get modinfo from '%s': %s", name, linux_strerror(e));
		free(ko);
		return -1;
	}
	const char *values[NFIELDS] = { 0 };
	parse_manifest(manifest, values);
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *v = values[i];
		if (!strcmp(fields[i].field, "depends")) {
			if (v) squeeze_list((char *)v);
			else v = "";             /* always shown, as depmod always writes it */
		}
		if (!strcmp(fields[i].field, "name") && !v) v = name;
		if (v && !strcmp(fields[i].field, "parm")) show_parms((char *)v);
		else if (v) show(fields[i].field, v);
	}
	free(manifest);
	free(ko);
	return 0;
}

/* kmod takes an argument as a file when it is a regular file named *.ko. */
static int is_module_file(const char *arg)
{
	struct stat st;
	size_t n = strlen(arg);
	return stat(arg, &st) == 0 && S_ISREG(st.st_mode) && n > 3 && !strcmp(arg + n - 3, ".ko");
}

int main(int argc, char **argv)
{
	prog = "modinfo";
	int k = 1, failed = 0;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "--")) { k++; break; }
		if (!strcmp(a, "-F") || !strcmp(a, "--field")) {
			if (++k == argc) { fprintf(stderr, "%s: option requires an argument -- 'F'\n", prog); return 1; }
			only = argv[k];
		} else if (!strncmp(a, "--field=", 8)) only = a + 8;
		else if (!strcmp(a, "-a") || !strcmp(a, "--author")) only = "author";
		else if (!strcmp(a, "-d") || !strcmp(a, "--description")) only = "description";
		else if (!strcmp(a, "-l") || !strcmp(a, "--license")) only = "license";
		else if (!strcmp(a, "-n") || !strcmp(a, "--filename")) only = "filename";
		else if (!strcmp(a, "-p") || !strcmp(a, "--parameters")) only = "parm";
		else if (!strcmp(a, "-0") || !strcmp(a, "--null")) separator = '\0';
		else { fprintf(stderr, "%s: invalid option -- '%s'\n", prog, a + 1); return 1; }
	}
	if (k >= argc) { kmod_log("ERROR", "missing module or filename."); return 1; }

	struct moddep dep;
	int have_dep = moddep_read(&dep) == 0;
	for (; k < argc; k++) {
		const char *arg = argv[k];
		if (is_module_file(arg)) {
			char *abs = absolute_path(arg);
			if (modinfo(abs ? abs : arg) < 0) failed = 1;
			free(abs);
			continue;
		}
		char name[MODNAME_LEN];
		modname(arg, name, sizeof name);
		int i = have_dep ? moddep_find(&dep, name) : -1;
		if (i < 0) { kmod_log("ERROR", "Module %s not found.", arg); failed = 1; continue; }
		if (modinfo(dep.mods[i].path) < 0) failed = 1;
	}
	return failed;
}

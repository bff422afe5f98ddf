/* What the module tools share, as libkmod is shared by kmod's: messages, module
 * names, the loaded modules (/proc/modules), the dependency list
 * (/lib/modules/RELEASE/modules.dep) and the module system calls. */
#ifndef KMOD_H
#define KMOD_H
#include "common.h"
#include "errtext.h"

#define MODNAME_LEN 64           /* Linux's MODULE_NAME_LEN is 56 */

/* "prog: LEVEL: message\n" on stderr, unless kmod_quiet (modprobe -q); level
 * "FATAL" then exits with status 1. */
extern int kmod_quiet;
void kmod_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The module name an argument stands for: its last path component up to the
 * first '.', with '-' read as '_' ("./hello-user.ko" is hello_user). */
void modname(const char *arg, char *buf, size_t n);

/* path made absolute against the working directory, as kmod shows a module
 * given by file ("./a.ko" in /root is "/root/./a.ko"); malloc'd. */
char *absolute_path(const char *path);

/* A whole file in a malloc'd buffer with a NUL after it; NULL and errno. */
char *read_file(const char *path, size_t *len);

/* One line of /proc/modules: "name size refcnt users state address [taint]". */
struct loaded {
	char *name, *size, *refcnt;
	char *users;                 /* "a,b" for the kernel's "a,b,"; "" for "-" */
};
struct modlist { int n; struct loaded *mods; char *text; };
int modlist_read(struct modlist *l);          /* 0, or -1 and errno */
void modlist_free(struct modlist *l);
const struct loaded *modlist_find(const struct modlist *l, const char *name);

/* modules.dep: "kernel/a.ko: kernel/b.ko kernel/c.ko" lists every module a
 * needs, so that loading goes from the last one listed to a itself. */
struct depmod {
	char name[MODNAME_LEN];
	char *path;                  /* absolute */
	int ndeps, *deps;            /* indices into moddep.mods, in listed order */
};
struct moddep { int n; struct depmod *mods; char dir[128]; };
int moddep_read(struct moddep *d);            /* 0, or -1 and errno (d->dir is set) */
int moddep_find(const struct moddep *d, const char *name);   /* index or -1 */

/* init_module(2) by file (finit_module, or the image when that is missing);
 * delete_module(2) without waiting, O_TRUNC when forced.  0 or -errno. */
int module_insert(const char *path, const char *params);
int module_remove(const char *name, int force);
#endif

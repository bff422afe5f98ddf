/* The module tools' shared library (see kmod.h). */
#include "kmod.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int kmod_quiet;

void kmod_log(const char *level, const char *fmt, ...)
{
	va_list ap;
	if (kmod_quiet) {
		if (!strcmp(level, "FATAL")) exit(EXIT_FAILURE);
		return;
	}
	fflush(stdout);
	fprintf(stderr, "%s: %s: ", prog, level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (!strcmp(level, "FATAL")) exit(EXIT_FAILURE);
}

void modname(const char *arg, char *buf, size_t n)
{
	const char *base = strrchr(arg, '/');
	base = base ? base + 1 : arg;
	size_t k = 0;
	for (; base[k] && base[k] != '.' && k < n - 1; k++)
		buf[k] = base[k] == '-' ? '_' : base[k];
	buf[k] = 0;
}

char *absolute_path(const char *path)
{
	char cwd[4096];
	if (path[0] == '/' || !getcwd(cwd, sizeof cwd)) return strdup(path);
	size_t n = strlen(cwd) + strlen(path) + 2;
	char *abs = malloc(n);
	if (abs) snprintf(abs, n, "%s/%s", cwd, path);
	return abs;
}

/* /proc files report size 0, so read until end of file. */
static char *read_fd(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	for (;;) {
		if (!buf) { errno = ENOMEM; return NULL; }
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR) continue;
		if (r < 0) { int e = errno; free(buf); errno = e; return NULL; }
		if (r == 0) break;
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			char *bigger = realloc(buf, cap + 1);
			if (!bigger) free(buf);
			buf = bigger;
		}
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return NULL;
	char *text = read_fd(fd, len);
	int e = errno;
	close(fd);
	errno = e;
	return text;
}

/* Splits off the next blank-separated word of *p, NUL-terminating it. */
static char *word(char **p)
{
	char *s = *p;
	while (*s == ' ' || *s == '\t') s++;
	if (!*s) { *p = s; return NULL; }
	char *w = s;
	while (*s && *s != ' ' && *s != '\t') s++;
	if (*s) *s++ = 0;
	*p = s;
	return w;
}

int modlist_read(struct modlist *l)
{
	size_t len;
	memset(l, 0, sizeof *l);
	l->text = read_file("/proc/modules", &len);
	if (!l->text) return -1;
	int cap = 0;
	for (char *line = l->text, *next; *line; line = next) {
		next = strchr(line, '\n');
		if (next) *next++ = 0; else next = line + strlen(line);
		struct loaded m;
		char *p = line;
		if (!(m.name = word(&p)) || !(m.size = word(&p)) || !(m.refcnt = word(&p))) continue;
		m.users = word(&p);
		if (!m.users || !strcmp(m.users, "-")) m.users = "";
		size_t ul = strlen(m.users);
		if (ul && m.users[ul - 1] == ',') m.users[ul - 1] = 0;
		if (l->n == cap) {
			cap = cap ? cap * 2 : 16;
			struct loaded *more = realloc(l->mods, sizeof *more * (size_t)cap);
			if (!more) { modlist_free(l); errno = ENOMEM; return -1; }
			l->mods = more;
		}
		l->mods[l->n++] = m;
	}
	return 0;
}

void modlist_free(struct modlist *l)
{
	free(l->mods);
	free(l->text);
	memset(l, 0, sizeof *l);
}

const struct loaded *modlist_find(const struct modlist *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->mods[i].name, name)) return &l->mods[i];
	return NULL;
}

/* The entry for the module at path (relative to the directory), made on first sight. */
static int moddep_add(struct moddep *d, const char *path, int *cap)
{
	char name[MODNAME_LEN];
	modname(path, name, sizeof name);
	int i = moddep_find(d, name);
	if (i >= 0) return i;
	if (d->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		struct depmod *more = realloc(d->mods, sizeof *more * (size_t)*cap);
		if (!more) return -1;
		d->mods = more;
	}
	struct depmod *m = &d->mods[d->n];
	memset(m, 0, sizeof *m);
	snprintf(m->name, sizeof m->name, "%s", name);
	size_t n = strlen(d->dir) + strlen(path) + 2;
	if (!(m->path = malloc(n))) return -1;
	if (path[0] == '/') snprintf(m->path, n, "%s", path);
	else snprintf(m->path, n, "%s/%s", d->dir, path);
	return d->n++;
}

int moddep_read(struct moddep *d)
{
	struct utsname u;
	char file[160];
	size_t len;
	int cap = 0;
	memset(d, 0, sizeof *d);
	uname(&u);
	snprintf(d->dir, sizeof d->dir, "/lib/modules/%s", u.release);
	snprintf(file, sizeof file, "%s/modules.dep", d->dir);
	char *text = read_file(file, &len);
	if (!text) return -1;
	for (char *line = text, *next; *line; line = next) {
		next = strchr(line, '\n');
		if (next) *next++ = 0; else next = line + strlen(line);
		char *colon = strchr(line, ':');
		if (line[0] == '#' || !colon) continue;
		*colon = 0;
		char *p = line, *path = word(&p);
		if (!path) continue;
		int i = moddep_add(d, path, &cap);
		if (i < 0) goto nomem;
		if (d->mods[i].deps) continue;   /* listed twice: the first line counts */
		int *deps = NULL, n = 0;
		p = colon + 1;
		for (char *w; (w = word(&p)); n++) {
			int j = moddep_add(d, w, &cap);
			int *more = realloc(deps, sizeof *deps * (size_t)(n + 1));
			if (j < 0 || !more) { free(more ? more : deps); goto nomem; }
			deps = more;
			deps[n] = j;
		}
		d->mods[i].deps = deps ? deps : malloc(1);
		d->mods[i].ndeps = n;
	}
	free(text);
	return 0;
nomem:
	free(text);
	errno = ENOMEM;
	return -1;
}

int moddep_find(const struct moddep *d, const char *name)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->mods[i].name, name)) return i;
	return -1;
}

int module_insert(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -errno;
	struct stat st;
	int e = 0;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) e = EISDIR;
	else if (syscall(SYS_finit_module, fd, params, 0) < 0) e = errno;
	if (e == ENOSYS) {
		/* A kernel without finit_module takes the image itself. */
		size_t len;
		char *image = read_fd(fd, &len);
		if (!image) e = errno;
		else e = syscall(SYS_init_module, image, len, params) < 0 ? errno : 0;
		free(image);
	}
	close(fd);
	return -e;
}

int module_remove(const char *name, int force)
{
	long flags = O_NONBLOCK | (force ? O_TRUNC : 0);
	return syscall(SYS_delete_module, name, flags) < 0 ? -errno : 0;
}

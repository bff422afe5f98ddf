/*
 * modprobe [-a] [-n] [-q] [-r] [-v] MODULE [PARAM=VALUE...]: load a module
 * with everything it needs, or (-r) unload it and whatever it needed that
 * nothing else uses, as kmod's modprobe does with the module directory
 * /lib/modules/RELEASE.
 *
 * modules.dep lists, for each module, every module it depends on, directly or
 * not, the deepest last; modules already in /proc/modules are left alone.  A
 * modules.dep that makes modules depend on themselves cannot be loaded in any
 * order: modprobe names the cycles, in depmod's words, and loads nothing.
 */
#include "kmod.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int dry_run, show;
static const char *log_level = "FATAL";   /* kmod's LOG(): fatal, or with -a a warning */
static struct moddep dep;
static struct modlist loaded;

static void reread_loaded(void)
{
	modlist_free(&loaded);
	modlist_read(&loaded);          /* none readable: nothing counts as loaded */
}

static int is_loaded(const char *name) { return modlist_find(&loaded, name) != NULL; }

/* Tarjan's strongly connected components over the modules reachable from
 * the one asked for; a component of several modules, or one that lists
 * itself, is a cycle. */
static int *order, *low, *on_stack, *stack, *comp, sp, counter, ncomp;

static void strongconnect(int v)
{
	order[v] = low[v] = ++counter;
	stack[sp++] = v;
	on_stack[v] = 1;
	for (int k = 0; k < dep.mods[v].ndeps; k++) {
		int w = dep.mods[v].deps[k];
		if (!order[w]) {
			strongconnect(w);
			if (low[w] < low[v]) low[v] = low[w];
		} else if (on_stack[w] && order[w] < low[v]) {
			low[v] = order[w];
		}
	}
	if (low[v] != order[v]) return;
	int w;
	do {
		w = stack[--sp];
		on_stack[w] = 0;
		comp[w] = ncomp;
	} while (w != v);
	ncomp++;
}

/* Prints the shortest cycle from start back to itself inside its component. */
static void print_cycle(int start)
{
	int *parent = malloc(sizeof(int) * (size_t)dep.n), *queue = malloc(sizeof(int) * (size_t)dep.n);
	int head = 0, tail = 0, last = -1;
	for (int i = 0; i < dep.n; i++) parent[i] = -1;
	queue[tail++] = start;
	while (head < tail && last < 0) {
		int u = queue[head++];
		for (int k = 0; k < dep.mods[u].ndeps && last < 0; k++) {
			int w = dep.mods[u].deps[k];
			if (w == start) last = u;
			else if (comp[w] == comp[start] && parent[w] < 0 && w != start) {
				parent[w] = u;
				queue[tail++] = w;
			}
		}
	}
	int n = 0;
	for (int v = last; v >= 0 && v != start; v = parent[v]) queue[n++] = v;
	char line[1024];
	int len = snprintf(line, sizeof line, "%s", dep.mods[start].name);
	while (n-- > 0 && len < (int)sizeof line)
		len += snprintf(line + len, sizeof line - (size_t)len, " -> %s", dep.mods[queue[n]].name);
	if (len < (int)sizeof line)
		snprintf(line + len, sizeof line - (size_t)len, " -> %s", dep.mods[start].name);
	kmod_log("ERROR", "Cycle detected: %s", line);
	free(parent);
	free(queue);
}

/* 0 if no cycle is reachable from root; else reports them and returns -1. */
static int check_cycles(int root)
{
	size_t sz = sizeof(int) * (size_t)dep.n;
	order = calloc(1, sz); low = calloc(1, sz); on_stack = calloc(1, sz);
	stack = calloc(1, sz); comp = calloc(1, sz);
	int *size = calloc(1, sz), *first = calloc(1, sz);
	sp = counter = ncomp = 0;
	strongconnect(root);

	/* Components in the order the search first met them, each from its first module. */
	for (int c = 0; c < ncomp; c++) first[c] = -1;
	for (int v = 0; v < dep.n; v++) {
		if (!order[v]) continue;
		size[comp[v]]++;
		if (first[comp[v]] < 0 || order[v] < order[first[comp[v]]]) first[comp[v]] = v;
	}
	int in_cycles = 0;
	for (int v = 0; v < dep.n; v++) {
		if (!order[v]) continue;
		int self = 0;
		for (int k = 0; k < dep.mods[v].ndeps; k++) self |= dep.mods[v].deps[k] == v;
		if (size[comp[v]] > 1 || self) in_cycles++;
		else first[comp[v]] = -1;
	}
	if (in_cycles) {
		kmod_log("ERROR", "Found %d modules in dependency cycles!", in_cycles);
		for (int round = 1; round <= counter; round++)
			for (int c = 0; c < ncomp; c++)
				if (first[c] >= 0 && order[first[c]] == round) print_cycle(first[c]);
	}
	free(order); free(low); free(on_stack); free(stack); free(comp); free(size); free(first);
	return in_cycles ? -1 : 0;
}

/* Modules in loading order: each one's dependencies (the deepest, listed
 * last, first), then the module; each module once. */
static void load_order(int v, char *seen, int *list, int *n)
{
	if (seen[v]) return;
	seen[v] = 1;
	for (int k = dep.mods[v].ndeps; k-- > 0;) load_order(dep.mods[v].deps[k], seen, list, n);
	list[(*n)++] = v;
}

static void report_insert_error(const char *name, int e)
{
	if (e == ENOENT)
		kmod_log("ERROR", "could not insert '%s': Unknown symbol in module, "
		         "or unknown parameter (see dmesg)", name);
	else
		kmod_log("ERROR", "could not insert '%s': %s", name, linux_strerror(e));
}

/* Loads arg (a name, or a file path starting with "/" or "./") with params. */
static int insert(const char *arg, const char *params)
{
	char name[MODNAME_LEN];
	modname(arg, name, sizeof name);
	int target = moddep_find(&dep, name);
	const char *path = target >= 0 ? dep.mods[target].path : NULL;
	char *abs = NULL;
	if (!strncmp(arg, "/", 1) || !strncmp(arg, "./", 2)) {
		struct stat st;
		if (stat(arg, &st) < 0) {
			kmod_log(log_level, "Failed to get module from path %s: %s", arg, linux_strerror(errno));
			return -ENOENT;
		}
		path = abs = absolute_path(arg);
		if (!abs) path = arg;
	} else if (target < 0) {
		kmod_log(log_level, "Module %s not found in directory %s", arg, dep.dir);
		return -ENOENT;
	}
	if (is_loaded(name)) { free(abs); return 0; }
	if (target >= 0 && check_cycles(target) < 0) { free(abs); return -ELOOP; }

	int *list = malloc(sizeof(int) * (size_t)(dep.n + 1)), n = 0;
	char *seen = calloc(1, (size_t)dep.n + 1);
	if (target >= 0) load_order(target, seen, list, &n);
	else list[n++] = -1;                /* a file modules.dep does not know */
	int err = 0;
	for (int i = 0; i < n && !err; i++) {
		int v = list[i];
		int is_target = v == target;
		if (!is_target && is_loaded(dep.mods[v].name)) continue;
		const char *file = is_target ? path : dep.mods[v].path;
		const char *opts = is_target ? params : "";
		if (show) { printf("insmod %s %s\n", file, opts); fflush(stdout); }
		if (dry_run) continue;
		err = module_insert(file, opts);
		if (err == -EEXIST) err = 0;    /* loaded meanwhile by someone else */
	}
	if (err) report_insert_error(name, -err);
	free(list);
	free(seen);
	free(abs);
	return err;
}

static int unload(const char *name)
{
	if (show) { printf("rmmod %s\n", name); fflush(stdout); }
	if (dry_run) return 0;
	int r = module_remove(name, 0);
	if (r < 0) kmod_log("ERROR", "could not remove '%s': %s", name, linux_strerror(-r));
	return r;
}

/* Unloads arg, then each module it depended on that nothing uses any more. */
static int remove_module(const char *arg)
{
	char name[MODNAME_LEN];
	modname(arg, name, sizeof name);
	int v = moddep_find(&dep, name);
	if (v < 0) { kmod_log(log_level, "Module %s not found.", arg); return -ENOENT; }
	const struct loaded *m = modlist_find(&loaded, name);
	if (!m) return 0;
	if (atoi(m->refcnt) > 0 || *m->users) {
		kmod_log(log_level, "Module %s is in use.", name);
		return -EBUSY;
	}
	int r = unload(name);
	if (r < 0) return r;
	/* The module needed nothing that was not already loaded; these are listed
	 * users before what they use, so each one's users are gone by its turn. */
	for (int k = 0; k < dep.mods[v].ndeps; k++) {
		reread_loaded();
		const char *d = dep.mods[dep.mods[v].deps[k]].name;
		const struct loaded *dm = modlist_find(&loaded, d);
		if (dm && atoi(dm->refcnt) == 0 && !*dm->users) unload(d);
	}
	return 0;
}

/* kmod's joining of the parameters: a value with a space gets double quotes. */
static char *join_params(char **args, int n)
{
	size_t len = 1;
	for (int i = 0; i < n; i++) len += strlen(args[i]) + 3;
	char *s = malloc(len), *p = s;
	*p = 0;
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(args[i], '=');
		int quote = eq && eq[1] != '"' && eq[1] != '\'' && strchr(eq, ' ');
		if (i) *p++ = ' ';
		if (quote)
			p += sprintf(p, "%.*s\"%s\"", (int)(eq + 1 - args[i]), args[i], eq + 1);
		else
			p += sprintf(p, "%s", args[i]);
	}
	return s;
}

static int usage(void)
{
	printf("Usage:\n"
	       "\t%s [options] modulename [parameters...]\n"
	       "\t%s [options] -a modulename [modulename...]\n"
	       "\t%s [options] -r [-a] modulename [modulename...]\n"
	       "Options:\n"
	       "\t-a, --all        Consider every non-argument to be a module name\n"
	       "\t-r, --remove     Remove modules instead of inserting\n"
	       "\t-n, --dry-run    Do not execute operations, just print out\n"
	       "\t-q, --quiet      disable messages\n"
	       "\t-v, --verbose    enables more messages\n"
	       "\t-h, --help       show this help\n", prog, prog, prog);
	return 0;
}

int main(int argc, char **argv)
{
	prog = "modprobe";
	int all = 0, remove = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "--")) { k++; break; }
		if (a[1] == '-') {
			if (!strcmp(a, "--all")) all = 1;
			else if (!strcmp(a, "--remove")) remove = 1;
			else if (!strcmp(a, "--dry-run") || !strcmp(a, "--show")) dry_run = 1;
			else if (!strcmp(a, "--quiet")) kmod_quiet = 1;
			else if (!strcmp(a, "--verbose")) show = 1;
			else if (!strcmp(a, "--help")) return usage();
			else { fprintf(stderr, "%s: unrecognized option '%s'\n", prog, a); return 1; }
			continue;
		}
		for (const char *c = a + 1; *c; c++) {
			switch (*c) {
			case 'a': all = 1; break;
			case 'r': remove = 1; break;
			case 'n': dry_run = 1; break;
			case 'q': kmod_quiet = 1; break;
			case 'v': show = 1; break;
			case 'h': return usage();
			default: fprintf(stderr, "%s: invalid option -- '%c'\n", prog, *c); return 1;
			}
		}
	}
	if (dry_run) show = 1;
	if (all) log_level = "WARNING";
	if (k >= argc) { kmod_log("ERROR", "missing parameters. See -h."); return 1; }

	moddep_read(&dep);                  /* none: every module is "not found" */
	modlist_read(&loaded);
	int err = 0;
	if (remove || all) {
		for (; k < argc; k++) {
			int r = remove ? remove_module(argv[k]) : insert(argv[k], "");
			if (r < 0) err = r;
			if (remove) reread_loaded();
		}
	} else {
		char *params = join_params(argv + k + 1, argc - k - 1);
		err = insert(argv[k], params);
		free(params);
	}
	return err < 0;
}

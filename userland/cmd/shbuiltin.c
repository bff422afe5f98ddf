/*
 * The shell's builtins: POSIX's special builtins (XCU 2.14) and the regular
 * ones a shell must have to be useful (cd, read, test, printf, kill, jobs...).
 */
#include "sh.h"
#include "common.h"
#include "lineedit.h"
#include "shtools.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

int set_option_letter(int c, int on);
int set_option_name(const char *name, int on);
void print_options(int reusable);

static int dot_depth;

static void print_quoted(const char *s, FILE *f)
{
	int plain = *s != 0;
	for (const char *p = s; *p; p++)
		if (!(is_name_char((unsigned char)*p) || strchr("/.-+=:,%@_", *p))) plain = 0;
	if (plain) { fputs(s, f); return; }
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'') fputs("'\\''", f);
		else fputc(*s, f);
	}
	fputc('\'', f);
}

static int bad_number(const char *cmd, const char *arg)
{
	fprintf(stderr, "sh: %s: %s: numeric argument required\n", cmd, arg);
	return 2;
}

static int parse_num(const char *s, long *v)
{
	char *end;
	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && !errno;
}

/* ---- special builtins ---- */

static int bi_colon(int argc, char **argv) { (void)argc; (void)argv; return 0; }

static int bi_break(int argc, char **argv)
{
	long n = 1;
	if (argc > 1 && (!parse_num(argv[1], &n) || n < 1)) {
		fprintf(stderr, "sh: %s: %s: loop count out of range\n", argv[0], argv[1]);
		return 1;
	}
	if (!loop_depth) return 0;
	skip = argv[0][0] == 'b' ? SKIP_BREAK : SKIP_CONT;
	skip_count = n > loop_depth ? loop_depth : (int)n;
	return 0;
}

static int bi_dot(int argc, char **argv)
{
	if (argc < 2) { fputs("sh: .: filename argument required\n", stderr); return 2; }
	const char *file = argv[1];
	if (!strchr(file, '/')) {
		char *p = find_in_path(file, getvar("PATH"));
		if (p) file = p;
	}
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "sh: .: %s: %s\n", argv[1], strerror(errno));
		if (!interactive) sh_exit(2);
		return 2;
	}
	int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (nfd >= 0) { close(fd); fd = nfd; }
	char **sv = posv;
	int sc = posc;
	if (argc > 2) { posv = argv + 2; posc = argc - 2; }
	dot_depth++;
	last_status = 0;
	int st = run_file(fd, 0);
	dot_depth--;
	if (skip == SKIP_RETURN && !func_depth) skip = SKIP_NONE;
	close(fd);
	if (argc > 2) { posv = sv; posc = sc; }
	return st;
}

static int bi_eval(int argc, char **argv)
{
	struct sbuf b = {0};
	for (int k = 1; k < argc; k++) {
		if (k > 1) sb_putc(&b, ' ');
		sb_puts(&b, argv[k]);
	}
	int st = b.s ? eval_string(b.s, 0) : 0;
	free(b.s);
	return st;
}

static int bi_exec(int argc, char **argv)
{
	if (argc < 2) return 0;
	int k = 1;
	if (!strcmp(argv[k], "--")) k++;
	if (k >= argc) return 0;
	restore_signals_for_child();
	fflush(stdout);
	exec_external(argv + k, build_env());
}

static int bi_exit(int argc, char **argv)
{
	long st = last_status;
	if (argc > 1 && !parse_num(argv[1], &st)) { bad_number("exit", argv[1]); st = 2; }
	if (interactive && !in_subshell && jobs_stopped_count()) {
		static int warned;
		if (!warned) { warned = 1; fputs("There are stopped jobs.\n", stderr); return 1; }
	}
	sh_exit((int)st);
	return 0;
}

static int export_or_readonly(int argc, char **argv, int flag)
{
	const char *what = flag == V_EXPORT ? "export" : "readonly";
	int k = 1;
	if (k < argc && !strcmp(argv[k], "-p")) k++;
	if (k < argc && !strcmp(argv[k], "--")) k++;
	if (k >= argc) {
		for (struct var *v = var_list(); v; v = v->next) {
			if (!(v->flags & flag)) continue;
			printf("%s %s", what, v->name);
			if (v->val) { putchar('='); print_quoted(v->val, stdout); }
			putchar('\n');
		}
		return 0;
	}
	int st = 0;
	for (; k < argc; k++) {
		char *eq = strchr(argv[k], '=');
		char *name = eq ? strndup(argv[k], eq - argv[k]) : xstrdup(argv[k]);
		if (!is_name(name)) {
			fprintf(stderr, "sh: %s: `%s': not a valid identifier\n", what, argv[k]);
			st = 1;
		} else if (setvar(name, eq ? eq + 1 : NULL, flag) < 0) st = 1;
		free(name);
	}
	return st;
}

static int bi_export(int argc, char **argv) { return export_or_readonly(argc, argv, V_EXPORT); }
static int bi_readonly(int argc, char **argv) { return export_or_readonly(argc, argv, V_READONLY); }

static int bi_return(int argc, char **argv)
{
	long st = last_status;
	if (argc > 1 && !parse_num(argv[1], &st)) { bad_number("return", argv[1]); st = 2; }
	if (!func_depth && !dot_depth) {
		fputs("sh: return: can only `return' from a function or sourced script\n", stderr);
		return 1;
	}
	skip = SKIP_RETURN;
	last_status = (int)st & 255;
	return last_status;
}

static int bi_set(int argc, char **argv)
{
	if (argc == 1) {
		for (struct var *v = var_list(); v; v = v->next) {
			if (!v->val) continue;
			printf("%s=", v->name);
			print_quoted(v->val, stdout);
			putchar('\n');
		}
		return 0;
	}
	int k = 1;
	for (; k < argc; k++) {
		char *a = argv[k];
		if (!strcmp(a, "--")) { k++; goto positional; }
		if ((a[0] != '-' && a[0] != '+') || !a[1]) {
			if (!strcmp(a, "-")) { k++; opt_x = opt_v = 0; }
			break;
		}
		int on = a[0] == '-';
		for (char *p = a + 1; *p; p++) {
			if (*p == 'o') {
				if (k + 1 >= argc) { print_options(!on); return 0; }
				if (set_option_name(argv[++k], on) < 0) {
					fprintf(stderr, "sh: set: %s: invalid option name\n", argv[k]);
					if (!interactive) sh_exit(2);
					return 2;
				}
			} else if (set_option_letter(*p, on) < 0) {
				fprintf(stderr, "sh: set: %c%c: invalid option\n", a[0], *p);
				if (!interactive) sh_exit(2);
				return 2;
			}
		}
	}
	if (k >= argc) return 0;
positional:;
	int n = argc - k;
	char **v = xmalloc((n + 1) * sizeof *v);
	for (int q = 0; q < n; q++) v[q] = xstrdup(argv[k + q]);
	v[n] = NULL;
	posv = v;
	posc = n;
	return 0;
}

static int bi_shift(int argc, char **argv)
{
	long n = 1;
	if (argc > 1 && (!parse_num(argv[1], &n) || n < 0)) return bad_number("shift", argv[1]);
	if (n > posc) {
		fprintf(stderr, "sh: shift: can't shift that many\n");
		return 1;
	}
	posv += n;
	posc -= (int)n;
	return 0;
}

static int bi_times(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct tms t;
	long hz = sysconf(_SC_CLK_TCK);
	/* musl returns the raw system call result: a kernel without times(2) gives -ENOSYS. */
	if ((long)times(&t) < 0 || hz <= 0) memset(&t, 0, sizeof t), hz = 100;
	clock_t v[4] = { t.tms_utime, t.tms_stime, t.tms_cutime, t.tms_cstime };
	for (int k = 0; k < 4; k++)
		printf("%ldm%ld.%03lds%c", (long)(v[k] / hz / 60), (long)(v[k] / hz % 60),
		       (long)(v[k] % hz * 1000 / hz), k % 2 ? '\n' : ' ');
	return 0;
}

static int bi_trap(int argc, char **argv)
{
	int k = 1;
	if (k < argc && !strcmp(argv[k], "--")) k++;
	if (k >= argc || !strcmp(argv[k], "-p")) {
		for (int s = 0; s < 65; s++) {
			if (!traps[s]) continue;
			printf("trap -- ");
			print_quoted(traps[s], stdout);
			printf(" %s\n", sig_name(s));
		}
		return 0;
	}
	if (!strcmp(argv[k], "-l")) {
		for (int s = 1; s < 32; s++) printf("%2d) SIG%-8s%s", s, sig_name(s), s % 5 == 0 ? "\n" : " ");
		putchar('\n');
		return 0;
	}
	const char *action = argv[k];
	int reset = !strcmp(action, "-");
	char *end;
	strtoul(action, &end, 10);
	if (!*end) reset = 1;
	else k++;
	int st = 0;
	for (; k < argc; k++) {
		int sig = sig_by_name(argv[k]);
		if (sig < 0) {
			fprintf(stderr, "sh: trap: %s: bad trap\n", argv[k]);
			st = 1;
			continue;
		}
		if (sig == SIGKILL || sig == SIGSTOP) continue;
		free(traps[sig]);
		traps[sig] = reset ? NULL : xstrdup(action);
		trap_set_handler(sig);
	}
	return st;
}

static int bi_unset(int argc, char **argv)
{
	int funcs = 0, k = 1, st = 0;
	for (; k < argc && argv[k][0] == '-'; k++) {
		if (!strcmp(argv[k], "-f")) funcs = 1;
		else if (!strcmp(argv[k], "-v")) funcs = 0;
		else if (!strcmp(argv[k], "--")) { k++; break; }
		else { fprintf(stderr, "sh: unset: %s: invalid option\n", argv[k]); return 2; }
	}
	for (; k < argc; k++) {
		if (funcs) unset_func(argv[k]);
		else if (unsetvar(argv[k]) < 0) st = 1;
	}
	return st;
}

/* ---- regular builtins ---- */

static int bi_true(int argc, char **argv) { (void)argc; (void)argv; return 0; }
static int bi_false(int argc, char **argv) { (void)argc; (void)argv; return 1; }

/* A logical path: ".." removes the previous component, "." and "//" vanish. */
static char *normalize(const char *path)
{
	size_t n = strlen(path);
	char *out = xmalloc(n + 2);
	size_t o = 0;
	const char *p = path;
	while (*p) {
		while (*p == '/') p++;
		const char *e = p;
		while (*e && *e != '/') e++;
		size_t len = e - p;
		if (len == 0) break;
		if (len == 1 && p[0] == '.') { p = e; continue; }
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/') o--;
			if (o > 0) o--;
			p = e;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, p, len);
		o += len;
		p = e;
	}
	if (!o) out[o++] = '/';
	out[o] = 0;
	return out;
}

static int bi_cd(int argc, char **argv)
{
	int k = 1, physical = 0;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "-P")) physical = 1;
		else if (!strcmp(argv[k], "-L")) physical = 0;
		else if (!strcmp(argv[k], "--")) { k++; break; }
		else { fprintf(stderr, "sh: cd: %s: invalid option\n", argv[k]); return 2; }
	}
	const char *dir = k < argc ? argv[k] : getvar("HOME");
	int print = 0;
	if (!dir || !*dir) { fputs("sh: cd: HOME not set\n", stderr); return 1; }
	if (k < argc && !strcmp(dir, "-")) {
		dir = getvar("OLDPWD");
		if (!dir) { fputs("sh: cd: OLDPWD not set\n", stderr); return 1; }
		print = 1;
	}
	char *target = NULL;
	/* CDPATH for a relative name that does not start with . or .. */
	const char *cdpath = getvar("CDPATH");
	if (cdpath && dir[0] != '/' && dir[0] != '.') {
		const char *p = cdpath;
		for (;;) {
			const char *colon = strchr(p, ':');
			size_t len = colon ? (size_t)(colon - p) : strlen(p);
			char buf[PATH_MAX];
			snprintf(buf, sizeof buf, "%.*s%s%s", (int)len, p, len ? "/" : "", dir);
			struct stat st;
			if (len && stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) { target = xstrdup(buf); print = 1; break; }
			if (!colon) break;
			p = colon + 1;
		}
	}
	if (!target) target = xstrdup(dir);
	const char *pwd = getvar("PWD");
	char *logical;
	if (target[0] == '/') logical = normalize(target);
	else {
		char cwd[PATH_MAX];
		const char *base = pwd && pwd[0] == '/' ? pwd : getcwd(cwd, sizeof cwd);
		char *joined = xmalloc(strlen(base ? base : "/") + strlen(target) + 2);
		sprintf(joined, "%s/%s", base ? base : "", target);
		logical = normalize(joined);
		free(joined);
	}
	if (chdir(physical ? target : logical) < 0 && (physical || chdir(target) < 0)) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		free(target);
		free(logical);
		return 1;
	}
	if (pwd) setvar("OLDPWD", pwd, 0);
	char buf[PATH_MAX];
	if (physical && getcwd(buf, sizeof buf)) setvar("PWD", buf, 0);
	else setvar("PWD", logical, 0);
	if (print) printf("%s\n", getvar("PWD"));
	free(target);
	free(logical);
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	int physical = argc > 1 && !strcmp(argv[1], "-P");
	const char *pwd = getvar("PWD");
	struct stat a, b;
	if (!physical && pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0
	    && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
		printf("%s\n", pwd);
		return 0;
	}
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof buf)) { fprintf(stderr, "sh: pwd: %s\n", strerror(errno)); return 1; }
	printf("%s\n", buf);
	return 0;
}

/* echo as bash has it: -n, -e (backslash escapes), -E. */
static int bi_echo(int argc, char **argv)
{
	int nl = 1, esc = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		const char *p = argv[k] + 1;
		if (p[strspn(p, "neE")]) break;
		for (; *p; p++) { if (*p == 'n') nl = 0; else if (*p == 'e') esc = 1; else esc = 0; }
	}
	for (int first = 1; k < argc; k++, first = 0) {
		if (!first) putchar(' ');
		if (!esc) { fputs(argv[k], stdout); continue; }
		if (print_escapes(argv[k], stdout)) { fflush(stdout); return 0; }
	}
	if (nl) putchar('\n');
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sh: echo: write error: %s\n", strerror(errno));
		clearerr(stdout);
		return 1;
	}
	return 0;
}

static int bi_printf(int argc, char **argv)
{
	prog = "sh: printf";
	int st = printf_main(argc, argv);
	if (fflush(stdout) != 0) clearerr(stdout);
	return st;
}

static int bi_test(int argc, char **argv)
{
	prog = argv[0][0] == '[' ? "sh: [" : "sh: test";
	return test_main(argc, argv);
}

/* read [-r] [-p PROMPT] [NAME...] */
static int bi_read(int argc, char **argv)
{
	int raw = 0, k = 1;
	const char *prompt = NULL;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'r') raw = 1;
			else if (*p == 'p') {
				if (p[1]) { prompt = p + 1; break; }
				if (k + 1 >= argc) { fputs("sh: read: -p: option requires an argument\n", stderr); return 2; }
				prompt = argv[++k];
				break;
			} else { fprintf(stderr, "sh: read: -%c: invalid option\n", *p); return 2; }
		}
	}
	if (prompt && isatty(0)) { fputs(prompt, stderr); fflush(stderr); }
	/* The line, with a flag per character: 1 if it was escaped by a backslash. */
	struct sbuf line = {0}, esc = {0};
	int got_nl = 0, c;
	for (;;) {
		char ch;
		ssize_t r = read(0, &ch, 1);
		if (r < 0 && errno == EINTR) {
			if (any_pending) { run_pending_traps(); }
			continue;
		}
		if (r <= 0) break;
		c = (unsigned char)ch;
		if (c == '\n') { got_nl = 1; break; }
		if (c == '\\' && !raw) {
			r = read(0, &ch, 1);
			if (r <= 0) break;
			if (ch == '\n') continue;
			sb_putc(&line, ch);
			sb_putc(&esc, 1);
			continue;
		}
		sb_putc(&line, c);
		sb_putc(&esc, 0);
	}
	const char *ifs = getvar("IFS");
	if (!ifs) ifs = " \t\n";
	const char *s = line.s ? line.s : "";
	const char *e = esc.s ? esc.s : "";
	size_t n = line.len, i = 0;
	int nvars = argc - k;
	if (nvars == 0) {
		setvar("REPLY", s, 0);
	} else {
		#define ISWS(j) (!e[j] && strchr(" \t\n", s[j]) && strchr(ifs, s[j]))
		#define ISIFS(j) (!e[j] && s[j] && strchr(ifs, s[j]))
		while (i < n && ISWS(i)) i++;
		for (int v = 0; v < nvars; v++) {
			struct sbuf val = {0};
			if (v == nvars - 1) {
				/* The last name gets the rest, less trailing IFS white space. */
				size_t end = n;
				while (end > i && ISWS(end - 1)) end--;
				for (size_t j = i; j < end; j++) sb_putc(&val, s[j]);
				i = n;
			} else {
				while (i < n && !ISIFS(i)) sb_putc(&val, s[i++]);
				if (i < n) {
					int nonws = !ISWS(i);
					i++;
					while (i < n && ISWS(i)) i++;
					if (!nonws && i < n && ISIFS(i) && !ISWS(i)) {
						i++;
						while (i < n && ISWS(i)) i++;
					}
				}
			}
			if (setvar(argv[k + v], val.s ? val.s : "", 0) < 0) { free(val.s); return 2; }
			free(val.s);
		}
	}
	free(line.s);
	free(esc.s);
	return got_nl ? 0 : 1;
}

static int bi_umask(int argc, char **argv)
{
	int sym = 0, k = 1;
	if (k < argc && !strcmp(argv[k], "-S")) { sym = 1; k++; }
	mode_t m = umask(0);
	umask(m);
	if (k >= argc) {
		if (sym) {
			mode_t a = ~m & 0777;
			char buf[32];
			char *p = buf;
			const char *who = "ugo";
			for (int w = 0; w < 3; w++) {
				if (w) *p++ = ',';
				*p++ = who[w];
				*p++ = '=';
				int bits = (a >> (6 - 3 * w)) & 7;
				if (bits & 4) *p++ = 'r';
				if (bits & 2) *p++ = 'w';
				if (bits & 1) *p++ = 'x';
			}
			*p = 0;
			printf("%s\n", buf);
		} else printf("%04o\n", (unsigned)m);
		return 0;
	}
	const char *a = argv[k];
	if (*a >= '0' && *a <= '7') {
		char *end;
		unsigned long v = strtoul(a, &end, 8);
		if (*end || v > 0777) { fprintf(stderr, "sh: umask: %s: octal number out of range\n", a); return 1; }
		umask((mode_t)v);
		return 0;
	}
	mode_t nm = parse_mode(a, ~m & 0777, 0, 0);
	if (nm == (mode_t)-1) { fprintf(stderr, "sh: umask: %s: invalid symbolic mode operator\n", a); return 1; }
	umask(~nm & 0777);
	return 0;
}

static int bi_kill(int argc, char **argv)
{
	int sig = SIGTERM, k = 1;
	if (argc < 2) {
		fputs("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n", stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-l") || !strcmp(argv[1], "-L")) {
		if (argc == 2) {
			for (int s = 1; s < 32; s++) printf("%s%s", sig_name(s), s == 31 ? "\n" : " ");
			return 0;
		}
		for (k = 2; k < argc; k++) {
			long n;
			if (parse_num(argv[k], &n)) {
				if (n > 128) n -= 128;
				if (n < 1 || n > 64) { fprintf(stderr, "sh: kill: %s: invalid signal specification\n", argv[k]); return 1; }
				printf("%s\n", sig_name((int)n));
			} else {
				int s = sig_by_name(argv[k]);
				if (s < 0) { fprintf(stderr, "sh: kill: %s: invalid signal specification\n", argv[k]); return 1; }
				printf("%d\n", s);
			}
		}
		return 0;
	}
	if (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-n")) {
		if (argc < 3) { fprintf(stderr, "sh: kill: %s: option requires an argument\n", argv[1]); return 2; }
		sig = sig_by_name(argv[2]);
		if (sig < 0) { fprintf(stderr, "sh: kill: %s: invalid signal specification\n", argv[2]); return 1; }
		k = 3;
	} else if (argv[1][0] == '-' && argv[1][1] && strcmp(argv[1], "--")) {
		sig = sig_by_name(argv[1] + 1);
		if (sig < 0) { fprintf(stderr, "sh: kill: %s: invalid signal specification\n", argv[1] + 1); return 1; }
		k = 2;
	}
	if (k < argc && !strcmp(argv[k], "--")) k++;
	int st = 0;
	for (; k < argc; k++) {
		pid_t pid;
		if (argv[k][0] == '%') {
			int id = job_by_spec(argv[k], 0);
			if (!id) { st = 1; continue; }
			pid = -job_pgid(id);
			if (!opt_m) pid = -pid;
		} else {
			long n;
			if (!parse_num(argv[k], &n)) {
				fprintf(stderr, "sh: kill: %s: arguments must be process or job IDs\n", argv[k]);
				st = 1;
				continue;
			}
			pid = (pid_t)n;
		}
		if (kill(pid, sig) < 0) {
			fprintf(stderr, "sh: kill: (%d) - %s\n", (int)(pid < 0 && argv[k][0] == '%' ? -pid : pid), strerror(errno));
			st = 1;
		} else if (argv[k][0] == '%' && sig != SIGKILL && sig != SIGCONT && !(sig >= SIGSTOP && sig <= SIGTTOU)) {
			/* A stopped job would only see the signal once continued: continue it (bash does). */
			kill(pid, SIGCONT);
		}
	}
	return st;
}

/* ---- aliases ---- */

struct alias { struct alias *next; char *name, *val; };
static struct alias *aliases;

const char *alias_get(const char *name)
{
	for (struct alias *a = aliases; a; a = a->next) if (!strcmp(a->name, name)) return a->val;
	return NULL;
}

static void alias_print(struct alias *a)
{
	printf("%s=", a->name);
	print_quoted(a->val, stdout);
	putchar('\n');
}

static int bi_alias(int argc, char **argv)
{
	int st = 0;
	if (argc == 1) {
		/* Sorted by name. */
		for (const char *last = ""; ; ) {
			struct alias *best = NULL;
			for (struct alias *a = aliases; a; a = a->next)
				if (strcmp(a->name, last) > 0 && (!best || strcmp(a->name, best->name) < 0)) best = a;
			if (!best) break;
			alias_print(best);
			last = best->name;
		}
		return 0;
	}
	for (int k = 1; k < argc; k++) {
		char *eq = strchr(argv[k], '=');
		if (!eq) {
			struct alias *a;
			for (a = aliases; a && strcmp(a->name, argv[k]); a = a->next) ;
			if (a) alias_print(a);
			else { fprintf(stderr, "sh: alias: %s: not found\n", argv[k]); st = 1; }
			continue;
		}
		char *name = strndup(argv[k], eq - argv[k]);
		struct alias *a;
		for (a = aliases; a && strcmp(a->name, name); a = a->next) ;
		if (!a) {
			a = xmalloc(sizeof *a);
			a->name = name;
			a->val = NULL;
			a->next = aliases;
			aliases = a;
		} else free(name);
		free(a->val);
		a->val = xstrdup(eq + 1);
	}
	return st;
}

static int bi_unalias(int argc, char **argv)
{
	int st = 0;
	if (argc > 1 && !strcmp(argv[1], "-a")) {
		while (aliases) {
			struct alias *a = aliases;
			aliases = a->next;
			free(a->name); free(a->val); free(a);
		}
		return 0;
	}
	for (int k = 1; k < argc; k++) {
		struct alias **pp;
		for (pp = &aliases; *pp && strcmp((*pp)->name, argv[k]); pp = &(*pp)->next) ;
		if (!*pp) { fprintf(stderr, "sh: unalias: %s: not found\n", argv[k]); st = 1; continue; }
		struct alias *a = *pp;
		*pp = a->next;
		free(a->name); free(a->val); free(a);
	}
	return st;
}

/* ---- type and command ---- */

static int is_keyword(const char *s)
{
	static const char *const kw[] = { "if", "then", "else", "elif", "fi", "do", "done", "case",
		"esac", "while", "until", "for", "in", "{", "}", "!", NULL };
	for (int k = 0; kw[k]; k++) if (!strcmp(s, kw[k])) return 1;
	return 0;
}

/* What a name is, as type (verbose) or command -v prints it; 1 if not found. */
static int describe(const char *name, int verbose, int aliases_too)
{
	const char *a = aliases_too ? alias_get(name) : NULL;
	if (a) {
		if (verbose) printf("%s is an alias for %s\n", name, a);
		else { printf("alias %s=", name); print_quoted(a, stdout); putchar('\n'); }
		return 0;
	}
	if (is_keyword(name)) {
		if (verbose) printf("%s is a shell keyword\n", name);
		else printf("%s\n", name);
		return 0;
	}
	const struct builtin *b = find_builtin(name);
	if (b && b->special) {
		if (verbose) printf("%s is a special shell builtin\n", name);
		else printf("%s\n", name);
		return 0;
	}
	if (find_func(name)) {
		if (verbose) printf("%s is a shell function\n", name);
		else printf("%s\n", name);
		return 0;
	}
	if (b) {
		if (verbose) printf("%s is a shell builtin\n", name);
		else printf("%s\n", name);
		return 0;
	}
	const char *path = strchr(name, '/') ? (access(name, X_OK) == 0 ? name : NULL) : find_in_path(name, getvar("PATH"));
	if (path) {
		if (verbose) printf("%s is %s\n", name, path);
		else printf("%s\n", path);
		return 0;
	}
	if (verbose) fprintf(stderr, "sh: type: %s: not found\n", name);
	return 1;
}

static int bi_type(int argc, char **argv)
{
	int st = 0;
	for (int k = 1; k < argc; k++) st |= describe(argv[k], 1, 1);
	return st;
}

static int bi_command(int argc, char **argv)
{
	int k = 1, v = 0, V = 0;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'v') v = 1;
			else if (*p == 'V') V = 1;
			else if (*p != 'p') { fprintf(stderr, "sh: command: -%c: invalid option\n", *p); return 2; }
		}
	}
	if (k >= argc) return 0;
	if (v || V) {
		int st = 0;
		for (; k < argc; k++) st |= describe(argv[k], V, 1);
		return st;
	}
	/* Run the command, skipping functions. */
	const struct builtin *b = find_builtin(argv[k]);
	if (b) return b->fn(argc - k, argv + k);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) { perror("sh: fork"); return 2; }
	if (pid == 0) {
		in_subshell = 1;
		restore_signals_for_child();
		exec_external(argv + k, build_env());
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) ;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int bi_local(int argc, char **argv)
{
	if (!func_depth) { fputs("sh: local: not in a function\n", stderr); return 1; }
	int st = 0;
	for (int k = 1; k < argc; k++) {
		char *eq = strchr(argv[k], '=');
		char *name = eq ? strndup(argv[k], eq - argv[k]) : xstrdup(argv[k]);
		if (!is_name(name)) {
			fprintf(stderr, "sh: local: `%s': not a valid identifier\n", argv[k]);
			st = 1;
		} else {
			local_var(name);
			if (eq) setvar(name, eq + 1, 0);
		}
		free(name);
	}
	return st;
}

/* getopts OPTSTRING NAME [ARG...] */
static int getopts_pos;     /* position inside the current argument */

static int bi_getopts(int argc, char **argv)
{
	if (argc < 3) { fputs("sh: getopts: usage: getopts optstring name [arg ...]\n", stderr); return 2; }
	const char *opts = argv[1];
	const char *name = argv[2];
	char **args = argc > 3 ? argv + 3 : posv;
	int nargs = argc > 3 ? argc - 3 : posc;
	int silent = opts[0] == ':';
	if (silent) opts++;
	const char *oi = getvar("OPTIND");
	long optind = oi ? strtol(oi, NULL, 10) : 1;
	static long last_optind = -1;
	if (optind != last_optind || optind < 1) getopts_pos = 0;
	if (optind < 1) optind = 1;
	unsetvar("OPTARG");
	char buf[32];
	if (optind > nargs || (!getopts_pos && (args[optind - 1][0] != '-' || !args[optind - 1][1]))) {
		setvar(name, "?", 0);
		snprintf(buf, sizeof buf, "%ld", optind);
		setvar("OPTIND", buf, 0);
		last_optind = optind;
		return 1;
	}
	const char *arg = args[optind - 1];
	if (!getopts_pos) {
		if (!strcmp(arg, "--")) {
			setvar(name, "?", 0);
			snprintf(buf, sizeof buf, "%ld", optind + 1);
			setvar("OPTIND", buf, 0);
			last_optind = optind + 1;
			return 1;
		}
		getopts_pos = 1;
	}
	char c = arg[getopts_pos++];
	const char *spec = strchr(opts, c);
	int st = 0;
	char opt[2] = { c, 0 };
	if (!spec || c == ':') {
		if (silent) { setvar("OPTARG", opt, 0); setvar(name, "?", 0); }
		else { fprintf(stderr, "sh: illegal option -- %c\n", c); setvar(name, "?", 0); }
	} else if (spec[1] == ':') {
		if (arg[getopts_pos]) {
			setvar("OPTARG", arg + getopts_pos, 0);
			getopts_pos = 0;
			optind++;
		} else if (optind < nargs) {
			setvar("OPTARG", args[optind], 0);
			getopts_pos = 0;
			optind += 2;
		} else {
			if (silent) { setvar("OPTARG", opt, 0); setvar(name, ":", 0); }
			else { fprintf(stderr, "sh: option requires an argument -- %c\n", c); setvar(name, "?", 0); }
			getopts_pos = 0;
			optind++;
			snprintf(buf, sizeof buf, "%ld", optind);
			setvar("OPTIND", buf, 0);
			last_optind = optind;
			return st;
		}
		setvar(name, opt, 0);
	} else setvar(name, opt, 0);
	if (getopts_pos && !arg[getopts_pos]) { getopts_pos = 0; optind++; }
	snprintf(buf, sizeof buf, "%ld", optind);
	setvar("OPTIND", buf, 0);
	last_optind = optind;
	return st;
}

static int bi_hash(int argc, char **argv) { (void)argc; (void)argv; return 0; }

static int bi_history(int argc, char **argv)
{
	(void)argc; (void)argv;
	le_history_print(stdout);
	return 0;
}

static const struct builtin builtins[] = {
	{ ".", bi_dot, 1 }, { ":", bi_colon, 1 }, { "break", bi_break, 1 }, { "continue", bi_break, 1 },
	{ "eval", bi_eval, 1 }, { "exec", bi_exec, 1 }, { "exit", bi_exit, 1 }, { "export", bi_export, 1 },
	{ "readonly", bi_readonly, 1 }, { "return", bi_return, 1 }, { "set", bi_set, 1 },
	{ "shift", bi_shift, 1 }, { "times", bi_times, 1 }, { "trap", bi_trap, 1 }, { "unset", bi_unset, 1 },
	{ "[", bi_test, 0 }, { "alias", bi_alias, 0 }, { "bg", builtin_bg, 0 }, { "cd", bi_cd, 0 },
	{ "command", bi_command, 0 }, { "echo", bi_echo, 0 }, { "false", bi_false, 0 },
	{ "fg", builtin_fg, 0 }, { "getopts", bi_getopts, 0 }, { "hash", bi_hash, 0 },
	{ "history", bi_history, 0 }, { "jobs", builtin_jobs, 0 }, { "kill", bi_kill, 0 },
	{ "local", bi_local, 0 }, { "printf", bi_printf, 0 }, { "pwd", bi_pwd, 0 }, { "read", bi_read, 0 },
	{ "test", bi_test, 0 }, { "true", bi_true, 0 }, { "type", bi_type, 0 }, { "umask", bi_umask, 0 },
	{ "unalias", bi_unalias, 0 }, { "wait", builtin_wait, 0 },
	{ NULL, NULL, 0 },
};

const struct builtin *find_builtin(const char *name)
{
	for (const struct builtin *b = builtins; b->name; b++)
		if (!strcmp(b->name, name)) return b;
	return NULL;
}

/* For Tab completion: the n-th builtin name, or NULL. */
const char *builtin_name(int n)
{
	return n >= 0 && n < (int)(sizeof builtins / sizeof builtins[0]) - 1 ? builtins[n].name : NULL;
}

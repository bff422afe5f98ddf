/*
 * sh - the microlith shell: POSIX sh (XCU "Shell Command Language") with job
 * control and, on a terminal, line editing and history.
 *
 *   sh [-eux...] [-o OPT] [FILE [ARG...]]      a script, or commands from stdin
 *   sh [-eux...] -c CMD [NAME [ARG...]]
 *   sh -l / -sh as argv[0]                     a login shell: reads /etc/profile
 *
 * This file holds main, the input loop, memory, variables, options and traps;
 * shparse.c the grammar, shexpand.c the expansions, shexec.c commands and jobs,
 * shbuiltin.c the builtins and lineedit.c the line editor.
 */
#include "sh.h"
#include "lineedit.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* memory                                                               */

static void nomem(void)
{
	static const char m[] = "sh: out of memory\n";
	write(2, m, sizeof m - 1);
	_exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) nomem();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) nomem();
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

struct blk { struct blk *prev; size_t used, cap; char data[]; };
struct arena X;

void *aalloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!a->top || a->top->used + n > a->top->cap) {
		size_t cap = n > 16384 ? n : 16384;
		struct blk *b = xmalloc(sizeof *b + cap);
		b->prev = a->top; b->used = 0; b->cap = cap;
		a->top = b;
	}
	void *p = a->top->data + a->top->used;
	a->top->used += n;
	return p;
}

char *astrndup(struct arena *a, const char *s, size_t n)
{
	char *p = aalloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *astrdup(struct arena *a, const char *s) { return astrndup(a, s, strlen(s)); }

struct amark amark(struct arena *a)
{
	struct amark m = { a->top, a->top ? a->top->used : 0 };
	return m;
}

void arelease(struct arena *a, struct amark m)
{
	while (a->top && a->top != m.b) {
		struct blk *p = a->top->prev;
		free(a->top);
		a->top = p;
	}
	if (a->top) a->top->used = m.used;
}

void afree(struct arena *a)
{
	struct amark none = { NULL, 0 };
	arelease(a, none);
}

void sb_putc(struct sbuf *b, int c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->len++] = (char)c;
	b->s[b->len] = 0;
}

void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sb_puts(struct sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

void vpush(struct vec *v, void *x)
{
	if (v->n + 2 > v->cap) {
		int nc = v->cap ? v->cap * 2 : 8;
		void **nv = xalloc(nc * sizeof *nv);
		if (v->n) memcpy(nv, v->v, v->n * sizeof *nv);
		v->v = nv;
		v->cap = nc;
	}
	v->v[v->n++] = x;
	v->v[v->n] = NULL;
}

/* ------------------------------------------------------------------ */
/* variables                                                            */

#define NBUCKET 128
static struct var *buckets[NBUCKET];
static int nvars;

static unsigned hash(const char *s)
{
	unsigned h = 5381;
	while (*s) h = h * 33 + (unsigned char)*s++;
	return h % NBUCKET;
}

int is_name_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
int is_name_char(int c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

int is_name(const char *s)
{
	if (!is_name_start((unsigned char)*s)) return 0;
	while (*++s) if (!is_name_char((unsigned char)*s)) return 0;
	return 1;
}

struct var *findvar(const char *name)
{
	for (struct var *v = buckets[hash(name)]; v; v = v->next)
		if (!strcmp(v->name, name)) return v;
	return NULL;
}

const char *getvar(const char *name)
{
	struct var *v = findvar(name);
	return v ? v->val : NULL;
}

/* Local variables: each function call pushes a frame; `local` records the
 * variable's previous state there, restored when the function returns. */
struct saved_var { struct saved_var *next; char *name; char *val; int flags; int existed; };
struct frame { struct frame *prev; struct saved_var *vars; };
static struct frame *frames;

int setvar(const char *name, const char *val, int flags)
{
	struct var *v = findvar(name);
	if (v && (v->flags & V_READONLY) && val) {
		fprintf(stderr, "sh: %s: is read only\n", name);
		return -1;
	}
	if (!v) {
		unsigned h = hash(name);
		v = xmalloc(sizeof *v);
		v->name = xstrdup(name);
		v->val = NULL;
		v->flags = 0;
		v->next = buckets[h];
		buckets[h] = v;
		nvars++;
	}
	if (val) {
		char *nv = xstrdup(val);
		free(v->val);
		v->val = nv;
		if (opt_a) v->flags |= V_EXPORT;
	}
	v->flags |= flags;
	if (!strcmp(name, "HISTFILE") || !strcmp(name, "HOME")) le_history_file_changed();
	return 0;
}

int unsetvar(const char *name)
{
	unsigned h = hash(name);
	for (struct var **pp = &buckets[h]; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, name)) {
			struct var *v = *pp;
			if (v->flags & V_READONLY) {
				fprintf(stderr, "sh: unset: %s: is read only\n", name);
				return -1;
			}
			*pp = v->next;
			free(v->name);
			free(v->val);
			free(v);
			nvars--;
			return 0;
		}
	return 0;
}

void local_var(const char *name)
{
	if (!frames) return;
	for (struct saved_var *s = frames->vars; s; s = s->next)
		if (!strcmp(s->name, name)) return;
	struct saved_var *s = xmalloc(sizeof *s);
	struct var *v = findvar(name);
	s->name = xstrdup(name);
	s->existed = v != NULL;
	s->val = v && v->val ? xstrdup(v->val) : NULL;
	s->flags = v ? v->flags : 0;
	s->next = frames->vars;
	frames->vars = s;
}

void push_frame(void)
{
	struct frame *f = xmalloc(sizeof *f);
	f->prev = frames;
	f->vars = NULL;
	frames = f;
}

void pop_frame(void)
{
	struct frame *f = frames;
	frames = f->prev;
	while (f->vars) {
		struct saved_var *s = f->vars;
		f->vars = s->next;
		struct var *v = findvar(s->name);
		if (v) v->flags &= ~V_READONLY;
		if (s->existed) {
			if (!v) setvar(s->name, NULL, 0);
			v = findvar(s->name);
			free(v->val);
			v->val = s->val;
			v->flags = s->flags;
		} else {
			unsetvar(s->name);
			free(s->val);
		}
		free(s->name);
		free(s);
	}
	free(f);
}

static int cmpvar(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

/* All variables sorted by name, as a linked list of copies in the stack arena. */
struct var *var_list(void)
{
	struct var **all = xalloc((nvars + 1) * sizeof *all);
	int n = 0;
	for (int h = 0; h < NBUCKET; h++)
		for (struct var *v = buckets[h]; v; v = v->next) all[n++] = v;
	qsort(all, n, sizeof *all, cmpvar);
	struct var *head = NULL;
	for (int k = n - 1; k >= 0; k--) {
		struct var *c = xalloc(sizeof *c);
		*c = *all[k];
		c->next = head;
		head = c;
	}
	return head;
}

int var_count(void) { return nvars; }

char **build_env(void)
{
	char **env = xalloc((nvars + 1) * sizeof *env);
	int n = 0;
	for (struct var *v = var_list(); v; v = v->next)
		if ((v->flags & V_EXPORT) && v->val) {
			size_t a = strlen(v->name), b = strlen(v->val);
			char *s = xalloc(a + b + 2);
			memcpy(s, v->name, a);
			s[a] = '=';
			memcpy(s + a + 1, v->val, b + 1);
			env[n++] = s;
		}
	env[n] = NULL;
	return env;
}

/* ------------------------------------------------------------------ */
/* state                                                                */

int opt_e, opt_u, opt_x, opt_f, opt_n, opt_v, opt_m, opt_C, opt_a, opt_b, opt_h;
int interactive;
int last_status;
pid_t shell_pid;
pid_t last_bg;
char *arg0 = "sh";
char **posv;
int posc;
int in_subshell;
int func_depth, loop_depth;
int skip, skip_count;
int exiting;
jmp_buf *toplevel;

char *traps[65];
volatile int pending_sigs[65];
volatile int any_pending;
int ignored_at_entry[65];

void sh_exit(int status)
{
	if (!exiting && traps[0]) {
		char *t = traps[0];
		exiting = 1;
		traps[0] = NULL;
		last_status = status;
		eval_string(t, 0);
	}
	fflush(stdout);
	exit(status & 255);
}

void sh_error(int status)
{
	last_status = status;
	if (!interactive || in_subshell) sh_exit(status);
	if (toplevel) longjmp(*toplevel, 1);
	sh_exit(status);
}

/* ------------------------------------------------------------------ */
/* signals and traps                                                    */

static const char *const signames[65] = {
	"EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
	"USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT",
	"STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
	"WINCH", "IO", "PWR", "SYS",
};

const char *sig_name(int sig)
{
	static char buf[16];
	if (sig >= 0 && sig < 32 && signames[sig]) return signames[sig];
	if (sig >= 34 && sig <= 64) {
		snprintf(buf, sizeof buf, "RTMIN+%d", sig - 34);
		if (sig == 34) return "RTMIN";
		return buf;
	}
	snprintf(buf, sizeof buf, "%d", sig);
	return buf;
}

int sig_by_name(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s && !*end) return n >= 0 && n < 65 ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3)) s += 3;
	for (int k = 0; k < 32; k++)
		if (signames[k] && !strcasecmp(s, signames[k])) return k;
	if (!strcasecmp(s, "IOT")) return SIGABRT;
	if (!strcasecmp(s, "POLL")) return SIGIO;
	if (!strcasecmp(s, "CLD")) return SIGCHLD;
	if (!strcasecmp(s, "RTMIN")) return 34;
	if (!strcasecmp(s, "RTMAX")) return 64;
	return -1;
}

/* What bash prints when a job dies of sig (strsignal's words). */
const char *sig_text(int sig)
{
	switch (sig) {
	case SIGHUP: return "Hangup";
	case SIGINT: return "Interrupt";
	case SIGQUIT: return "Quit";
	case SIGILL: return "Illegal instruction";
	case SIGTRAP: return "Trace/breakpoint trap";
	case SIGABRT: return "Aborted";
	case SIGBUS: return "Bus error";
	case SIGFPE: return "Floating point exception";
	case SIGKILL: return "Killed";
	case SIGUSR1: return "User defined signal 1";
	case SIGSEGV: return "Segmentation fault";
	case SIGUSR2: return "User defined signal 2";
	case SIGPIPE: return "Broken pipe";
	case SIGALRM: return "Alarm clock";
	case SIGTERM: return "Terminated";
	case SIGSTKFLT: return "Stack fault";
	case SIGSTOP: return "Stopped (signal)";
	case SIGTSTP: return "Stopped";
	case SIGTTIN: return "Stopped (tty input)";
	case SIGTTOU: return "Stopped (tty output)";
	case SIGXCPU: return "CPU time limit exceeded";
	case SIGXFSZ: return "File size limit exceeded";
	case SIGVTALRM: return "Virtual timer expired";
	case SIGPROF: return "Profiling timer expired";
	case SIGIO: return "I/O possible";
	case SIGPWR: return "Power failure";
	case SIGSYS: return "Bad system call";
	}
	return NULL;
}

static void on_signal(int sig)
{
	pending_sigs[sig] = 1;
	any_pending = 1;
}

/* The disposition the shell wants for sig given its trap and mode. */
void trap_set_handler(int sig)
{
	if (sig <= 0 || sig == SIGKILL || sig == SIGSTOP) return;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	if (traps[sig]) {
		sa.sa_handler = traps[sig][0] ? on_signal : SIG_IGN;
	} else if (ignored_at_entry[sig] && !interactive) {
		sa.sa_handler = SIG_IGN;
	} else if (interactive && !in_subshell && (sig == SIGINT)) {
		sa.sa_handler = on_signal;
	} else if (interactive && !in_subshell && (sig == SIGQUIT || sig == SIGTERM)) {
		sa.sa_handler = SIG_IGN;
	} else if (opt_m && !in_subshell && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)) {
		sa.sa_handler = SIG_IGN;
	} else if (sig == SIGCHLD) {
		sa.sa_handler = SIG_DFL;
	} else {
		sa.sa_handler = SIG_DFL;
	}
	sigaction(sig, &sa, NULL);
}

void setup_signals(void)
{
	for (int s = 1; s < 65; s++)
		if (s != SIGKILL && s != SIGSTOP && (traps[s] || s == SIGINT || s == SIGQUIT || s == SIGTERM
		    || s == SIGTSTP || s == SIGTTIN || s == SIGTTOU))
			trap_set_handler(s);
}

void sig_ignore_at_entry(void)
{
	for (int s = 1; s < 65; s++) {
		struct sigaction sa;
		if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) ignored_at_entry[s] = 1;
	}
}

/* In a child about to exec: traps reset to default, ignored signals stay
 * ignored; signals the interactive shell ignored for itself come back. */
void restore_signals_for_child(void)
{
	for (int s = 1; s < 65; s++) {
		if (s == SIGKILL || s == SIGSTOP) continue;
		if (traps[s] && !traps[s][0]) continue;
		if (ignored_at_entry[s] && !traps[s]) continue;
		signal(s, SIG_DFL);
	}
}

static int running_traps;

void run_pending_traps(void)
{
	if (!any_pending || running_traps) return;
	any_pending = 0;
	running_traps = 1;
	for (int s = 1; s < 65; s++) {
		if (!pending_sigs[s]) continue;
		pending_sigs[s] = 0;
		if (traps[s] && traps[s][0]) {
			int save = last_status;
			int saveskip = skip;
			char *t = xstrdup(traps[s]);
			eval_string(t, 0);
			free(t);
			if (skip == SKIP_NONE || saveskip != SKIP_NONE) skip = saveskip;
			last_status = save;
		} else if (s == SIGINT && interactive && !in_subshell) {
			/* Ctrl-C while the shell itself runs (a builtin loop): back to the prompt. */
			running_traps = 0;
			fputc('\n', stderr);
			sh_error(130);
		}
	}
	running_traps = 0;
}

/* ------------------------------------------------------------------ */
/* input                                                                */

struct input {
	int fd;               /* -1: string */
	const char *str;
	size_t spos;
	char buf[4096];
	int bpos, blen;
	int bytewise;         /* stdin: read one byte at a time, leaving the rest to commands */
	int edit;             /* a terminal: use the line editor */
};

static int in_getc(struct input *in)
{
	if (in->fd < 0) return in->str[in->spos] ? (unsigned char)in->str[in->spos++] : -1;
	if (in->bpos >= in->blen) {
		ssize_t r;
		do r = read(in->fd, in->buf, in->bytewise ? 1 : sizeof in->buf);
		while (r < 0 && errno == EINTR && !(interactive && pending_sigs[SIGINT]));
		if (r <= 0) return -1;
		in->bpos = 0;
		in->blen = (int)r;
	}
	return (unsigned char)in->buf[in->bpos++];
}

/* Appends one line (with its newline) to b; 0 at end of input. */
static int read_line(struct input *in, struct sbuf *b)
{
	int got = 0, c;
	while ((c = in_getc(in)) >= 0) {
		got = 1;
		if (c == 0) continue;
		sb_putc(b, c);
		if (c == '\n') break;
	}
	return got;
}

/* -1 at end of input, 0 after Ctrl-C (line abandoned), 1 with a line in b. */
static int get_line(struct input *in, struct sbuf *b, int continuation)
{
	if (in->edit) {
		const char *ps = getvar(continuation ? "PS2" : "PS1");
		char *prompt = prompt_string(ps ? ps : "");
		char *line = NULL;
		int r = le_readline(prompt, &line);
		if (r < 0) return -1;
		if (r == 0) return 0;
		sb_puts(b, line);
		sb_putc(b, '\n');
		free(line);
		return 1;
	}
	if (interactive) {
		const char *ps = getvar(continuation ? "PS2" : "PS1");
		fputs(prompt_string(ps ? ps : ""), stderr);
		fflush(stderr);
	}
	return read_line(in, b) ? 1 : -1;
}

static void keep_or_free(struct arena *a)
{
	/* A function defined from this parse keeps its arena (its body lives there). */
	if (a && !a->keep) { afree(a); free(a); }
}

/* Reads, parses and runs commands until the input ends. */
static int run_input(struct input *in, int flags)
{
	struct sbuf cmd = {0};
	static int warned_stopped;
	jmp_buf jb, *saved_top = toplevel;
	if (interactive && !in_subshell) toplevel = &jb;
	for (;;) {
		if (interactive && !in_subshell && setjmp(jb)) {
			/* An error or Ctrl-C abandoned the command. */
			arelease(&X, (struct amark){0, 0});
			cmd.len = 0;
			skip = SKIP_NONE;
			loop_depth = func_depth = 0;
			continue;
		}
		if (interactive && !cmd.len) jobs_notify();
		else if (!interactive) jobs_reap(0);
		size_t before = cmd.len;
		int r = get_line(in, &cmd, cmd.len > 0);
		run_pending_traps();
		if (r == 0) { cmd.len = 0; last_status = 130; continue; }
		if (r < 0) {
			if (cmd.len) {
				struct node *tree;
				struct arena *ar;
				if (parse(cmd.s, 1, &tree, &ar) == 0) {
					if (tree && !opt_n) eval(tree, flags);
					keep_or_free(ar);
				} else last_status = 2;
				cmd.len = 0;
			}
			if (interactive && !in_subshell && jobs_stopped_count() && !warned_stopped) {
				fputs("There are stopped jobs.\n", stderr);
				warned_stopped = 1;
				continue;
			}
			break;
		}
		if (opt_v) { fputs(cmd.s + before, stderr); fflush(stderr); }
		struct node *tree;
		struct arena *ar;
		int p = parse(cmd.s, 0, &tree, &ar);
		if (p == 1) continue;
		if (in->edit) {
			size_t n = cmd.len;
			while (n && cmd.s[n - 1] == '\n') n--;
			char *h = strndup(cmd.s, n);
			if (h) { history_add(h); free(h); }
		}
		if (p == 2) {
			last_status = 2;
			cmd.len = 0;
			if (!interactive) sh_exit(2);
			continue;
		}
		cmd.len = 0;
		if (tree && !opt_n) {
			struct amark m = amark(&X);
			eval(tree, flags);
			arelease(&X, m);
		}
		keep_or_free(ar);
		fflush(stdout);
		if (skip == SKIP_RETURN && func_depth == 0 && !interactive) break;
	}
	free(cmd.s);
	toplevel = saved_top;
	return last_status;
}

int run_file(int fd, int flags)
{
	struct input *in = xmalloc(sizeof *in);
	memset(in, 0, sizeof *in);
	in->fd = fd;
	int save = interactive;
	interactive = 0;
	int st = run_input(in, flags);
	interactive = save;
	free(in);
	return st;
}

int eval_string(const char *s, int flags)
{
	struct node *tree;
	struct arena *ar;
	int p = parse(s, 1, &tree, &ar);
	if (p) {
		last_status = 2;
		if (!interactive || in_subshell) sh_exit(2);
		return 2;
	}
	last_status = 0;
	int st = tree ? eval(tree, flags) : 0;
	keep_or_free(ar);
	return st;
}

/* ------------------------------------------------------------------ */
/* options and main                                                     */

struct optname { const char *name; int *flag; char letter; };
static const struct optname optnames[] = {
	{ "allexport", &opt_a, 'a' }, { "notify", &opt_b, 'b' }, { "noclobber", &opt_C, 'C' },
	{ "errexit", &opt_e, 'e' }, { "noglob", &opt_f, 'f' }, { "hashall", &opt_h, 'h' },
	{ "monitor", &opt_m, 'm' }, { "noexec", &opt_n, 'n' }, { "nounset", &opt_u, 'u' },
	{ "verbose", &opt_v, 'v' }, { "xtrace", &opt_x, 'x' }, { NULL, NULL, 0 },
};

/* The value of $-. */
const char *dollar_minus(void)
{
	static char buf[32];
	int n = 0;
	for (const struct optname *o = optnames; o->name; o++)
		if (*o->flag) buf[n++] = o->letter;
	if (interactive) buf[n++] = 'i';
	buf[n] = 0;
	return buf;
}

int set_option_letter(int c, int on)
{
	for (const struct optname *o = optnames; o->name; o++)
		if (o->letter == c) {
			*o->flag = on;
			if (o->flag == &opt_m) jobs_init();
			return 0;
		}
	return -1;
}

int set_option_name(const char *name, int on)
{
	for (const struct optname *o = optnames; o->name; o++)
		if (!strcmp(o->name, name)) return set_option_letter(o->letter, on);
	if (!strcmp(name, "emacs") || !strcmp(name, "vi") || !strcmp(name, "ignoreeof")) return 0;
	return -1;
}

void print_options(int reusable)
{
	for (const struct optname *o = optnames; o->name; o++) {
		if (reusable) printf("set %co %s\n", *o->flag ? '-' : '+', o->name);
		else printf("%-15s %s\n", o->name, *o->flag ? "on" : "off");
	}
}

static void usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "sh: %s%s\n", msg, arg ? arg : "");
	exit(2);
}

int main(int argc, char **argv, char **envp)
{
	shell_pid = getpid();
	sig_ignore_at_entry();
	for (char **e = envp; *e; e++) {
		char *eq = strchr(*e, '=');
		if (!eq) continue;
		char *name = strndup(*e, eq - *e);
		if (name && is_name(name)) setvar(name, eq + 1, V_EXPORT);
		free(name);
	}
	if (!getvar("PATH")) setvar("PATH", "/bin:/sbin", V_EXPORT);
	setvar("IFS", " \t\n", 0);
	setvar("PS2", "> ", 0);
	setvar("PS4", "+ ", 0);
	setvar("OPTIND", "1", 0);
	{
		char buf[PATH_MAX];
		const char *pwd = getvar("PWD");
		struct stat a, b;
		/* Keep an inherited PWD if it names the current directory. */
		if (!(pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0
		      && a.st_dev == b.st_dev && a.st_ino == b.st_ino) && getcwd(buf, sizeof buf))
			setvar("PWD", buf, V_EXPORT);
	}
	char ppid[32];
	snprintf(ppid, sizeof ppid, "%d", (int)getppid());
	setvar("PPID", ppid, 0);

	int login = argv[0] && argv[0][0] == '-';
	if (argv[0]) arg0 = argv[0];
	int ai = 1, cflag = 0, sflag = 0, iflag = 0;
	while (ai < argc && (argv[ai][0] == '-' || argv[ai][0] == '+') && argv[ai][1]) {
		char *a = argv[ai];
		int on = a[0] == '-';
		if (!strcmp(a, "--") || !strcmp(a, "-")) { ai++; break; }
		ai++;
		for (char *p = a + 1; *p; p++) {
			if (*p == 'c') cflag = on;
			else if (*p == 's') sflag = on;
			else if (*p == 'i') iflag = on;
			else if (*p == 'l') login = on;
			else if (*p == 'o') {
				if (ai >= argc) usage_error("-o: option requires an argument", NULL);
				if (set_option_name(argv[ai], on) < 0) usage_error("Illegal option -o ", argv[ai]);
				ai++;
			} else if (set_option_letter(*p, on) < 0) {
				char s[3] = { a[0], *p, 0 };
				usage_error("Illegal option ", s);
			}
		}
	}

	struct input *in = xmalloc(sizeof *in);
	memset(in, 0, sizeof *in);
	if (cflag) {
		if (ai >= argc) usage_error("-c requires an argument", NULL);
		in->fd = -1;
		in->str = argv[ai++];
		if (ai < argc) arg0 = argv[ai++];
	} else if (!sflag && ai < argc) {
		const char *file = argv[ai];
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && !strchr(file, '/')) {
			char *p = find_in_path(file, getvar("PATH"));
			if (p) fd = open(p, O_RDONLY | O_CLOEXEC);
		}
		if (fd < 0) {
			fprintf(stderr, "sh: cannot open %s: %s\n", file, strerror(errno));
			return errno == ENOENT ? 127 : 126;
		}
		int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 10);
		if (nfd >= 0) { close(fd); fd = nfd; }
		in->fd = fd;
		arg0 = argv[ai++];
	} else {
		in->fd = 0;
		in->bytewise = 1;
		interactive = iflag || (isatty(0) && isatty(2));
	}
	if (iflag) interactive = 1;
	posv = argv + ai;
	posc = argc - ai;

	if (interactive) {
		if (!opt_m && !getenv("SH_NO_MONITOR")) opt_m = 1;
		const char *ps1 = geteuid() == 0 ? "# " : "$ ";
		if (!getvar("PS1")) setvar("PS1", ps1, 0);
		in->edit = in->fd == 0 && isatty(0) && le_init(0) == 0;
	}
	jobs_init();
	setup_signals();
	if (login) {
		int fd = open("/etc/profile", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) { run_file(fd, 0); close(fd); }
		const char *home = getvar("HOME");
		if (home) {
			char path[PATH_MAX];
			snprintf(path, sizeof path, "%s/.profile", home);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0) { run_file(fd, 0); close(fd); }
		}
	}
	if (interactive) {
		const char *env = getvar("ENV");
		if (env && geteuid() == getuid()) {
			char *file = expand_str(env);
			int fd = open(file, O_RDONLY | O_CLOEXEC);
			if (fd >= 0) { run_file(fd, 0); close(fd); }
		}
		le_history_load();
	}
	int st = run_input(in, 0);
	sh_exit(st);
	return st;
}

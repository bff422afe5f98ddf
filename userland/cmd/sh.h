/* The shell's shared declarations: memory, variables, the syntax tree, expansion,
 * execution and jobs.  sh.c holds main and the state; shparse.c, shexpand.c,
 * shexec.c and shbuiltin.c the parts named after them. */
#ifndef SH_H
#define SH_H
#define _GNU_SOURCE
#include <setjmp.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- memory ---- */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* An arena: parse trees live in one per parse, expansions in the stack arena X
 * (marked before a command, released after it). */
struct blk;
struct arena { struct blk *top; int keep; };   /* keep: a function body lives here */
struct amark { struct blk *b; size_t used; };
void *aalloc(struct arena *a, size_t n);
char *astrdup(struct arena *a, const char *s);
char *astrndup(struct arena *a, const char *s, size_t n);
struct amark amark(struct arena *a);
void arelease(struct arena *a, struct amark m);
void afree(struct arena *a);
extern struct arena X;
#define xalloc(n) aalloc(&X, (n))
#define xdup(s) astrdup(&X, (s))

/* A growable string (malloc'd). */
struct sbuf { char *s; size_t len, cap; };
void sb_putc(struct sbuf *b, int c);
void sb_putn(struct sbuf *b, const char *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);

/* A growable pointer list in the stack arena, NULL-terminated. */
struct vec { void **v; int n, cap; };
void vpush(struct vec *v, void *x);

/* ---- variables ---- */
#define V_EXPORT 1
#define V_READONLY 2
struct var { struct var *next; char *name; char *val; int flags; };
struct var *findvar(const char *name);
const char *getvar(const char *name);
int setvar(const char *name, const char *val, int flags);   /* -1 if readonly */
int unsetvar(const char *name);
char **build_env(void);
int is_name(const char *s);
int is_name_start(int c);
int is_name_char(int c);
struct var *var_list(void);     /* all variables, sorted by name (stack arena) */
int var_count(void);
/* local: save a variable in the current function frame. */
void local_var(const char *name);

/* ---- options and state ---- */
extern int opt_e, opt_u, opt_x, opt_f, opt_n, opt_v, opt_m, opt_C, opt_a, opt_b, opt_h;
extern int interactive;
extern int last_status;
extern pid_t shell_pid;
extern pid_t last_bg;
extern char *arg0;
extern char **posv;           /* positional parameters $1... */
extern int posc;
extern int in_subshell;       /* a forked copy of the shell */
extern int func_depth;
extern int loop_depth;
/* break/continue/return in progress: which, and how many levels. */
enum { SKIP_NONE, SKIP_BREAK, SKIP_CONT, SKIP_RETURN };
extern int skip, skip_count;
extern int exiting;

void sh_exit(int status);          /* runs the EXIT trap, flushes, exits */
/* An expansion or special-builtin error: exits a non-interactive shell, else
 * abandons the command and returns to the prompt. */
void sh_error(int status);
extern jmp_buf *toplevel;

/* ---- syntax tree ---- */
enum { N_CMD, N_PIPE, N_AND, N_OR, N_SEQ, N_BG, N_NOT, N_SUBSHELL, N_BRACE,
       N_IF, N_WHILE, N_UNTIL, N_FOR, N_CASE, N_FUNC };
enum { R_IN, R_OUT, R_CLOB, R_APP, R_RW, R_DUPIN, R_DUPOUT, R_HERE };

struct redir {
	struct redir *next;
	int fd, type;
	char *word;           /* target, or the here-document delimiter */
	char *body;           /* here-document text */
	int literal;          /* here-document with a quoted delimiter: no expansion */
	int striptabs;        /* <<- */
};
struct caseitem { struct caseitem *next; char **pats; int npats; struct node *body; };
struct node {
	int type;
	struct node *a, *b, *c;      /* left/right; cond/then/else; body */
	char **words; int nwords;    /* command words; for-list */
	char **assigns; int nassigns;
	struct redir *redirs;
	char *name;                  /* for-variable, function name, case word */
	int hasin;                   /* for: an "in" list was given */
	struct caseitem *items;
	struct node **cmds; int ncmds;   /* pipeline */
	char *text;                  /* source text, for jobs */
	struct arena *owner;         /* function bodies: the arena they live in */
};

/* Parses src (all of it); 0 ok (*out may be NULL for an empty input), 1 when it
 * ends inside a construct (more input needed), 2 for a syntax error (reported). */
int parse(const char *src, int at_eof, struct node **out, struct arena **arena);
/* Where a $( ${ $(( or ` construct ends (kind '(' '{' 'A' '`'): index after it, or -1. */
long scan_end(const char *s, long n, int kind);

/* ---- expansion ---- */
/* Expands a word into fields (split and globbed); appends to out. */
void expand_fields(const char *word, struct vec *out);
/* Expands a word to one string: no splitting, no globbing. */
char *expand_str(const char *word);
/* Expands a word into a pattern: quoted characters are backslash-escaped. */
char *expand_pat(const char *word);
/* A here-document body: $, ` and \ are special, quotes are not. */
char *expand_heredoc(const char *body);
/* Expands an assignment value (tilde after ':' too). */
char *expand_assign(const char *word);
int pmatch(const char *pat, const char *s, int pathname);
long arith_eval(const char *expr, int *err);
int subst_status_get(void);
void subst_status_reset(void);
char *prompt_string(const char *ps);

/* ---- execution ---- */
#define EV_EXIT 1       /* the shell exits after this: exec the last command in place */
#define EV_TESTED 2     /* a condition: set -e does not apply */
int eval(struct node *n, int flags);
int eval_string(const char *s, int flags);    /* eval, ., and traps */
int run_file(int fd, int flags);              /* the . builtin and scripts */
void exec_external(char **argv, char **env) __attribute__((noreturn));
char *find_in_path(const char *name, const char *path);
void restore_signals_for_child(void);

struct func { struct func *next; char *name; struct node *body; };
struct func *find_func(const char *name);
void define_func(const char *name, struct node *body);
int unset_func(const char *name);

/* ---- redirections ---- */
struct saved;
struct saved *redir_push(struct redir *r, int *err);   /* NULL on failure (reported) */
void redir_pop(struct saved *s, int keep);              /* keep: exec, make it stay */

/* ---- jobs ---- */
void jobs_init(void);
int jobs_notify(void);             /* report finished jobs (interactive), reap */
void jobs_reap(int report);
int wait_job_fg(int job);
int job_by_spec(const char *spec, int quiet);
int builtin_jobs(int argc, char **argv);
int builtin_fg(int argc, char **argv);
int builtin_bg(int argc, char **argv);
int builtin_wait(int argc, char **argv);
pid_t job_pgid(int job);
extern int ttyfd;
extern pid_t shell_pgid;
int jobs_stopped_count(void);

/* ---- traps and signals ---- */
extern char *traps[65];
extern volatile int pending_sigs[65];
extern volatile int any_pending;
void run_pending_traps(void);
int sig_by_name(const char *s);
const char *sig_name(int sig);
const char *sig_text(int sig);
void setup_signals(void);
void sig_ignore_at_entry(void);
extern int ignored_at_entry[65];
void trap_set_handler(int sig);

/* ---- builtins ---- */
struct builtin { const char *name; int (*fn)(int, char **); int special; };
const struct builtin *find_builtin(const char *name);
/* Aliases (the parser substitutes them). */
const char *alias_get(const char *name);

/* ---- history (interactive) ---- */
void history_add(const char *line);
#endif

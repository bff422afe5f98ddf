/*
 * Running commands (XCU 2.9): the tree walk, simple commands and command
 * search, redirections, pipelines, subshells, functions, and jobs with job
 * control (process groups, the terminal's foreground group, stop and continue).
 */
#include "sh.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

void push_frame(void);
void pop_frame(void);

/* ------------------------------------------------------------------ */
/* functions                                                            */

static struct func *funcs;

struct func *find_func(const char *name)
{
	for (struct func *f = funcs; f; f = f->next)
		if (!strcmp(f->name, name)) return f;
	return NULL;
}

void define_func(const char *name, struct node *body)
{
	struct func *f = find_func(name);
	if (!f) {
		f = xmalloc(sizeof *f);
		f->name = xstrdup(name);
		f->next = funcs;
		funcs = f;
	}
	f->body = body;
}

int unset_func(const char *name)
{
	for (struct func **pp = &funcs; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, name)) {
			struct func *f = *pp;
			*pp = f->next;
			free(f->name);
			free(f);
			return 0;
		}
	return 1;
}

/* ------------------------------------------------------------------ */
/* redirections                                                         */

struct saved { int n; int fd[32]; int copy[32]; };

static int save_fd(struct saved *s, int fd)
{
	for (int k = 0; k < s->n; k++) if (s->fd[k] == fd) return 0;
	if (s->n == 32) return 0;
	int c = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (c < 0 && errno != EBADF) return -1;
	s->fd[s->n] = fd;
	s->copy[s->n++] = c;
	return 0;
}

/* Here-document text as a readable descriptor: a pipe, filled by a child if
 * it might not fit the pipe's buffer. */
static int here_fd(const char *text)
{
	int p[2];
	if (pipe(p) < 0) return -1;
	size_t n = strlen(text);
	if (n <= 4096) {
		write(p[1], text, n);
		close(p[1]);
		return p[0];
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		signal(SIGPIPE, SIG_DFL);
		const char *t = text;
		while (n) {
			ssize_t w = write(p[1], t, n);
			if (w <= 0) break;
			t += w;
			n -= (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static int do_redir(struct redir *r)
{
	int fd = r->fd, nfd;
	if (r->type == R_HERE) {
		nfd = here_fd(r->literal ? r->body : expand_heredoc(r->body));
		if (nfd < 0) { perror("sh: pipe"); return -1; }
	} else {
		char *target = expand_str(r->word);
		if (r->type == R_DUPIN || r->type == R_DUPOUT) {
			if (!strcmp(target, "-")) { close(fd); return 0; }
			char *end;
			long src = strtol(target, &end, 10);
			if (!*target || *end || src < 0 || src > INT_MAX) {
				fprintf(stderr, "sh: %s: bad file descriptor number\n", target);
				return -1;
			}
			if (src == fd) return 0;
			if (fcntl((int)src, F_GETFD) < 0 || dup2((int)src, fd) < 0) {
				fprintf(stderr, "sh: %ld: %s\n", src, strerror(errno));
				return -1;
			}
			return 0;
		}
		int flags;
		switch (r->type) {
		case R_IN: flags = O_RDONLY; break;
		case R_OUT: case R_CLOB: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
		case R_APP: flags = O_WRONLY | O_CREAT | O_APPEND; break;
		default: flags = O_RDWR | O_CREAT; break;
		}
		if (r->type == R_OUT && opt_C) {
			struct stat st;
			if (stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
				fprintf(stderr, "sh: %s: cannot overwrite existing file\n", target);
				return -1;
			}
		}
		nfd = open(target, flags, 0666);
		if (nfd < 0) {
			fprintf(stderr, "sh: %s: %s\n", target, strerror(errno));
			return -1;
		}
	}
	if (nfd != fd) {
		if (dup2(nfd, fd) < 0) {
			fprintf(stderr, "sh: %d: %s\n", fd, strerror(errno));
			close(nfd);
			return -1;
		}
		close(nfd);
	}
	return 0;
}

struct saved *redir_push(struct redir *r, int *err)
{
	struct saved *s = xalloc(sizeof *s);
	s->n = 0;
	*err = 0;
	for (; r; r = r->next) {
		if (save_fd(s, r->fd) < 0 || do_redir(r) < 0) { *err = 1; return s; }
	}
	return s;
}

void redir_pop(struct saved *s, int keep)
{
	if (!s) return;
	for (int k = s->n - 1; k >= 0; k--) {
		if (keep) { if (s->copy[k] >= 0) close(s->copy[k]); continue; }
		if (s->copy[k] >= 0) { dup2(s->copy[k], s->fd[k]); close(s->copy[k]); }
		else close(s->fd[k]);
	}
	s->n = 0;
}

/* In a child: redirections for good. */
static int redir_apply(struct redir *r)
{
	for (; r; r = r->next) if (do_redir(r) < 0) return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* jobs                                                                 */

enum { P_RUNNING, P_STOPPED, P_DONE };
struct proc { pid_t pid; int status; int state; };
struct job {
	int used;
	pid_t pgid;
	int nprocs;
	struct proc *procs;
	char *text;
	int bg;             /* started with & (reported when done) */
	int notified;       /* its current state was reported */
	int seq;            /* for %+ and %-: larger is more recent */
};
#define MAXJOBS 64
static struct job jobtab[MAXJOBS + 1];    /* job N is jobtab[N], 1-based */
static int jobseq;
int ttyfd = -1;
pid_t shell_pgid;

static int job_state(struct job *j)
{
	int running = 0, stopped = 0;
	for (int k = 0; k < j->nprocs; k++) {
		if (j->procs[k].state == P_RUNNING) running = 1;
		if (j->procs[k].state == P_STOPPED) stopped = 1;
	}
	return running ? P_RUNNING : stopped ? P_STOPPED : P_DONE;
}

static int new_job(int nprocs, const char *text)
{
	int id = 0;
	for (int k = 1; k <= MAXJOBS; k++) if (jobtab[k].used) id = k;
	id++;
	if (id > MAXJOBS) {
		for (id = 1; id <= MAXJOBS && jobtab[id].used; id++) ;
		if (id > MAXJOBS) {
			/* Forget the oldest finished job to make room. */
			for (id = 1; id <= MAXJOBS; id++) if (job_state(&jobtab[id]) == P_DONE) break;
			if (id > MAXJOBS) id = 1;
			free(jobtab[id].procs);
			free(jobtab[id].text);
		}
	}
	struct job *j = &jobtab[id];
	memset(j, 0, sizeof *j);
	j->used = 1;
	j->procs = xmalloc((nprocs ? nprocs : 1) * sizeof *j->procs);
	j->text = xstrdup(text ? text : "");
	j->seq = ++jobseq;
	return id;
}

static void free_job(int id)
{
	struct job *j = &jobtab[id];
	free(j->procs);
	free(j->text);
	memset(j, 0, sizeof *j);
}

static void add_proc(int id, pid_t pid)
{
	struct job *j = &jobtab[id];
	j->procs[j->nprocs].pid = pid;
	j->procs[j->nprocs].status = 0;
	j->procs[j->nprocs].state = P_RUNNING;
	j->nprocs++;
	if (!j->pgid) j->pgid = pid;
}

/* Records a wait status for pid; returns its job or 0. */
static int update_proc(pid_t pid, int st)
{
	for (int id = 1; id <= MAXJOBS; id++) {
		struct job *j = &jobtab[id];
		if (!j->used) continue;
		for (int k = 0; k < j->nprocs; k++) {
			if (j->procs[k].pid != pid) continue;
			if (WIFSTOPPED(st)) {
				j->procs[k].state = P_STOPPED;
				j->procs[k].status = st;
				j->seq = ++jobseq;
			} else if (WIFCONTINUED(st)) {
				j->procs[k].state = P_RUNNING;
			} else {
				j->procs[k].state = P_DONE;
				j->procs[k].status = st;
			}
			j->notified = 0;
			return id;
		}
	}
	return 0;
}

void jobs_reap(int report)
{
	int st;
	pid_t pid;
	int opts = WNOHANG | (opt_m ? WUNTRACED | WCONTINUED : 0);
	while ((pid = waitpid(-1, &st, opts)) > 0) update_proc(pid, st);
	(void)report;
}

static int current_job(int which)
{
	/* %+ is the most recent stopped job, else the most recent one; %- the one before. */
	int best = 0, second = 0;
	for (int pass = 0; pass < 2 && !best; pass++)
		for (int id = 1; id <= MAXJOBS; id++) {
			struct job *j = &jobtab[id];
			if (!j->used || (pass == 0 && job_state(j) != P_STOPPED)) continue;
			if (!best || j->seq > jobtab[best].seq) best = id;
		}
	if (which == '+') return best;
	for (int id = 1; id <= MAXJOBS; id++) {
		struct job *j = &jobtab[id];
		if (!j->used || id == best) continue;
		if (!second || j->seq > jobtab[second].seq) second = id;
	}
	return second;
}

static const char *state_text(struct job *j, char *buf, size_t n)
{
	int s = job_state(j);
	if (s == P_RUNNING) return "Running";
	if (s == P_STOPPED) {
		for (int k = 0; k < j->nprocs; k++)
			if (j->procs[k].state == P_STOPPED) {
				const char *t = sig_text(WSTOPSIG(j->procs[k].status));
				return t ? t : "Stopped";
			}
		return "Stopped";
	}
	int st = j->procs[j->nprocs - 1].status;
	if (WIFEXITED(st)) {
		if (!WEXITSTATUS(st)) return "Done";
		snprintf(buf, n, "Done(%d)", WEXITSTATUS(st));
		return buf;
	}
	const char *t = sig_text(WTERMSIG(st));
	if (t) snprintf(buf, n, "%s", t);
	else snprintf(buf, n, "Signal %d", WTERMSIG(st));
	return buf;
}

static void print_job(int id, int longfmt, FILE *f)
{
	struct job *j = &jobtab[id];
	char buf[64];
	int cur = current_job('+'), prev = current_job('-');
	char mark = id == cur ? '+' : id == prev ? '-' : ' ';
	if (longfmt)
		fprintf(f, "[%d]%c %5d %-24s%s\n", id, mark, (int)j->procs[0].pid, state_text(j, buf, sizeof buf), j->text);
	else
		fprintf(f, "[%d]%c  %-24s%s%s\n", id, mark, state_text(j, buf, sizeof buf), j->text,
		        job_state(j) == P_RUNNING && j->bg ? " &" : "");
}

int jobs_notify(void)
{
	jobs_reap(1);
	int n = 0;
	for (int id = 1; id <= MAXJOBS; id++) {
		struct job *j = &jobtab[id];
		if (!j->used || j->notified) continue;
		int s = job_state(j);
		if (s == P_DONE) {
			if (j->bg) print_job(id, 0, stderr);
			free_job(id);
			n++;
		} else if (s == P_STOPPED) {
			print_job(id, 0, stderr);
			j->notified = 1;
		}
	}
	return n;
}

int jobs_stopped_count(void)
{
	int n = 0;
	for (int id = 1; id <= MAXJOBS; id++)
		if (jobtab[id].used && job_state(&jobtab[id]) == P_STOPPED) n++;
	return n;
}

pid_t job_pgid(int id) { return id > 0 && id <= MAXJOBS && jobtab[id].used ? jobtab[id].pgid : 0; }

void jobs_init(void)
{
	if (!opt_m || in_subshell) return;
	if (ttyfd < 0) {
		int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
		if (fd < 0) fd = fcntl(0, F_DUPFD_CLOEXEC, 10);
		else { int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 10); if (nfd >= 0) { close(fd); fd = nfd; } }
		ttyfd = fd;
	}
	if (ttyfd < 0 || !isatty(ttyfd)) { opt_m = 0; return; }
	shell_pgid = getpgrp();
	pid_t fg = tcgetpgrp(ttyfd);
	if (fg < 0 && getsid(0) == getpid()) {
		/* A session leader without a controlling terminal takes this one. */
		ioctl(ttyfd, TIOCSCTTY, 0);
		fg = tcgetpgrp(ttyfd);
	}
	if (fg < 0) { opt_m = 0; return; }
	/* Started in the background: wait to be brought to the foreground. */
	for (int tries = 0; fg != shell_pgid && tries < 100; tries++) {
		kill(-shell_pgid, SIGTTIN);
		fg = tcgetpgrp(ttyfd);
		shell_pgid = getpgrp();
	}
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	if (getpgrp() != getpid() && setpgid(0, 0) == 0) shell_pgid = getpid();
	shell_pgid = getpgrp();
	tcsetpgrp(ttyfd, shell_pgid);
}

/* Waits for job id in the foreground; returns its status. */
static int wait_fg(int id)
{
	struct job *j = &jobtab[id];
	int mon = opt_m && !in_subshell;
	if (mon) tcsetpgrp(ttyfd, j->pgid);
	while (job_state(j) == P_RUNNING) {
		int st;
		pid_t pid = waitpid(-1, &st, mon ? WUNTRACED : 0);
		if (pid < 0) {
			if (errno == EINTR) continue;
			for (int k = 0; k < j->nprocs; k++) if (j->procs[k].state == P_RUNNING) j->procs[k].state = P_DONE;
			break;
		}
		update_proc(pid, st);
	}
	if (mon) {
		tcsetpgrp(ttyfd, shell_pgid);
	}
	int st = j->procs[j->nprocs - 1].status;
	int status;
	if (job_state(j) == P_STOPPED) {
		fputc('\n', stderr);
		j->bg = 1;
		print_job(id, 0, stderr);
		j->notified = 1;
		int sig = SIGTSTP;
		for (int k = 0; k < j->nprocs; k++) if (j->procs[k].state == P_STOPPED) sig = WSTOPSIG(j->procs[k].status);
		return 128 + sig;
	}
	if (WIFEXITED(st)) status = WEXITSTATUS(st);
	else {
		int sig = WTERMSIG(st);
		status = 128 + sig;
		if (sig != SIGINT && sig != SIGPIPE) {
			const char *m = sig_text(sig);
			if (m) fprintf(stderr, "%s\n", m);
			else fprintf(stderr, "Unknown signal %d\n", sig);
		} else if (sig == SIGINT && interactive) fputc('\n', stderr);
	}
	free_job(id);
	return status;
}

int wait_job_fg(int id) { return wait_fg(id); }

int job_by_spec(const char *spec, int quiet)
{
	int id = 0;
	if (!spec || !strcmp(spec, "%") || !strcmp(spec, "%%") || !strcmp(spec, "%+")) id = current_job('+');
	else if (!strcmp(spec, "%-")) id = current_job('-');
	else if (spec[0] == '%' && spec[1] >= '0' && spec[1] <= '9') {
		id = atoi(spec + 1);
		if (id < 1 || id > MAXJOBS || !jobtab[id].used) id = 0;
	} else if (spec[0] == '%') {
		const char *s = spec + 1;
		int sub = *s == '?';
		if (sub) s++;
		for (int k = 1; k <= MAXJOBS; k++)
			if (jobtab[k].used && (sub ? strstr(jobtab[k].text, s) != NULL : !strncmp(jobtab[k].text, s, strlen(s)))) { id = k; break; }
	} else {
		pid_t pid = (pid_t)atoi(spec);
		for (int k = 1; k <= MAXJOBS && !id; k++)
			for (int p = 0; jobtab[k].used && p < jobtab[k].nprocs; p++)
				if (jobtab[k].procs[p].pid == pid) id = k;
	}
	if (!id && !quiet) fprintf(stderr, "sh: %s: no such job\n", spec ? spec : "current");
	return id;
}

int builtin_jobs(int argc, char **argv)
{
	int longfmt = 0, pids = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'l') longfmt = 1;
			else if (*p == 'p') pids = 1;
			else { fprintf(stderr, "sh: jobs: -%c: invalid option\n", *p); return 2; }
		}
	}
	jobs_reap(0);
	for (int id = 1; id <= MAXJOBS; id++) {
		if (!jobtab[id].used) continue;
		if (k < argc) {
			int match = 0;
			for (int a = k; a < argc; a++) if (job_by_spec(argv[a], 1) == id) match = 1;
			if (!match) continue;
		}
		if (pids) printf("%d\n", (int)jobtab[id].pgid);
		else print_job(id, longfmt, stdout);
		if (job_state(&jobtab[id]) == P_DONE) free_job(id);
		else if (job_state(&jobtab[id]) == P_STOPPED) jobtab[id].notified = 1;
	}
	return 0;
}

static int continue_job(int id, int fg)
{
	struct job *j = &jobtab[id];
	for (int k = 0; k < j->nprocs; k++) if (j->procs[k].state == P_STOPPED) j->procs[k].state = P_RUNNING;
	j->notified = 0;
	if (fg) {
		printf("%s\n", j->text);
		fflush(stdout);
		if (opt_m) tcsetpgrp(ttyfd, j->pgid);
	}
	if (kill(opt_m ? -j->pgid : j->pgid, SIGCONT) < 0) {
		fprintf(stderr, "sh: %s: %s\n", fg ? "fg" : "bg", strerror(errno));
		return 1;
	}
	if (fg) { j->bg = 0; return wait_fg(id); }
	j->bg = 1;
	j->seq = ++jobseq;
	printf("[%d]%c %s &\n", id, '+', j->text);
	return 0;
}

int builtin_fg(int argc, char **argv)
{
	if (!opt_m) { fputs("sh: fg: no job control\n", stderr); return 1; }
	int id = job_by_spec(argc > 1 ? argv[1] : NULL, 0);
	if (!id) return 1;
	return continue_job(id, 1);
}

int builtin_bg(int argc, char **argv)
{
	if (!opt_m) { fputs("sh: bg: no job control\n", stderr); return 1; }
	int st = 0;
	for (int k = 1; k < argc || k == 1; k++) {
		int id = job_by_spec(k < argc ? argv[k] : NULL, 0);
		if (!id) { st = 1; if (argc <= 1) break; continue; }
		if (job_state(&jobtab[id]) == P_RUNNING) {
			fprintf(stderr, "sh: bg: job %d already in background\n", id);
			if (argc <= 1) break;
			continue;
		}
		st |= continue_job(id, 0);
		if (argc <= 1) break;
	}
	return st;
}

static int job_status(struct job *j)
{
	int st = j->procs[j->nprocs - 1].status;
	if (WIFEXITED(st)) return WEXITSTATUS(st);
	if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
	return 128 + WSTOPSIG(st);
}

/* Blocks until a child changes state or a trapped signal arrives (returns the signal). */
static int wait_any(void)
{
	int st;
	pid_t pid = waitpid(-1, &st, opt_m ? WUNTRACED : 0);
	if (pid > 0) { update_proc(pid, st); return 0; }
	if (errno == EINTR && any_pending) {
		for (int s = 1; s < 65; s++) if (pending_sigs[s] && traps[s]) return s;
		return 0;
	}
	return errno == ECHILD ? -1 : 0;
}

int builtin_wait(int argc, char **argv)
{
	int k = 1;
	if (k < argc && !strcmp(argv[k], "--")) k++;
	if (k >= argc) {
		for (;;) {
			int busy = 0;
			for (int id = 1; id <= MAXJOBS; id++)
				if (jobtab[id].used && job_state(&jobtab[id]) == P_RUNNING) busy = 1;
			if (!busy) break;
			int r = wait_any();
			if (r > 0) return 128 + r;
			if (r < 0) break;
		}
		for (int id = 1; id <= MAXJOBS; id++)
			if (jobtab[id].used && job_state(&jobtab[id]) == P_DONE && !interactive) free_job(id);
		return 0;
	}
	int st = 127;
	for (; k < argc; k++) {
		int id;
		if (argv[k][0] == '%') id = job_by_spec(argv[k], 0);
		else {
			char *end;
			long pid = strtol(argv[k], &end, 10);
			if (!*argv[k] || *end || pid <= 0) {
				fprintf(stderr, "sh: wait: `%s': not a pid or valid job spec\n", argv[k]);
				st = 2;
				continue;
			}
			id = job_by_spec(argv[k], 1);
		}
		if (!id) { st = 127; continue; }
		struct job *j = &jobtab[id];
		while (job_state(j) == P_RUNNING) {
			int r = wait_any();
			if (r > 0) return 128 + r;
			if (r < 0) break;
		}
		st = job_status(j);
		if (job_state(j) == P_DONE) free_job(id);
	}
	return st;
}

/* ------------------------------------------------------------------ */
/* command search and exec                                              */

char *find_in_path(const char *name, const char *path)
{
	if (!path) path = "/bin:/sbin";
	static char buf[PATH_MAX];
	for (;;) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		if (len == 0) snprintf(buf, sizeof buf, "%s", name);
		else snprintf(buf, sizeof buf, "%.*s/%s", (int)len, path, name);
		struct stat st;
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0) return buf;
		if (!colon) return NULL;
		path = colon + 1;
	}
}

static void exec_script(const char *path, char **argv, char **env)
{
	int n = 0;
	while (argv[n]) n++;
	char **nv = xalloc((n + 2) * sizeof *nv);
	nv[0] = "sh";
	nv[1] = (char *)path;
	for (int k = 1; k <= n; k++) nv[k + 1] = argv[k];
	execve("/bin/sh", nv, env);
}

void exec_external(char **argv, char **env)
{
	const char *name = argv[0];
	fflush(stdout);
	if (strchr(name, '/')) {
		execve(name, argv, env);
		int e = errno;
		if (e == ENOEXEC) exec_script(name, argv, env);
		if (e == ENOENT) { fprintf(stderr, "sh: %s: not found\n", name); _exit(127); }
		fprintf(stderr, "sh: %s: %s\n", name, strerror(e));
		_exit(126);
	}
	const char *path = getvar("PATH");
	if (!path) path = "/bin:/sbin";
	int denied = 0;
	char buf[PATH_MAX];
	for (;;) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		if (len == 0) snprintf(buf, sizeof buf, "%s", name);
		else snprintf(buf, sizeof buf, "%.*s/%s", (int)len, path, name);
		execve(buf, argv, env);
		if (errno == ENOEXEC) exec_script(buf, argv, env);
		if (errno == EACCES) denied = 1;
		if (!colon) break;
		path = colon + 1;
	}
	if (denied) { fprintf(stderr, "sh: %s: Permission denied\n", name); _exit(126); }
	fprintf(stderr, "sh: %s: not found\n", name);
	_exit(127);
}

/* ------------------------------------------------------------------ */
/* forking                                                              */

/* In a new child: it is a subshell now; traps that run commands are reset. */
static void become_child(pid_t pgid, int fg, int bg_nomonitor)
{
	int mon = opt_m && !in_subshell;
	in_subshell = 1;
	if (mon) {
		setpgid(0, pgid);
		if (fg) tcsetpgrp(ttyfd, pgid ? pgid : getpid());
	}
	for (int s = 0; s < 65; s++)
		if (traps[s] && traps[s][0]) { free(traps[s]); traps[s] = NULL; }
	opt_m = 0;
	restore_signals_for_child();
	if (bg_nomonitor && !mon) {
		/* Without job control an asynchronous list ignores SIGINT and SIGQUIT and
		 * reads /dev/null (XCU 2.9.3). */
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		int fd = open("/dev/null", O_RDONLY);
		if (fd > 0) { dup2(fd, 0); close(fd); }
	}
	setup_signals();
}

static pid_t sh_fork(void)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) perror("sh: fork");
	return pid;
}

/* ------------------------------------------------------------------ */
/* simple commands                                                      */

static void xtrace(struct node *n, struct vec *argv)
{
	const char *ps4 = getvar("PS4");
	fputs(ps4 ? expand_str(ps4) : "+ ", stderr);
	int first = 1;
	for (int k = 0; k < n->nassigns; k++) {
		fprintf(stderr, "%s%s", first ? "" : " ", expand_assign(n->assigns[k]));
		first = 0;
	}
	for (int k = 0; k < argv->n; k++) {
		const char *a = argv->v[k];
		int plain = *a != 0;
		for (const char *p = a; *p; p++)
			if (!(is_name_char((unsigned char)*p) || strchr("/.-+=:,%@_", *p))) plain = 0;
		fputs(first ? "" : " ", stderr);
		if (plain) fputs(a, stderr);
		else {
			fputc('\'', stderr);
			for (const char *p = a; *p; p++) { if (*p == '\'') fputs("'\\''", stderr); else fputc(*p, stderr); }
			fputc('\'', stderr);
		}
		first = 0;
	}
	fputc('\n', stderr);
}

/* Assignments: for good (special builtins, no command) or for the command only. */
static int do_assigns(struct node *n, int temp, int export)
{
	for (int k = 0; k < n->nassigns; k++) {
		char *a = n->assigns[k];
		char *eq = strchr(a, '=');
		char *name = astrndup(&X, a, eq - a);
		char *val = expand_assign(eq + 1);
		if (temp) local_var(name);
		if (setvar(name, val, export ? V_EXPORT : 0) < 0) return -1;
	}
	return 0;
}

static int call_function(struct func *f, char **argv, int argc, int flags, struct node *n)
{
	char **saved_v = posv;
	int saved_c = posc;
	char *saved_0 = arg0;
	posv = argv + 1;
	posc = argc - 1;
	push_frame();
	if (do_assigns(n, 1, 1) < 0) { pop_frame(); posv = saved_v; posc = saved_c; return 1; }
	func_depth++;
	int saved_loop = loop_depth;
	loop_depth = 0;
	int st = eval(f->body, flags & EV_TESTED);
	loop_depth = saved_loop;
	func_depth--;
	if (skip == SKIP_RETURN) { skip = SKIP_NONE; st = last_status; }
	pop_frame();
	posv = saved_v;
	posc = saved_c;
	arg0 = saved_0;
	return st;
}

static int run_simple(struct node *n, int flags)
{
	struct vec argv = {0};
	subst_status_reset();
	for (int k = 0; k < n->nwords; k++) expand_fields(n->words[k], &argv);
	if (opt_x) xtrace(n, &argv);
	int err;
	if (argv.n == 0) {
		/* Only assignments and redirections. */
		struct saved *sv = redir_push(n->redirs, &err);
		redir_pop(sv, 0);
		if (err) return 1;
		if (do_assigns(n, 0, 0) < 0) { if (!interactive) sh_exit(1); return 1; }
		return subst_status_get();
	}
	char *name = argv.v[0];
	const struct builtin *b = find_builtin(name);
	struct func *f = (b && b->special) ? NULL : find_func(name);
	if (b && b->special) {
		struct saved *sv = redir_push(n->redirs, &err);
		if (err) {
			redir_pop(sv, 0);
			if (!interactive) sh_exit(1);
			return 1;
		}
		if (do_assigns(n, 0, 0) < 0) { redir_pop(sv, 0); if (!interactive) sh_exit(1); return 1; }
		int exec_keep = !strcmp(name, "exec") && argv.n == 1;
		int st = b->fn(argv.n, (char **)argv.v);
		fflush(stdout);
		redir_pop(sv, exec_keep);
		return st;
	}
	if (f || b) {
		struct saved *sv = redir_push(n->redirs, &err);
		if (err) { redir_pop(sv, 0); return 1; }
		int st;
		if (f) st = call_function(f, (char **)argv.v, argv.n, flags, n);
		else if (n->nassigns) {
			/* VAR=value builtin: the assignment lasts for the builtin only. */
			push_frame();
			do_assigns(n, 1, 0);
			st = b->fn(argv.n, (char **)argv.v);
			fflush(stdout);
			pop_frame();
		} else {
			st = b->fn(argv.n, (char **)argv.v);
			fflush(stdout);
		}
		redir_pop(sv, 0);
		return st;
	}
	/* An external command. */
	if ((flags & EV_EXIT) && !traps[0]) {
		in_subshell = 1;
		if (redir_apply(n->redirs) < 0) _exit(1);
		do_assigns(n, 0, 1);
		restore_signals_for_child();
		exec_external((char **)argv.v, build_env());
	}
	int id = new_job(1, n->text);
	pid_t pid = sh_fork();
	if (pid < 0) { free_job(id); return 2; }
	if (pid == 0) {
		become_child(0, 1, 0);
		if (redir_apply(n->redirs) < 0) _exit(1);
		do_assigns(n, 0, 1);
		exec_external((char **)argv.v, build_env());
	}
	if (opt_m && !in_subshell) setpgid(pid, pid);
	add_proc(id, pid);
	return wait_fg(id);
}

/* ------------------------------------------------------------------ */
/* pipelines, subshells, background                                     */

static int run_pipeline(struct node *n, int flags)
{
	int id = new_job(n->ncmds, n->text);
	int prev = -1;
	pid_t pgid = 0;
	int mon = opt_m && !in_subshell;
	for (int k = 0; k < n->ncmds; k++) {
		int p[2] = { -1, -1 };
		if (k < n->ncmds - 1 && pipe(p) < 0) { perror("sh: pipe"); break; }
		pid_t pid = sh_fork();
		if (pid < 0) { if (p[0] >= 0) { close(p[0]); close(p[1]); } break; }
		if (pid == 0) {
			become_child(pgid, 1, 0);
			if (prev >= 0) { dup2(prev, 0); close(prev); }
			if (p[1] >= 0) { close(p[0]); dup2(p[1], 1); close(p[1]); }
			int st = eval(n->cmds[k], EV_EXIT | (flags & EV_TESTED));
			sh_exit(st);
		}
		if (!pgid) pgid = pid;
		if (mon) setpgid(pid, pgid);
		add_proc(id, pid);
		if (prev >= 0) close(prev);
		if (p[1] >= 0) close(p[1]);
		prev = p[0];
	}
	if (prev >= 0) close(prev);
	if (!jobtab[id].nprocs) { free_job(id); return 2; }
	return wait_fg(id);
}

static int run_subshell(struct node *n, int flags)
{
	if (flags & EV_EXIT) {
		in_subshell = 1;
		int err;
		struct saved *sv = redir_push(n->redirs, &err);
		(void)sv;
		if (err) sh_exit(1);
		sh_exit(eval(n->a, EV_EXIT | (flags & EV_TESTED)));
	}
	int id = new_job(1, n->text);
	pid_t pid = sh_fork();
	if (pid < 0) { free_job(id); return 2; }
	if (pid == 0) {
		become_child(0, 1, 0);
		if (redir_apply(n->redirs) < 0) sh_exit(1);
		sh_exit(eval(n->a, EV_EXIT | (flags & EV_TESTED)));
	}
	if (opt_m && !in_subshell) setpgid(pid, pid);
	add_proc(id, pid);
	return wait_fg(id);
}

static void run_background(struct node *n)
{
	int id = new_job(1, n->text);
	pid_t pid = sh_fork();
	if (pid < 0) { free_job(id); last_status = 2; return; }
	if (pid == 0) {
		become_child(0, 0, 1);
		sh_exit(eval(n, EV_EXIT));
	}
	if (opt_m && !in_subshell) setpgid(pid, pid);
	add_proc(id, pid);
	jobtab[id].bg = 1;
	last_bg = pid;
	if (interactive && !in_subshell) fprintf(stderr, "[%d] %d\n", id, (int)pid);
}

/* ------------------------------------------------------------------ */
/* the tree walk                                                        */

static int loop_skip(void)
{
	/* After a loop body: 1 to leave the loop, 0 to go on. */
	if (skip == SKIP_BREAK) {
		if (--skip_count <= 0) skip = SKIP_NONE;
		return 1;
	}
	if (skip == SKIP_CONT) {
		if (--skip_count <= 0) { skip = SKIP_NONE; return 0; }
		return 1;
	}
	return skip == SKIP_RETURN;
}

/* The body of a compound command, its redirections already in place. */
static int eval_compound(struct node *n, int flags)
{
	int st = 0;
	int sub = flags & ~EV_EXIT;
	switch (n->type) {
	case N_BRACE:
		return eval(n->a, flags);
	case N_IF:
		st = eval(n->a, sub | EV_TESTED);
		if (skip) return st;
		if (st == 0) return eval(n->b, flags);
		return n->c ? eval(n->c, flags) : 0;
	case N_WHILE:
	case N_UNTIL:
		loop_depth++;
		for (;;) {
			int c = eval(n->a, sub | EV_TESTED);
			if (skip) { if (loop_skip()) break; else continue; }
			if ((n->type == N_WHILE) != (c == 0)) break;
			st = eval(n->c, sub);
			if (skip && loop_skip()) break;
		}
		loop_depth--;
		return st;
	case N_FOR: {
		struct vec items = {0};
		if (n->hasin) for (int k = 0; k < n->nwords; k++) expand_fields(n->words[k], &items);
		else for (int k = 0; k < posc; k++) vpush(&items, posv[k]);
		loop_depth++;
		for (int k = 0; k < items.n; k++) {
			if (setvar(n->name, items.v[k], 0) < 0) { st = 1; break; }
			st = eval(n->c, sub);
			if (skip && loop_skip()) break;
		}
		loop_depth--;
		return st;
	}
	default: {
		char *word = expand_str(n->name);
		for (struct caseitem *it = n->items; it; it = it->next) {
			int hit = 0;
			for (int k = 0; k < it->npats && !hit; k++) hit = pmatch(expand_pat(it->pats[k]), word, 0);
			if (hit) return eval(it->body, flags);
		}
		return 0;
	}
	}
}

int eval(struct node *n, int flags)
{
	if (!n) return 0;
	int st = 0;
	int tested = flags & EV_TESTED;
	int sub = flags & ~EV_EXIT;     /* flags for a part that is not the last thing run */
	run_pending_traps();
	switch (n->type) {
	case N_SEQ:
		eval(n->a, sub);
		if (skip) return last_status;
		return eval(n->b, flags);
	case N_BG:
		run_background(n->a);
		st = 0;
		break;
	case N_AND:
	case N_OR:
		st = eval(n->a, sub | EV_TESTED);
		if (skip) return st;
		if ((n->type == N_AND) == (st == 0)) st = eval(n->b, flags);
		last_status = st;
		return st;
	case N_NOT:
		st = !eval(n->a, sub | EV_TESTED);
		last_status = st;
		return st;
	case N_PIPE:
		st = run_pipeline(n, flags);
		break;
	case N_CMD: {
		struct amark m = amark(&X);
		st = run_simple(n, flags);
		arelease(&X, m);
		break;
	}
	case N_SUBSHELL:
		st = run_subshell(n, flags);
		break;
	case N_FUNC:
		define_func(n->name, n->a);
		if (n->owner) n->owner->keep = 1;
		st = 0;
		break;
	default: {
		/* { } if while until for case: their redirections hold for the whole body. */
		int err;
		struct saved *sv = redir_push(n->redirs, &err);
		if (err) { redir_pop(sv, 0); st = 1; break; }
		st = eval_compound(n, flags);
		redir_pop(sv, 0);
		last_status = st;
		return st;
	}
	}
	last_status = st;
	if (opt_e && st != 0 && !tested && !skip
	    && (n->type == N_CMD || n->type == N_PIPE || n->type == N_SUBSHELL))
		sh_exit(st);
	return st;
}

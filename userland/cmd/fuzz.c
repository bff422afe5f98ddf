/* fuzz: a system call fuzzer in the spirit of syzkaller and Trinity.
 *
 *   fuzz [-s SEED] [-n TOTAL] [-c FIRST] [-C CHILDREN] [-k CALLS] [-t MS]
 *        [-u root|user|both] [-v] [-m I,J,...] [-S]
 *
 * Children FIRST .. FIRST+CHILDREN-1 (default 8; with -n, as many as it takes to issue
 * TOTAL calls) run one after the other. Child J is forked from
 * this process, drops to uid 1000 ("user") if its turn says so, and issues CALLS
 * random system calls whose arguments are typed (file descriptors, paths, buffers,
 * lengths, flags, addresses, iovecs, timespecs, signal sets, pids...) and drawn from
 * "interesting" values: 0 and -1, powers of two and their neighbours, page
 * boundaries, kernel and non-canonical addresses, buffers straddling a mapped and an
 * unmapped page, strings that run into an unreadable page, invalid descriptors.
 * Everything child J does follows from (SEED, J): the same run issues the same calls,
 * and -m replays a subset of them (the arguments of the kept calls do not depend on
 * the results of the others), which is how a crash is reduced to the one call that
 * causes it.
 *
 * A call that may block is interrupted after 50 ms by ITIMER_REAL (the child catches
 * SIGALRM); a child that outlives -t (default 2000 ms of simulated time, e.g. because
 * it blocked SIGALRM) is killed by the parent with SIGKILL and counted as a timeout. The
 * children report each call's outcome to the parent through a pipe; the parent prints
 * one "fuzz:" line per child and a summary (calls, distinct system calls, outcomes by
 * errno, how children died). -v prints every call before it is issued, so the last
 * line before a kernel panic names the culprit. -S skips the per-syscall table.
 *
 * The children stay in a sandbox, as syzkaller's executor does: memory calls are
 * aimed at an arena (0x20000000) and never at the fuzzer's own text, data, stack or
 * argument area; paths that root may modify lie under /tmp/fz/J; kill and friends
 * name only the child itself, its own process group or nobody; the console is not
 * reachable (fds 0-2 are /dev/null; the second serial line, /dev/ttyS1 and /dev/uart1, whose
 * output nobody reads, is fuzzed instead: the console driver's terminal code and, in the
 * microkernel model, its server). What the children create is removed after them.
 * -M NAME loads the sample module NAME first and gives the children /dev/NAME and its
 * sysfs files too (up to four); it is unloaded at the end. */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------ raw system calls */

/* No libc once fuzzing starts: the calls may change FS_BASE (musl's TLS), signal
 * handlers, the break and the address space. */
static long raw6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static long raw3(long n, long a, long b, long c)
{
	return raw6(n, a, b, c, 0, 0, 0);
}

static void raw_exit(int code)
{
	for (;;)
		raw3(SYS_exit_group, code, 0, 0);
}

/* ------------------------------------------------------------ random numbers */

static uint64_t rng;

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(void)
{
	rng = mix(rng);
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(int percent)
{
	return (int)below(100) < percent;
}

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* ------------------------------------------------------------ the sandbox */

#define PAGE 4096L
#define ARENA 0x20000000L           /* what memory calls may change */
#define ARENA_PAGES 64L             /* 0-47 RW, 48-55 R, 56-59 none, 60-63 unmapped */
#define STAGE 0x30000000L           /* where arguments are built; never a target */
#define STAGE_SIZE (32 * PAGE)
#define OWN_LOW 0x400000L           /* text, data, heap: never a target */
#define OWN_HIGH 0x20000000L
#define TOP_GUARD 0x7ffff0000000L   /* the stack and above: never a target */
#define TASK_SIZE 0x7ffffffff000L
#define LOG_FD 250                  /* -v output; not a fuzzed descriptor */
#define REC_FD 251                  /* outcome records to the parent */

static char *stage_at;

static void *stage(long n)
{
	char *p = stage_at;
	n = (n + 15) & ~15L;
	if (p + n > (char *)STAGE + STAGE_SIZE)
		p = (char *)STAGE;
	stage_at = p + n;
	return p;
}

/* Whether [a, a+len) could hit the fuzzer itself: then a memory call skips it. */
static int hits_self(unsigned long a, unsigned long len)
{
	unsigned long end = a + len;
	if (len == 0)
		len = 1, end = a + 1;
	if (end < a || end > TASK_SIZE)
		return 0; /* invalid: the kernel must refuse it, and the point is to see it do so */
	return (a < OWN_HIGH && end > OWN_LOW) || (a < STAGE + STAGE_SIZE && end > STAGE) || end > TOP_GUARD;
}

/* ------------------------------------------------------------ interesting values */

static const long ints[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 511, 512, 1023, 1024,
	4095, 4096, 4097, 8191, 8192, 65535, 65536, 65537, 0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000L, 0xffffffffL, 0x100000000L, 0x7fffffffffffffffL,
	(long)0x8000000000000000UL, -1, -2, -4095, -4096, -65536, -0x80000000L,
	0x3b6067aae890269dL, 0x0000800000000000L, 0x00007ffffffff000L,
};

static const long kaddrs[] = {
	0, 1, 8, 0xfff, 0x1000, 0x10000,
	(long)0xffffffff81000000UL, (long)0xffff888000000000UL, (long)0xffffffffa0000000UL,
	(long)0xfffffffffffff000UL, -1, 0x0000800000000000L, (long)0x8000000000000000UL,
	0x0000888000000000L, TASK_SIZE, TASK_SIZE - 8, TASK_SIZE - 1,
};

static long any_int(void)
{
	switch (below(4)) {
	case 0: return (long)rnd();
	case 1: return (long)below(64);
	default: return PICK(ints);
	}
}

/* A pointer the kernel reads from or writes to: mostly usable, often not. */
static long ptr(long len)
{
	long a = ARENA;
	unsigned char *p;
	uint64_t fill;
	int i;
	switch (below(16)) {
	case 0: case 1: case 2: case 3: case 4:
		p = stage(len > 0 && len < 65536 ? len : 256);
		fill = rnd();
		for (i = 0; i < 256 && i < len; i++)   /* the same bytes on a replay */
			p[i] = (unsigned char)(fill >> (i % 8 * 8));
		return (long)p;
	case 5: return a + (long)below(48) * PAGE + (long)below(PAGE);
	case 6: return a + 48 * PAGE - 8 + (long)below(8);        /* straddles RW | R */
	case 7: return a + 56 * PAGE - 8 + (long)below(8);        /* straddles R | none */
	case 8: return a + 48 * PAGE + (long)below(8 * PAGE);     /* read-only */
	case 9: return a + 56 * PAGE + (long)below(4 * PAGE);     /* PROT_NONE */
	case 10: return a + 60 * PAGE + (long)below(4 * PAGE);    /* unmapped */
	case 11: return a + ARENA_PAGES * PAGE - (long)below(16); /* end of the arena */
	case 12: return OWN_LOW + 0x1000;                         /* our text: readable, not writable */
	case 13: return (long)rnd();
	default: return PICK(kaddrs);
	}
}

static long len(void)
{
	static const long lens[] = {0, 1, 2, 7, 8, 16, 64, 100, 255, 256, 4095, 4096, 4097, 8192, 65536,
				    1 << 20, 0x7fffffff, 0x80000000L, 0xffffffffL, 0x100000000L, -1, -4096,
				    0x7fffffffffffffffL, (long)0x8000000000000000UL, 0x3b6067aae890269dL};
	switch (below(4)) {
	case 0: return (long)below(512);
	case 1: return (long)below(8) * PAGE;
	default: return PICK(lens);
	}
}

static long pick_flags(const long *known, int n)
{
	long f = 0;
	int k = (int)below(4), i;
	for (i = 0; i < k; i++)
		f |= known[below(n)];
	if (chance(8))
		f |= 1L << below(64);
	if (chance(3))
		f = (long)rnd();
	return f;
}
#define FLAGS(a) pick_flags(a, (int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------------ resources */

static int uid_self, pid_self, fd_count;
static const char *modules[4];
static int nmodules;
static int fds[32];
static int modfds[2], nmodfds;   /* the sample modules a child may load (root only) and unload */
static int epfd;   /* the pool's epoll instance: epoll_ctl and epoll_pwait name it more often than chance would */
static char scratch[64];

static long fd(void)
{
	static const long bad[] = {-1, -100, 256, 1023, 1024, 0x7fffffff, (long)0x80000000L, 0x100000000L,
				   (long)0xffffffff00000003L, 65536};
	long f;
	switch (below(10)) {
	case 0: return PICK(bad);
	case 1: return 0x100000000L | fds[below(fd_count)];       /* high bits: Linux takes the int */
	case 2: case 3: f = 3 + (long)below(28); break;            /* what fuzzed calls opened */
	default: return fds[below(fd_count)];
	}
	return f == LOG_FD || f == REC_FD ? fds[0] : f;
}

static long dirfd_arg(void)
{
	return chance(50) ? -100 /* AT_FDCWD */ : fd();
}

static char *string_at(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = stage((long)n);
	memcpy(p, s, n);
	return p;
}

/* A path the call may only look at. */
static long path(void)
{
	static const char *const ro[] = {
		"/", "/bin/sh", "/bin", "/etc/passwd", "/root/secret", "/root", "/proc/self/status",
		"/proc/meminfo", "/proc/1/status", "/proc/self/maps", "/dev/null", "/dev/zero", "/tmp", ".",
		"..", "", "/nonexistent", "a", "/bin/sh/x", "////", "/./././bin/../etc", "/sys/module",
		"/proc", "/dev", "/sbin/init", "/etc/../etc/./passwd",
	};
	char *p;
	int i, n;
	switch (below(12)) {
	case 0: { /* longer than PATH_MAX, or a name longer than NAME_MAX */
		n = chance(50) ? 4096 + (int)below(200) : 256 + (int)below(8);
		p = stage(n + 2);
		p[0] = '/';
		for (i = 1; i < n; i++)
			p[i] = chance(50) && n > 1000 && i % 100 == 0 ? '/' : 'x';
		p[n] = 0;
		return (long)p;
	}
	case 1: /* runs into the PROT_NONE page: no NUL before it */
		return ARENA + 56 * PAGE - 1 - (long)below(32);
	case 2:
		return PICK(kaddrs);
	default:
		break;
	}
	if (chance(40)) {
		static char buf[96];
		snprintf(buf, sizeof buf, "%s/%s", scratch, (const char *[]){"a", "b", "d", "d/e", "a/", "x/y", "."}[below(7)]);
		return (long)string_at(buf);
	}
	if (nmodules && chance(10)) {
		static char buf[96];
		const char *m = modules[below(nmodules)];
		snprintf(buf, sizeof buf, chance(50) ? "/dev/%s" : "/sys/module/%s/parameters/size", m);
		return (long)string_at(buf);
	}
	return (long)string_at(PICK(ro));
}

/* A path the call may create, change or remove: under the child's scratch directory
 * for root; anything for the unprivileged user (who is refused what is not theirs). */
static long wpath(void)
{
	static char buf[128];
	static const char *const names[] = {"a", "b", "c", "d", "d/e", "d/e/f", "a/", "d/", "x/y", "", ".",
					    "d/..", "long_name_0123456789abcdef"};
	if (uid_self != 0 && chance(40))
		return path();
	switch (below(10)) {
	case 0: return PICK(kaddrs);
	case 1: return ARENA + 56 * PAGE - 1 - (long)below(32);
	default:
		snprintf(buf, sizeof buf, "%s/%s", scratch, PICK(names));
		return (long)string_at(buf);
	}
}

static long mode(void)
{
	static const long modes[] = {0, 0644, 0755, 0777, 01777, 04755, 07777, 0100644, 0xffffffffL, -1};
	return chance(70) ? PICK(modes) : (long)rnd();
}

/* A pid the call may act on: this child, its own group, or nobody. */
static long pid_arg(void)
{
	static const long nobody[] = {99999, 32768, 0x7fffffff, -0x7fffffff, (long)-0x80000000L, 0x100000000L};
	switch (below(12)) {
	case 0: return 0;
	case 1: return pid_self;
	case 2: return -pid_self;
	case 3: return 0x100000000L | pid_self;
	default: return PICK(nobody);
	}
}

static long sig_arg(void)
{
	static const long sigs[] = {0, 1, 2, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 26, 27, 28, 31, 32, 33,
				    34, 63, 64, 65, -1, 128, 0x10000000aL};
	return chance(80) ? PICK(sigs) : (long)below(70);
}

static long uid_arg(void)
{
	static const long ids[] = {0, 1, 1000, 65534, 0xffffffffL, -1, 0x7fffffff, 0x100000000L};
	return PICK(ids);
}

/* Memory-call addresses: the arena, what mmap hands out, and everything invalid. */
static long maddr(void)
{
	switch (below(8)) {
	case 0: case 1: case 2: return ARENA + (long)below(ARENA_PAGES + 8) * PAGE;
	case 3: return ARENA + (long)below(ARENA_PAGES * PAGE);
	case 4: return 0x7fffe0000000L - (long)below(64) * PAGE;    /* where mmap puts things */
	case 5: return ARENA + (long)below(1 << 16) * PAGE;
	default: return PICK(kaddrs);
	}
}

static long mlen(void)
{
	static const long big[] = {0, -1, -4096, 1L << 47, TASK_SIZE, 0x3b6067aae890269dL,
				   (long)0x8000000000000000UL, 0x7ffffffff000L - ARENA, 1L << 30};
	switch (below(6)) {
	case 0: return PICK(big);
	case 1: return (long)below(ARENA_PAGES * PAGE);
	default: return ((long)below(16) + 1) * PAGE;
	}
}

static long timespec_arg(void)
{
	static const long secs[] = {0, 0, 0, 1, -1, 0x7fffffffffffffffL, 100};
	static const long nsecs[] = {0, 1, 1000, 1000000, 10000000, 999999999, 1000000000, -1};
	long *t;
	if (chance(15))
		return chance(50) ? 0 : ptr(16);
	t = stage(16);
	t[0] = PICK(secs);
	t[1] = PICK(nsecs);
	return (long)t;
}

/* struct itimerval (usec) or itimerspec (nsec): {interval, value}. */
static long timerval_arg(int nsec)
{
	static const long secs[] = {0, 0, 0, 1, -1, 0x7fffffffffffffffL, 3600};
	static const long subs[] = {0, 1, 1000, 10000, 999999, 1000000, 999999999, 1000000000, -1};
	long *t, i;
	if (chance(15))
		return chance(50) ? 0 : ptr(32);
	t = stage(32);
	for (i = 0; i < 2; i++) {
		t[2 * i] = PICK(secs);
		t[2 * i + 1] = PICK(subs);
		if (!nsec && t[2 * i + 1] > 999999 && chance(70))
			t[2 * i + 1] %= 1000000;
	}
	return (long)t;
}

static long sigset_arg(void)
{
	long *s;
	if (chance(20))
		return chance(50) ? 0 : ptr(8);
	s = stage(8);
	*s = chance(50) ? (long)rnd() : 1L << below(64);
	return (long)s;
}

static long sigsetsize(void)
{
	static const long sizes[] = {8, 8, 8, 8, 0, 4, 16, -1, 128};
	return PICK(sizes);
}

static void nop_handler(int sig)
{
	(void)sig;
}

void nop_restorer(void);
__asm__(".text\n nop_restorer:\n\tmov $15, %eax\n\tsyscall\n\thlt\n");

static long sigaction_arg(void)
{
	static const long flags[] = {0x04000000 /* RESTORER */, 0x10000000 /* RESTART */, 0x40000000, 0x80000000L,
				     4 /* SIGINFO */, 0x08000000 /* ONSTACK */, 1, 2};
	long *a;
	if (chance(15))
		return chance(50) ? 0 : ptr(32);
	a = stage(32);
	switch (below(4)) {
	case 0: a[0] = 0; break;
	case 1: a[0] = 1; break;
	case 2: a[0] = (long)nop_handler; break;
	default: a[0] = PICK(kaddrs); break;
	}
	a[1] = FLAGS(flags) | (chance(80) ? 0x04000000 : 0);
	a[2] = chance(85) ? (long)nop_restorer : PICK(kaddrs);
	a[3] = (long)rnd();
	return (long)a;
}

/* An array of iovecs; iov_count holds how many were built. */
static long iov_count;

static long iovec_arg(void)
{
	long *v, i, n;
	if (chance(10))
		return ptr(16);
	n = chance(80) ? (long)below(5) + 1 : (long)below(40);
	v = stage(16 * (n ? n : 1));
	for (i = 0; i < n; i++) {
		long l = chance(70) ? (long)below(300) : len();
		v[2 * i] = ptr(l);
		v[2 * i + 1] = l;
	}
	if (chance(15) && n > 0)   /* the array itself ends in an unmapped page */
		v = (long *)(ARENA + 60 * PAGE - 16 * (n > 2 ? 2 : n));
	iov_count = n;
	return (long)v;
}

static long iovcnt(void)
{
	static const long odd[] = {0, 1024, 1025, -1, 0x7fffffff, 0x100000001L, 2048};
	return chance(80) ? iov_count : PICK(odd);
}

static long pollfd_arg(void)
{
	int *p;
	long i, n = (long)below(6);
	if (chance(10))
		return ptr(8);
	p = stage(8 * (n ? n : 1));
	for (i = 0; i < n; i++) {
		p[2 * i] = chance(85) ? (int)fd() : -1;
		p[2 * i + 1] = (int)(chance(80) ? 0x1 | 0x4 : rnd());
	}
	iov_count = n;
	return (long)p;
}

/* A struct msghdr (56 bytes): no name or a pointer, iovecs as readv's, control data now and then. */
static long msghdr_arg(void)
{
	long *m;
	if (chance(10))
		return ptr(56);
	m = stage(56);
	memset(m, 0, 56);
	if (chance(10)) {
		m[0] = ptr(16);
		((int *)m)[2] = (int)(chance(80) ? 16 : any_int());
	}
	m[2] = iovec_arg();
	m[3] = chance(85) ? iov_count : iovcnt();
	if (chance(10)) {
		m[4] = ptr(32);
		m[5] = chance(70) ? 32 : len();
	}
	return (long)m;
}

/* A struct epoll_event (12 bytes, packed): EPOLLIN|EPOLLOUT mostly, EPOLLET and stranger bits now and then. */
static long epoll_event_arg(void)
{
	int *e;
	if (chance(10))
		return chance(50) ? 0 : ptr(12);
	e = stage(12);
	e[0] = (int)(chance(70) ? 0x1 | 0x4 : chance(50) ? 0x80000001 : rnd());
	e[1] = (int)rnd();
	e[2] = (int)rnd();
	return (long)e;
}

static long strv_arg(void)
{
	long *v, i, n;
	if (chance(20))
		return chance(50) ? 0 : ptr(8);
	n = (long)below(4);
	v = stage(8 * (n + 1));
	for (i = 0; i < n; i++)
		v[i] = chance(80) ? (long)string_at("arg") : ptr(8);
	v[n] = chance(90) ? 0 : ptr(8);
	return (long)v;
}

static long exec_path(void)
{
	static const char *const progs[] = {"/bin/true", "/etc/passwd", "/bin", "/nonexistent", "/proc/meminfo",
					    "/dev/null", ""};
	static char buf[96];
	if (chance(20)) {
		snprintf(buf, sizeof buf, "%s/elf", scratch); /* a file of ELF-looking bytes */
		return (long)string_at(buf);
	}
	return chance(85) ? (long)string_at(PICK(progs)) : PICK(kaddrs);
}

static long sigevent_arg(void)
{
	long *e;
	if (chance(20))
		return chance(50) ? 0 : ptr(64);
	e = stage(64);
	memset(e, 0, 64);
	e[0] = (long)rnd();
	((int *)e)[2] = (int)sig_arg();
	((int *)e)[3] = (int)(chance(80) ? (long)below(5) : (long)rnd());
	((int *)e)[4] = chance(50) ? pid_self : (int)rnd();
	/* SIGSTOP never (no job control to continue the child); SIGKILL now and then: the
	 * timer may fire while a server serves the child's call */
	if ((((int *)e)[2] == 9 && chance(60)) || ((int *)e)[2] == 19)
		((int *)e)[2] = 10;
	return (long)e;
}

/* ------------------------------------------------------------ the system calls */

enum arg {
	X, FD, DIRFD, PATH, WPATH, EPATH, BUF, OUT, LEN, INT, SMALL, MODE, PID, SIG, UID, MADDR, MLEN,
	PROT, MAPF, IOV, IOVCNT, TS, ITV, ITS, SIGSET, SSZ, SIGACT, CLOCK, STRV, WHENCE, IOCTL, FCNTL,
	POLLFD, NFDS, SEV, TIMERID, WHICH, ADVICE, OPENF, ATF, MSF, MREMAPF, WAITF, CLONEF, ARCH, STR,
	RND, MSEC, AFLAGS, FSTYPE, MODFD, MODNAME, MODPARAM, MODFLAGS, DELFLAGS, SDOM, STYPE, MSG, MSGF,
	EPEV, EPF, EFDF, IDTYPE, EPFD, EPOP,
};

/* RISK: may not come back (blocks, kills, execs, exits): its record is sent first. */
#define RISK 1
/* SELF: a memory call that must not hit the fuzzer (see hits_self). */
#define SELF 2
/* BLOCK: may wait; a 50 ms ITIMER_REAL interrupts it (syzkaller's per-call timeout). */
#define BLOCK 4
#define RB (RISK | BLOCK)

struct call {
	const char *name;
	int nr;
	unsigned char weight, flags;   /* weight: in quarters, so the calls that end a child are rare */
	unsigned char arg[6];
};

static const struct call calls[] = {
	{"read", SYS_read, 40, RB, {FD, OUT, LEN}},
	{"write", SYS_write, 40, RB, {FD, BUF, LEN}},
	{"open", SYS_open, 32, 0, {WPATH, OPENF, MODE}},
	{"close", SYS_close, 24, 0, {FD}},
	{"stat", SYS_stat, 16, 0, {PATH, OUT}},
	{"fstat", SYS_fstat, 16, 0, {FD, OUT}},
	{"lstat", SYS_lstat, 12, 0, {PATH, OUT}},
	{"poll", SYS_poll, 16, RB, {POLLFD, NFDS, MSEC}},
	{"lseek", SYS_lseek, 20, 0, {FD, INT, WHENCE}},
	{"mmap", SYS_mmap, 40, SELF, {MADDR, MLEN, PROT, MAPF, FD, INT}},
	{"mprotect", SYS_mprotect, 32, SELF, {MADDR, MLEN, PROT}},
	{"munmap", SYS_munmap, 32, SELF, {MADDR, MLEN}},
	{"brk", SYS_brk, 16, 0, {MADDR}},
	{"rt_sigaction", SYS_rt_sigaction, 20, RISK, {SIG, SIGACT, OUT, SSZ}},
	{"rt_sigprocmask", SYS_rt_sigprocmask, 20, RISK, {INT, SIGSET, OUT, SSZ}},
	{"rt_sigreturn", SYS_rt_sigreturn, 1, RISK, {X}},
	{"ioctl", SYS_ioctl, 20, 0, {FD, IOCTL, BUF}},
	{"pread64", SYS_pread64, 8, RB, {FD, OUT, LEN, INT}},
	{"pwrite64", SYS_pwrite64, 8, RB, {FD, BUF, LEN, INT}},
	{"readv", SYS_readv, 32, RB, {FD, IOV, IOVCNT}},
	{"writev", SYS_writev, 32, RB, {FD, IOV, IOVCNT}},
	{"access", SYS_access, 12, 0, {PATH, INT}},
	{"pipe", SYS_pipe, 12, 0, {OUT}},
	{"sched_yield", SYS_sched_yield, 4, 0, {X}},
	{"mremap", SYS_mremap, 24, SELF, {MADDR, MLEN, MLEN, MREMAPF, MADDR}},
	{"msync", SYS_msync, 16, 0, {MADDR, MLEN, MSF}},
	{"mincore", SYS_mincore, 16, 0, {MADDR, MLEN, OUT}},
	{"madvise", SYS_madvise, 20, SELF, {MADDR, MLEN, ADVICE}},
	{"dup", SYS_dup, 16, 0, {FD}},
	{"dup2", SYS_dup2, 16, 0, {FD, FD}},
	{"pause", SYS_pause, 4, RB, {X}},
	{"nanosleep", SYS_nanosleep, 12, RB, {TS, OUT}},
	{"getitimer", SYS_getitimer, 12, 0, {WHICH, OUT}},
	{"alarm", SYS_alarm, 8, RISK, {SMALL}},
	{"setitimer", SYS_setitimer, 16, RISK, {WHICH, ITV, OUT}},
	{"getpid", SYS_getpid, 4, 0, {X}},
	{"clone", SYS_clone, 8, RISK, {CLONEF, X, X, X, X}},
	{"fork", SYS_fork, 8, RISK, {X}},
	{"vfork", SYS_vfork, 4, RISK, {X}},
	{"execve", SYS_execve, 8, RISK, {EPATH, STRV, STRV}},
	{"exit", SYS_exit, 1, RISK, {SMALL}},
	{"wait4", SYS_wait4, 12, RISK, {PID, OUT, WAITF, OUT}},
	{"kill", SYS_kill, 12, RISK, {PID, SIG}},
	{"uname", SYS_uname, 8, 0, {OUT}},
	{"fcntl", SYS_fcntl, 24, 0, {FD, FCNTL, INT}},
	{"getcwd", SYS_getcwd, 8, 0, {OUT, LEN}},
	{"chdir", SYS_chdir, 12, 0, {PATH}},
	{"rename", SYS_rename, 16, 0, {WPATH, WPATH}},
	{"mkdir", SYS_mkdir, 16, 0, {WPATH, MODE}},
	{"rmdir", SYS_rmdir, 12, 0, {WPATH}},
	{"unlink", SYS_unlink, 12, 0, {WPATH}},
	{"chmod", SYS_chmod, 12, 0, {WPATH, MODE}},
	{"chown", SYS_chown, 8, 0, {WPATH, UID, UID}},
	{"lchown", SYS_lchown, 4, 0, {WPATH, UID, UID}},
	{"umask", SYS_umask, 8, 0, {MODE}},
	{"gettimeofday", SYS_gettimeofday, 8, 0, {OUT, OUT}},
	{"getuid", SYS_getuid, 4, 0, {X}},
	{"syslog", SYS_syslog, 8, 0, {SMALL, OUT, LEN}},
	{"getgid", SYS_getgid, 4, 0, {X}},
	{"setuid", SYS_setuid, 8, 0, {UID}},
	{"setgid", SYS_setgid, 8, 0, {UID}},
	{"geteuid", SYS_geteuid, 4, 0, {X}},
	{"getegid", SYS_getegid, 4, 0, {X}},
	{"setpgid", SYS_setpgid, 8, 0, {PID, PID}},
	{"getppid", SYS_getppid, 4, 0, {X}},
	{"getpgrp", SYS_getpgrp, 4, 0, {X}},
	{"setsid", SYS_setsid, 4, 0, {X}},
	{"setreuid", SYS_setreuid, 4, 0, {UID, UID}},
	{"setregid", SYS_setregid, 4, 0, {UID, UID}},
	{"getgroups", SYS_getgroups, 4, 0, {INT, OUT}},
	{"setgroups", SYS_setgroups, 4, 0, {INT, BUF}},
	{"setresuid", SYS_setresuid, 4, 0, {UID, UID, UID}},
	{"getresuid", SYS_getresuid, 4, 0, {OUT, OUT, OUT}},
	{"setresgid", SYS_setresgid, 4, 0, {UID, UID, UID}},
	{"getresgid", SYS_getresgid, 4, 0, {OUT, OUT, OUT}},
	{"getpgid", SYS_getpgid, 4, 0, {PID}},
	{"getsid", SYS_getsid, 4, 0, {PID}},
	{"rt_sigsuspend", SYS_rt_sigsuspend, 4, RB, {SIGSET, SSZ}},
	{"mlock", SYS_mlock, 8, 0, {MADDR, MLEN}},
	{"munlock", SYS_munlock, 8, 0, {MADDR, MLEN}},
	{"mlockall", SYS_mlockall, 4, 0, {INT}},
	{"munlockall", SYS_munlockall, 4, 0, {X}},
	{"arch_prctl", SYS_arch_prctl, 8, 0, {ARCH, OUT}},
	{"sync", SYS_sync, 4, 0, {X}},
	{"mount", SYS_mount, 8, 0, {PATH, WPATH, FSTYPE, INT, STR}},
	{"umount2", SYS_umount2, 8, 0, {WPATH, INT}},
	{"init_module", SYS_init_module, 4, 0, {BUF, LEN, MODPARAM}},
	{"delete_module", SYS_delete_module, 8, 0, {MODNAME, DELFLAGS}},
	{"finit_module", SYS_finit_module, 8, 0, {MODFD, MODPARAM, MODFLAGS}},
	{"gettid", SYS_gettid, 4, 0, {X}},
	{"tkill", SYS_tkill, 8, RISK, {PID, SIG}},
	{"time", SYS_time, 4, 0, {OUT}},
	{"getdents64", SYS_getdents64, 20, 0, {FD, OUT, LEN}},
	{"set_tid_address", SYS_set_tid_address, 4, 0, {OUT}},
	{"timer_create", SYS_timer_create, 16, 0, {CLOCK, SEV, OUT}},
	{"timer_settime", SYS_timer_settime, 16, RISK, {TIMERID, INT, ITS, OUT}},
	{"timer_gettime", SYS_timer_gettime, 12, 0, {TIMERID, OUT}},
	{"timer_getoverrun", SYS_timer_getoverrun, 8, 0, {TIMERID}},
	{"timer_delete", SYS_timer_delete, 12, 0, {TIMERID}},
	{"clock_gettime", SYS_clock_gettime, 12, 0, {CLOCK, OUT}},
	{"clock_nanosleep", SYS_clock_nanosleep, 8, RB, {CLOCK, INT, TS, OUT}},
	{"exit_group", SYS_exit_group, 1, RISK, {SMALL}},
	{"tgkill", SYS_tgkill, 8, RISK, {PID, PID, SIG}},
	{"openat", SYS_openat, 24, 0, {DIRFD, WPATH, OPENF, MODE}},
	{"mkdirat", SYS_mkdirat, 8, 0, {DIRFD, WPATH, MODE}},
	{"newfstatat", SYS_newfstatat, 12, 0, {DIRFD, PATH, OUT, ATF}},
	{"unlinkat", SYS_unlinkat, 8, 0, {DIRFD, WPATH, ATF}},
	{"renameat", SYS_renameat, 8, 0, {DIRFD, WPATH, DIRFD, WPATH}},
	{"renameat2", SYS_renameat2, 8, 0, {DIRFD, WPATH, DIRFD, WPATH, INT}},
	{"fchmodat", SYS_fchmodat, 8, 0, {DIRFD, WPATH, MODE}},
	{"fchownat", SYS_fchownat, 4, 0, {DIRFD, WPATH, UID, UID, ATF}},
	{"faccessat", SYS_faccessat, 8, 0, {DIRFD, PATH, INT}},
	{"ppoll", SYS_ppoll, 8, RB, {POLLFD, NFDS, TS, SIGSET, SSZ}},
	{"utimensat", SYS_utimensat, 8, 0, {DIRFD, WPATH, BUF, ATF}},
	{"dup3", SYS_dup3, 12, 0, {FD, FD, OPENF}},
	{"pipe2", SYS_pipe2, 12, 0, {OUT, OPENF}},
	{"getrandom", SYS_getrandom, 12, 0, {OUT, LEN, INT}},
	{"mlock2", SYS_mlock2, 4, 0, {MADDR, MLEN, INT}},
	{"preadv", SYS_preadv, 8, RB, {FD, IOV, IOVCNT, INT}},
	{"pwritev", SYS_pwritev, 8, RB, {FD, IOV, IOVCNT, INT}},
	{"select", SYS_select, 4, RB, {INT, BUF, BUF, BUF, TS}},
	{"ftruncate", SYS_ftruncate, 8, 0, {FD, INT}},
	{"getrlimit", SYS_getrlimit, 4, 0, {SMALL, OUT}},
	{"readlink", SYS_readlink, 4, 0, {PATH, OUT, LEN}},
	{"prlimit64", SYS_prlimit64, 4, 0, {PID, SMALL, BUF, OUT}},
	{"sigaltstack", SYS_sigaltstack, 4, 0, {BUF, OUT}},
	{"futex", SYS_futex, 4, RB, {BUF, SMALL, INT, TS, BUF, INT}},
	{"statx", SYS_statx, 4, 0, {DIRFD, PATH, ATF, INT, OUT}},
	/* sockets, epoll, eventfd and friends: the pool holds a socket pair, an epoll and an eventfd */
	{"socketpair", SYS_socketpair, 4, 0, {SDOM, STYPE, SMALL, OUT}},
	{"socket", SYS_socket, 4, 0, {SDOM, STYPE, SMALL}},
	{"sendmsg", SYS_sendmsg, 8, RB, {FD, MSG, MSGF}},
	{"recvmsg", SYS_recvmsg, 8, RB, {FD, MSG, MSGF}},
	{"sendto", SYS_sendto, 8, RB, {FD, BUF, LEN, MSGF, BUF, INT}},
	{"recvfrom", SYS_recvfrom, 8, RB, {FD, OUT, LEN, MSGF, OUT, OUT}},
	{"shutdown", SYS_shutdown, 4, 0, {FD, SMALL}},
	{"getsockopt", SYS_getsockopt, 4, 0, {FD, SMALL, SMALL, OUT, OUT}},
	{"epoll_create1", SYS_epoll_create1, 4, 0, {EPF}},
	{"epoll_ctl", SYS_epoll_ctl, 12, 0, {EPFD, EPOP, FD, EPEV}},
	{"epoll_pwait", SYS_epoll_pwait, 8, RB, {EPFD, OUT, SMALL, MSEC, SIGSET, SSZ}},
	{"eventfd2", SYS_eventfd2, 4, 0, {INT, EFDF}},
	{"timerfd_create", SYS_timerfd_create, 4, 0, {SMALL, EFDF}},
	{"timerfd_settime", SYS_timerfd_settime, 8, 0, {FD, SMALL, BUF, OUT}},
	{"timerfd_gettime", SYS_timerfd_gettime, 4, 0, {FD, OUT}},
	{"signalfd4", SYS_signalfd4, 4, 0, {FD, SIGSET, SSZ, EFDF}},
	{"clock_getres", SYS_clock_getres, 4, 0, {SMALL, OUT}},
	{"waitid", SYS_waitid, 4, RB, {IDTYPE, PID, OUT, WAITF, OUT}},
	{"flock", SYS_flock, 4, RB, {FD, SMALL}},
	{"sendfile", SYS_sendfile, 8, RB, {FD, FD, OUT, LEN}},
	{"pselect6", SYS_pselect6, 4, RB, {INT, BUF, BUF, BUF, TS, BUF}},
	/* microlith's IPC calls: only servers may make them (anyone else gets ENOSYS) */
	{"ipc_reply_recv", 512, 2, 0, {INT, INT}},
	{"ipc_call", 513, 2, 0, {INT, INT}},
	{"(random)", -1, 12, RB, {RND, RND, RND, RND, RND, RND}},
};

#define NCALLS ((int)(sizeof(calls) / sizeof(calls[0])))
#define MAXNR 1024

static long gen(int type, const struct call *c)
{
	static const long openf[] = {O_RDONLY, O_WRONLY, O_RDWR, 3, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK,
				     O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_PATH, O_TMPFILE, O_NOCTTY, O_SYNC};
	static const long protf[] = {0, 1, 2, 4, 8, 0x01000000, 0x02000000};
	static const long mapf[] = {MAP_PRIVATE | MAP_ANONYMOUS, MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS,
				    MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_SHARED_VALIDATE, MAP_GROWSDOWN, MAP_POPULATE,
				    MAP_NORESERVE, MAP_32BIT, MAP_PRIVATE};
	static const long atf[] = {0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000};
	static const long waitf[] = {1 /* WNOHANG */, 1, 1, 2, 4, 8, 0x01000000, 0x20000000, 0x40000000};
	static const long ioctls[] = {0x5401, 0x5402, 0x5403, 0x5404, 0x5413, 0x5414, 0x540f, 0x5410, 0x540e, 0x541b,
				      0x5421, 0x80086601, 0x4004667f, (long)0xc0185260,
				      (long)0x80047201, 0x7202, 0x40047201, 0x7201, (long)0xc0047202};   /* ringbuf's, and near */
	static const long fcntls[] = {0, 1, 2, 3, 4, 5, 6, 7, 1030, 1024, 1025, 1026, 1031, 1032, 1033, 1034, 9, 10};
	static const long clocks[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -6, -14, 0x7fffffff};
	static const long fstypes_pick[] = {0, 1, 2, 3};
	long *p;
	switch (type) {
	case X: return (long)rnd();
	case FD: return fd();
	case DIRFD: return dirfd_arg();
	case PATH: return path();
	case WPATH: return wpath();
	case EPATH: return exec_path();
	case BUF: case OUT: return ptr(256);
	case LEN: return len();
	case INT: return any_int();
	case SMALL: return chance(80) ? (long)below(16) : any_int();
	case MODE: return mode();
	case PID: return pid_arg();
	case SIG: return sig_arg();
	case UID: return uid_arg();
	case MADDR: return maddr();
	case MLEN: return mlen();
	case PROT: return FLAGS(protf);
	case MAPF: return FLAGS(mapf) | (chance(80) ? MAP_PRIVATE | MAP_ANONYMOUS : 0);
	case IOV: return iovec_arg();
	case IOVCNT: return iovcnt();
	case TS: return timespec_arg();
	case ITV: return timerval_arg(0);
	case ITS: return timerval_arg(1);
	case SIGSET: return sigset_arg();
	case SSZ: return sigsetsize();
	case SIGACT: return sigaction_arg();
	case CLOCK: return PICK(clocks);
	case STRV: return strv_arg();
	case WHENCE: return chance(90) ? (long)below(5) : any_int();
	case IOCTL: return chance(85) ? PICK(ioctls) : any_int();
	case FCNTL: return chance(90) ? PICK(fcntls) : any_int();
	case POLLFD: return pollfd_arg();
	case NFDS: return iovcnt();
	case SEV: return sigevent_arg();
	case TIMERID: return chance(80) ? (long)below(4) : any_int();
	case WHICH: return chance(85) ? (long)below(4) : any_int();
	case ADVICE: return chance(85) ? (long)below(27) : any_int();
	case OPENF: return FLAGS(openf);
	case ATF: return chance(50) ? 0 : FLAGS(atf);
	case MSF: return chance(80) ? (long)below(8) : any_int();
	case MREMAPF: return chance(85) ? (long)below(8) : any_int();
	case WAITF: return FLAGS(waitf) | 1;
	case CLONEF: return chance(50) ? SIGCHLD : (long)(rnd() & ~0xffUL) | SIGCHLD;
	case ARCH: return chance(85) ? 0x1001 + (long)below(4) : any_int();
	case MODFD: return nmodfds && chance(70) ? modfds[below(nmodfds)] : fd();
	case MODNAME:
		if (chance(10))
			return ptr(8);   /* never the module under test: a child could unload it */
		return (long)string_at((const char *[]){"hello", "hello_user", "mlfs", "nosuch", ""}[below(5)]);
	case DELFLAGS: return chance(70) ? O_NONBLOCK : chance(50) ? 0 : any_int();
	case MODFLAGS: return chance(75) ? 0 : chance(50) ? (long)below(8) : any_int();
	case MODPARAM:
		if (chance(10))
			return ptr(8);
		return (long)string_at((const char *[]){"", "whom=fuzz", "times=3", "times=11", "ticks=3",
							"ticks=100000", "whom=a times=0 ticks=1", "x=1 y", "times=-1",
							"whom=\"quoted words\""}[below(10)]);
	case STR:
		if (chance(20))
			return ptr(8);
		p = stage(64);
		snprintf((char *)p, 64, "%s", chance(50) ? "hello" : "x=1 y");
		return (long)p;
	case FSTYPE:
		return (long)string_at((const char *[]){"mlfs", "proc", "ramfs", "tmpfs"}[PICK(fstypes_pick)]);
	case MSEC: return chance(70) ? (long)below(3) : any_int();
	case SDOM: return chance(85) ? AF_UNIX : chance(50) ? (long)below(45) : any_int();
	case STYPE: return chance(85) ? (long)(1 + below(2)) | (chance(30) ? SOCK_NONBLOCK : 0) | (chance(30) ? SOCK_CLOEXEC : 0)
				      : any_int();
	case MSG: return msghdr_arg();
	case MSGF: return chance(60) ? MSG_DONTWAIT : chance(50) ? FLAGS(((const long[]){MSG_PEEK, MSG_TRUNC, MSG_WAITALL,
									MSG_NOSIGNAL, MSG_DONTWAIT, MSG_OOB}))
						 : any_int();
	case EPEV: return epoll_event_arg();
	case EPF: return chance(80) ? (chance(50) ? 0 : O_CLOEXEC) : any_int();
	case EFDF: return chance(80) ? FLAGS(((const long[]){0, 1 /* EFD_SEMAPHORE */, O_NONBLOCK, O_CLOEXEC})) : any_int();
	case IDTYPE: return chance(85) ? (long)below(4) : any_int();
	case EPFD: return chance(70) ? epfd : fd();
	case EPOP: return chance(85) ? 1 + (long)below(3) : any_int();   /* EPOLL_CTL_ADD, DEL, MOD */
	case RND: return (long)rnd();
	default: return 0;
	}
	(void)c;
}

/* ------------------------------------------------------------ outcome records */

/* One record per call: the syscall's table index and its outcome (0 success, an errno,
 * or PENDING when sent before a call that may not come back). */
#define PENDING 0x7fff
struct rec {
	uint16_t call;
	int16_t outcome;
};

static struct rec recbuf[64];
static int nrec;

static void flush_recs(void)
{
	if (nrec)
		raw3(SYS_write, REC_FD, (long)recbuf, nrec * (long)sizeof(struct rec));
	nrec = 0;
}

static void record(int call, long result)
{
	recbuf[nrec].call = (uint16_t)call;
	recbuf[nrec].outcome = (int16_t)(result == PENDING ? PENDING : result < 0 && result > -4096 ? -result : 0);
	if (++nrec == 64)
		flush_recs();
}

/* ------------------------------------------------------------ -v output without libc */

static void out_str(const char *s)
{
	raw3(SYS_write, LOG_FD, (long)s, (long)strlen(s));
}

static void out_hex(long v)
{
	char b[24];
	int i = 23;
	unsigned long u = (unsigned long)v;
	b[i] = 0;
	do {
		b[--i] = "0123456789abcdef"[u & 15];
		u >>= 4;
	} while (u);
	b[--i] = 'x';
	b[--i] = '0';
	out_str(b + i);
}

static void out_dec(long v)
{
	char b[24];
	int i = 23, neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
	b[i] = 0;
	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		b[--i] = '-';
	out_str(b + i);
}

/* A path or string argument built in the staging area is shown as text (its first 80
 * bytes, the rest marked), so a reduced finding reads as what it did; anything else in hex. */
static void out_arg(int type, long v)
{
	char b[90];
	const char *p = (const char *)v;
	int i;
	if ((type != PATH && type != WPATH && type != EPATH && type != STR && type != FSTYPE)
	    || v < STAGE || v >= STAGE + STAGE_SIZE) {
		out_hex(v);
		return;
	}
	for (i = 0; i < 80 && p[i]; i++)
		b[i] = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' ? p[i] : '?';
	b[i] = 0;
	out_str("\"");
	out_str(b);
	out_str(p[i] ? "\"..." : "\"");
}

/* ------------------------------------------------------------ a child */

static int verbose;
static const char *keep;       /* -m: the call indices to issue (others are generated, not issued) */

/* Whether -m keeps call i: the list is "a,b-c,..." (the harness's reductions). */
static int kept(long i)
{
	const char *p = keep;
	if (!p)
		return 1;
	while (*p) {
		long lo = strtol(p, (char **)&p, 10), hi = lo;
		if (*p == '-')
			hi = strtol(p + 1, (char **)&p, 10);
		if (i >= lo && i <= hi)
			return 1;
		if (*p != ',')
			break;
		p++;
	}
	return 0;
}

static int pick_call(void)
{
	static int total;
	int i, w;
	if (!total)
		for (i = 0; i < NCALLS; i++)
			total += calls[i].weight;
	w = (int)below((uint64_t)total);
	for (i = 0; i < NCALLS; i++) {
		w -= calls[i].weight;
		if (w < 0)
			return i;
	}
	return 0;
}

/* A syscall number no entry of the table issues with typed arguments. */
static long random_nr(void)
{
	static const long odd[] = {-1, 335, 400, 447, 514, 547, 1000, 0x40000000L, 0x100000027L, 0x7fffffffffffffffL};
	long nr;
	int i, again;
	if (chance(20))
		return PICK(odd);
	do {
		nr = (long)below(460);
		again = 0;
		for (i = 0; i < NCALLS; i++)
			if (calls[i].nr == nr)
				again = 1;
	} while (again);
	return nr;
}

static void setup_arena(void)
{
	char *a = (char *)ARENA;
	long i;
	mmap(a, ARENA_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	for (i = 0; i < 56 * PAGE; i++)
		a[i] = (char)('A' + i % 26);   /* no NUL: strings run to the end */
	mprotect(a + 48 * PAGE, 8 * PAGE, PROT_READ);
	mprotect(a + 56 * PAGE, 4 * PAGE, PROT_NONE);
	munmap(a + 60 * PAGE, 4 * PAGE);
	mmap((void *)STAGE, STAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	stage_at = (char *)STAGE;
}

/* A file that looks like an x86-64 ELF executable, with odd program headers, for execve. */
static void write_elf(const char *name)
{
	static const uint32_t types[] = {1, 1, 1, 3, 6, 0x6474e551, 0, 7};
	static const long offs[] = {0, 64, 0x1000, 0x7fffffffffffffffL, -1, 0x100};
	static const long vaddrs[] = {0x400000, 0x401000, 0, (long)0xffffffff81000000UL, 0x7ffffffff000L, 0x7fffffffe000L,
				      0x0000800000000000L, 0x555555554000L, -4096};
	static const long sizes[] = {0, 1, 100, 512, 0x1000, 1L << 40, -1, 0x7fffffffffffffffL};
	unsigned char body[512];
	long *ph;
	int i, n = (int)below(4), f;
	for (i = 0; i < (int)sizeof body; i++)
		body[i] = (unsigned char)rnd();
	memcpy(body, "\177ELF\2\1\1", 7);
	memset(body + 7, 0, 9);
	body[16] = chance(80) ? 2 : 3;                       /* ET_EXEC or ET_DYN */
	body[17] = 0;
	body[18] = 62;                                        /* EM_X86_64 */
	body[19] = 0;
	*(long *)(body + 24) = PICK(vaddrs) + (long)below(64);   /* e_entry */
	*(long *)(body + 32) = chance(85) ? 64 : PICK(offs);     /* e_phoff */
	body[54] = chance(90) ? 56 : (unsigned char)rnd();    /* e_phentsize */
	body[55] = 0;
	body[56] = (unsigned char)n;                          /* e_phnum */
	body[57] = 0;
	for (i = 0; i < n && 64 + 56 * (i + 1) <= (int)sizeof body; i++) {
		ph = (long *)(body + 64 + 56 * i);
		((uint32_t *)ph)[0] = chance(90) ? PICK(types) : (uint32_t)rnd();
		((uint32_t *)ph)[1] = (uint32_t)below(8);           /* p_flags */
		ph[1] = PICK(offs);                                   /* p_offset */
		ph[2] = PICK(vaddrs);                                 /* p_vaddr */
		ph[3] = ph[2];
		ph[4] = PICK(sizes);                                  /* p_filesz */
		ph[5] = chance(50) ? ph[4] : PICK(sizes);             /* p_memsz */
		ph[6] = chance(80) ? 0x1000 : (long)rnd();            /* p_align */
	}
	f = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (f >= 0) {
		write(f, body, sizeof body);
		close(f);
	}
}

static void setup_files(void)
{
	char name[96];
	int p[2], i;
	snprintf(name, sizeof name, "%s/elf", scratch);
	write_elf(name);
	snprintf(name, sizeof name, "%s/a", scratch);
	fds[fd_count++] = open(name, O_RDWR | O_CREAT, 0644);
	fds[fd_count++] = open(scratch, O_RDONLY | O_DIRECTORY);
	fds[fd_count++] = open("/dev/null", O_RDWR);
	fds[fd_count++] = open("/dev/zero", O_RDONLY);
	fds[fd_count++] = open("/proc/meminfo", O_RDONLY);
	fds[fd_count++] = open("/etc/passwd", O_RDONLY);
	fds[fd_count++] = open("/", O_RDONLY);
	fds[fd_count++] = open("/dev/ttyS1", O_RDWR | O_NOCTTY | (chance(50) ? O_NONBLOCK : 0));
	fds[fd_count++] = open("/dev/uart1", O_RDWR | O_NOCTTY);
	if (pipe(p) == 0) {
		fds[fd_count++] = p[0];
		fds[fd_count++] = p[1];
	}
	if (pipe2(p, O_NONBLOCK) == 0) {
		fds[fd_count++] = p[0];
		fds[fd_count++] = p[1];
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | (chance(50) ? SOCK_NONBLOCK : 0), 0, p) == 0) {
		fds[fd_count++] = p[0];
		fds[fd_count++] = p[1];
	}
	epfd = fds[fd_count++] = (int)syscall(SYS_epoll_create1, 0);
	fds[fd_count++] = (int)syscall(SYS_eventfd2, 0, chance(50) ? O_NONBLOCK : 0);
	for (i = 0; i < nmodules && fd_count < 26; i++) {   /* the devices of the modules under test */
		snprintf(name, sizeof name, "/dev/%s", modules[i]);
		fds[fd_count] = open(name, O_RDWR | (i & 1 ? O_NONBLOCK : 0));
		if (fds[fd_count] >= 0)
			fd_count++;
	}
	for (i = 0; i < 2; i++) {
		struct utsname u;
		char ko[200];
		uname(&u);
		snprintf(ko, sizeof ko, "/lib/modules/%s/kernel/%s.ko", u.release, i ? "hello_user" : "hello");
		if ((modfds[nmodfds] = open(ko, O_RDONLY)) >= 0)
			nmodfds++;
	}
	fds[fd_count++] = 0;
	fds[fd_count++] = 1;
	fds[fd_count++] = 2;
	for (i = 0; i < fd_count; i++)
		if (fds[i] < 0)
			fds[i] = 0;
}

/* Issues the child's calls; never returns. */
static void child(long ncalls)
{
	static const long per_call[4] = {0, 0, 0, 50000};
	long a[6], r, i, nr;
	int c, j;
	for (i = 0; i < ncalls; i++) {
		c = pick_call();
		for (j = 0; j < 6; j++)
			a[j] = gen(calls[c].arg[j], &calls[c]);
		if ((calls[c].flags & SELF) && (hits_self((unsigned long)a[0], (unsigned long)a[1])
						 || (calls[c].nr == SYS_mremap && (a[3] & 2)
						     && hits_self((unsigned long)a[4], (unsigned long)a[2]))))
			continue;
		if (calls[c].nr == SYS_mmap && !(a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && chance(50))
			a[0] = 0;
		nr = calls[c].nr >= 0 ? calls[c].nr : random_nr();
		if (!kept(i))
			continue;
		if (verbose) {
			out_str("fuzz: call ");
			out_dec(i);
			out_str(" ");
			out_str(calls[c].name);
			out_str("(");
			if (calls[c].nr < 0) {
				out_dec(nr);
				out_str(", ");
			}
			for (j = 0; j < 6; j++) {
				if (j)
					out_str(", ");
				out_arg(calls[c].arg[j], a[j]);
			}
			out_str(")\n");
		}
		if (calls[c].flags & RISK) {
			record(c, PENDING);
			flush_recs();
		}
		if (calls[c].flags & BLOCK)
			raw3(SYS_setitimer, ITIMER_REAL, (long)per_call, 0);
		r = raw6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r == 0 && (nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone))
			raw_exit(0);   /* the grandchild: gone at once */
		if (r == 0 && uid_self == 0 && (nr == SYS_chdir || nr == SYS_fchdir))
			/* root's relative paths stay in its scratch directory: after chdir("/dev") a
			 * mkdir("a") would leave a directory no sweep knows of (a 64-byte "leak" of the
			 * ramfs server's heap in the first campaign with 24 MiB) */
			raw3(SYS_chdir, (long)scratch, 0, 0);
		if (nr == SYS_brk || nr == SYS_mmap || nr == SYS_mremap || nr == SYS_getpid || nr == SYS_umask)
			r = r < 0 && r > -4096 ? r : 0;
		if (verbose) {
			out_str("fuzz: = ");
			out_dec(r);
			out_str("\n");
		}
		record(c, r);
	}
	flush_recs();
	raw_exit(0);
}

/* ------------------------------------------------------------ the parent */

static const char *const errnames[134] = {
	"OK", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
	"EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
	"EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
	"EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY",
	"ELOOP", "E41", "ENOMSG", "EIDRM", "E44", "E45", "E46", "E47", "E48", "E49", "E50", "E51", "E52",
	"E53", "E54", "E55", "E56", "E57", "E58", "E59", "ENOSTR", "ENODATA", "ETIME", "ENOSR", "E64", "E65",
	"E66", "E67", "E68", "E69", "E70", "EPROTO", "E72", "E73", "EBADMSG", "EOVERFLOW", "E76", "EBADFD",
	"E78", "E79", "E80", "E81", "E82", "E83", "EILSEQ", "E85", "E86", "EUSERS", "ENOTSOCK", "E89", "E90",
	"E91", "E92", "E93", "E94", "EOPNOTSUPP", "E96", "E97", "E98", "E99", "E100", "E101", "E102", "E103",
	"E104", "E105", "E106", "E107", "E108", "E109", "ETIMEDOUT", "E111", "E112", "E113", "E114", "E115",
	"E116", "EUCLEAN", "E118", "E119", "E120", "E121", "EDQUOT", "E123", "E124", "ECANCELED", "E126",
	"E127", "E128", "E129", "E130", "E131", "E132", "E133",
};

#define OUTCOMES 136
#define LOST 134     /* the call never came back: exit, execve, or the child died or was killed in it */
#define OTHER 135    /* an errno beyond the table */

static unsigned long counts[NCALLS][OUTCOMES];
static unsigned long deaths[65], timeouts, total_calls, children_run;

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

static void remove_tree(const char *dir)
{
	DIR *d;
	struct dirent *e;
	char p[600];
	umount2(dir, MNT_DETACH);
	chmod(dir, 0700);
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			if (unlink(p) < 0)
				remove_tree(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* The directories the unprivileged user may write besides its scratch directory (a
 * relative path after chdir reaches them), and what was in them before any child ran:
 * whatever else is there after a child is removed, so each child leaves the file system
 * as it found it and the harness's leak checks see the kernel's leaks only. */
static const char *const writable[] = {"/tmp", "/home/user"};
static char before[2][16][256];

static void remember(void)
{
	DIR *d;
	struct dirent *e;
	int i, n;
	for (i = 0; i < 2; i++) {
		d = opendir(writable[i]);
		for (n = 0; d && n < 16 && (e = readdir(d));)
			snprintf(before[i][n++], sizeof before[i][0], "%s", e->d_name);
		if (d)
			closedir(d);
	}
}

static void sweep(void)
{
	static char found[32][600];
	DIR *d;
	struct dirent *e;
	int i, k, n, old;
	for (i = 0; i < 2; i++) {
		/* the names first, then the removals: the directory changes under a removal */
		d = opendir(writable[i]);
		for (n = 0; d && n < 32 && (e = readdir(d));) {
			for (old = k = 0; k < 16 && !old; k++)
				old = !strcmp(before[i][k], e->d_name);
			if (!old && strcmp(e->d_name, "fz"))
				snprintf(found[n++], sizeof found[0], "%s/%s", writable[i], e->d_name);
		}
		if (d)
			closedir(d);
		for (k = 0; k < n; k++)
			if (unlink(found[k]) < 0)
				remove_tree(found[k]);
	}
}

/* A sample module a child loaded (hello, hello_user) goes with it: unloaded dependent
 * first. One that will not go although nothing of the child is left is reported, and the
 * harness counts it as a leak (a reference nothing holds any more). */
static void unload_samples(void)
{
	static const char *const names[] = {"hello_user", "hello"};
	int i;
	for (i = 0; i < 2; i++)
		if (syscall(SYS_delete_module, names[i], O_NONBLOCK) < 0 && errno != ENOENT) {
			printf("fuzz: module %s unload=%d\n", names[i], -errno);
			fflush(stdout);
		}
}

/* Runs child J; returns how it ended (a wait status) and counts its records. */
static int run_child(uint64_t seed, long j, int as_user, long ncalls, long timeout_ms)
{
	int p[2], status = 0, i;
	long n, k;
	pid_t pid;
	struct rec buf[256];
	int pending = -1;
	char dir[64];

	snprintf(dir, sizeof dir, "/tmp/fz/%ld", j);
	remove_tree(dir);
	mkdir(dir, 0755);
	if (as_user)
		chown(dir, 1000, 1000);
	if (pipe(p) < 0)
		return -1;
	printf("fuzz: child %ld begin uid=%d\n", j, as_user ? 1000 : 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		dup2(verbose ? 1 : nul, LOG_FD);
		dup2(p[1], REC_FD);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		for (i = 3; i < 256; i++)
			if (i != LOG_FD && i != REC_FD)
				close(i);
		setpgid(0, 0);
		snprintf(scratch, sizeof scratch, "%s", dir);
		chdir(dir);
		if (as_user && (setgid(1000) < 0 || setuid(1000) < 0))
			_exit(125);
		uid_self = as_user ? 1000 : 0;
		pid_self = getpid();
		rng = mix(seed ^ mix((uint64_t)j));
		setup_arena();
		setup_files();
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = nop_handler;   /* the per-call timeout interrupts, it does not kill */
		sigaction(SIGALRM, &sa, 0);
		signal(SIGPIPE, SIG_DFL);
		child(ncalls);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	alarmed = 0;
	struct itimerval watchdog = {{0, 0}, {timeout_ms / 1000, timeout_ms % 1000 * 1000}};
	setitimer(ITIMER_REAL, &watchdog, 0);
	for (;;) {
		pid_t w = waitpid(pid, &status, 0);
		if (w == pid)
			break;
		if (alarmed) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			timeouts++;
			alarmed = 0;
		} else if (w < 0 && errno != EINTR) {
			break;
		}
	}
	memset(&watchdog, 0, sizeof watchdog);
	setitimer(ITIMER_REAL, &watchdog, 0);
	kill(-pid, SIGKILL);               /* grandchildren of the child, if any linger */
	while (waitpid(-1, 0, WNOHANG) > 0)
		;
	k = 0;
	while ((n = read(p[0], buf, sizeof buf)) > 0) {
		for (i = 0; i < n / (long)sizeof(struct rec); i++) {
			int c = buf[i].call, o = buf[i].outcome;
			if (c >= NCALLS)
				continue;
			if (o == PENDING) {
				pending = c;
				continue;
			}
			pending = -1;
			counts[c][o >= 0 && o < 134 ? o : OTHER]++;
			k++;
		}
	}
	close(p[0]);
	if (pending >= 0) {
		counts[pending][LOST]++;
		k++;
	}
	total_calls += (unsigned long)k;
	children_run++;
	if (WIFSIGNALED(status))
		deaths[WTERMSIG(status) & 63]++;
	remove_tree(dir);
	sweep();
	unload_samples();
	printf("fuzz: child %ld end pid=%d calls=%ld %s=%d%s%s\n", j, pid, k,
	       WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
	       pending >= 0 ? " in " : "", pending >= 0 ? calls[pending].name : "");
	fflush(stdout);
	return status;
}

static void summary(int table)
{
	unsigned long by[OUTCOMES] = {0};
	int c, o, distinct = 0, reached = 0;
	for (c = 0; c < NCALLS; c++) {
		unsigned long n = 0;
		for (o = 0; o < OUTCOMES; o++) {
			n += counts[c][o];
			by[o] += counts[c][o];
		}
		if (n && calls[c].nr >= 0)
			distinct++;
		if (n > counts[c][38] && calls[c].nr >= 0)
			reached++;   /* something other than ENOSYS: the kernel implements it */
		if (!table || !n)
			continue;
		printf("fuzz: sys %s calls=%lu", calls[c].name, n);
		for (o = 0; o < OUTCOMES; o++)
			if (counts[c][o])
				printf(" %s=%lu", o < 134 ? errnames[o] : o == LOST ? "noreturn" : "other", counts[c][o]);
		printf("\n");
	}
	printf("fuzz: summary children=%lu calls=%lu distinct=%d implemented=%d timeouts=%lu\n", children_run,
	       total_calls, distinct, reached, timeouts);
	printf("fuzz: outcomes");
	for (o = 0; o < OUTCOMES; o++)
		if (by[o])
			printf(" %s=%lu", o < 134 ? errnames[o] : o == LOST ? "noreturn" : "other", by[o]);
	printf("\nfuzz: deaths");
	for (o = 1; o < 65; o++)
		if (deaths[o])
			printf(" %d=%lu", o, deaths[o]);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	long first = 0, nchildren = -1, ncalls = 1000, timeout_ms = 2000, total = 0, j;
	const char *users = "both";
	int opt, table = 1;
	prog = "fuzz";
	while ((opt = getopt(argc, argv, "s:n:c:C:k:t:u:vm:SM:")) != -1) {
		switch (opt) {
		case 'M':
			if (nmodules < 4)
				modules[nmodules++] = optarg;
			break;
		case 'n': total = atol(optarg); break;
		case 's': seed = strtoull(optarg, 0, 0); break;
		case 'c': first = atol(optarg); break;
		case 'C': nchildren = atol(optarg); break;
		case 'k': ncalls = atol(optarg); break;
		case 't': timeout_ms = atol(optarg); break;
		case 'u': users = optarg; break;
		case 'v': verbose = 1; break;
		case 'm': keep = optarg; break;
		case 'S': table = 0; break;
		default:
			fprintf(stderr, "usage: fuzz [-s SEED] [-n TOTAL] [-c FIRST] [-C CHILDREN] [-k CALLS] [-t MS] "
					"[-u root|user|both] [-v] [-m I,J,...] [-S] [-M MODULE]\n");
			return 2;
		}
	}
	if (strcmp(users, "root") && strcmp(users, "user") && strcmp(users, "both")) {
		warnx("-u takes root, user or both");
		return 2;
	}
	if (timeout_ms < 1)
		timeout_ms = 1;
	if (ncalls > 8000)
		ncalls = 8000;   /* the records of one child must fit in a pipe */
	if (nchildren < 0)
		nchildren = total > 0 ? 0x7fffffffL : 8;
	signal(SIGALRM, on_alarm);
	siginterrupt(SIGALRM, 1);
	signal(SIGPIPE, SIG_IGN);
	remember();
	mkdir("/tmp/fz", 0755);
	for (j = 0; j < nmodules; j++) {
		char path[160];
		struct utsname u;
		uname(&u);
		snprintf(path, sizeof path, "/lib/modules/%s/kernel/%s.ko", u.release, modules[j]);
		int f = open(path, O_RDONLY);
		long r = f < 0 ? -errno : syscall(SYS_finit_module, f, "", 0) < 0 ? -errno : 0;
		close(f);
		printf("fuzz: module %s load=%ld\n", modules[j], r);
	}
	printf("fuzz: start seed=%llu first=%ld children=%ld calls=%ld timeout=%ldms users=%s\n",
	       (unsigned long long)seed, first, nchildren, ncalls, timeout_ms, users);
	fflush(stdout);
	for (j = first; j < first + nchildren && (total <= 0 || (long)total_calls < total); j++) {
		int as_user = !strcmp(users, "user") || (!strcmp(users, "both") && (j & 1));
		run_child(seed, j, as_user, ncalls, timeout_ms);
	}
	remove_tree("/tmp/fz");
	for (j = 0; j < nmodules; j++)
		printf("fuzz: module %s unload=%ld\n", modules[j],
		       syscall(SYS_delete_module, modules[j], O_NONBLOCK) < 0 ? (long)-errno : 0L);
	summary(table);
	return 0;
}

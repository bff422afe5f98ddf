/*
 * lat: lmbench-style latency loops for microlith. `lat BENCH N` runs N operations and
 * prints the simulated cycles per operation, read with RDTSC (the machine's cycle
 * counter). The host-side time per operation is measured by `microlith lmbench`.
 *
 * BENCH: null (getppid), read (1 byte from /dev/zero), write (1 byte to /dev/null),
 * openclose (/etc/motd), stat (/etc/motd), pipe (a 1-byte round trip between two
 * processes), ctxsw (a token passed around a ring of 4 processes through pipes; per
 * hop), fork (fork + _exit + wait), exec (fork + execve /bin/true + wait).
 *
 * With an argument after N (`lat BENCH N ARG`):
 *   fread N SIZE    lseek to 0 and read SIZE bytes of a file (ARG2 or /tmp/lat.file,
 *                   created with SIZE bytes first); fwrite N SIZE: lseek and write SIZE bytes
 *   console N       write 1 byte to standard output (the console, in the guest)
 *   ringbuf N       write 1 byte to /dev/ringbuf and read it back
 *   fsync N DIR     create DIR/latN, write 4 KiB, fsync, close
 *
 * The result line also gives nanoseconds per operation from CLOCK_MONOTONIC: on
 * microlith that is simulated time (cycles at 1 GHz), on a host the wall clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#define RING 4

static unsigned long rdtsc(void) {
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long)hi << 32 | lo;
}

static long sys(long nr, long a, long b, long c) {
    return syscall(nr, a, b, c);
}

static void waitchild(void) {
    int status;
    syscall(SYS_wait4, -1, (long)&status, 0, 0);
}

static long now_ns(void) {
    long ts[2];
    syscall(SYS_clock_gettime, 1, (long)ts);
    return ts[0] * 1000000000L + ts[1];
}

static void fail(const char *what) {
    fprintf(stderr, "lat: %s failed\n", what);
    exit(1);
}

static char block[4096];

/* A file of size bytes to read or overwrite in place. */
static long sized_file(const char *path, long size) {
    long fd = sys(SYS_open, (long)path, 0102 /* O_RDWR|O_CREAT */, 0644);
    if (fd < 0) fail("open");
    for (long done = 0; done < size;) {
        long n = size - done > (long)sizeof block ? (long)sizeof block : size - done;
        if (sys(SYS_write, fd, (long)block, n) != n) fail("write");
        done += n;
    }
    return fd;
}

static void pipe_pair(int *fds) {
    if (syscall(SYS_pipe, (long)fds) != 0) {
        fprintf(stderr, "lat: pipe failed\n");
        exit(1);
    }
}

static void run(const char *bench, long n, const char *arg, const char *arg2) {
    char byte = 'x';
    char st[144];
    if (!strcmp(bench, "fread") || !strcmp(bench, "fwrite")) {
        long size = arg ? atol(arg) : 1;
        if (size < 1 || size > (long)sizeof block) fail("size");
        long fd = sized_file(arg2 ? arg2 : "/tmp/lat.file", size);
        long nr = bench[1] == 'r' ? SYS_read : SYS_write;
        for (long i = 0; i < n; i++) {
            sys(SYS_lseek, fd, 0, 0);
            if (sys(nr, fd, (long)block, size) != size) fail(bench);
        }
    } else if (!strcmp(bench, "console")) {
        for (long i = 0; i < n; i++) sys(SYS_write, 1, (long)".", 1);
        sys(SYS_write, 1, (long)"\n", 1);
    } else if (!strcmp(bench, "ringbuf")) {
        long fd = sys(SYS_open, (long)"/dev/ringbuf", 2, 0);
        if (fd < 0) fail("open /dev/ringbuf");
        for (long i = 0; i < n; i++) {
            if (sys(SYS_write, fd, (long)&byte, 1) != 1 || sys(SYS_read, fd, (long)&byte, 1) != 1) fail("ringbuf");
        }
    } else if (!strcmp(bench, "fsync")) {
        char path[256];
        for (long i = 0; i < n; i++) {
            snprintf(path, sizeof path, "%s/lat%ld", arg ? arg : "/tmp", i);
            long fd = sys(SYS_open, (long)path, 01101 /* O_WRONLY|O_CREAT|O_TRUNC */, 0644);
            if (fd < 0) fail("open");
            if (sys(SYS_write, fd, (long)block, sizeof block) != (long)sizeof block) fail("write");
            if (sys(SYS_fsync, fd, 0, 0) != 0) fail("fsync");
            sys(SYS_close, fd, 0, 0);
        }
    } else if (!strcmp(bench, "null")) {
        for (long i = 0; i < n; i++) sys(SYS_getppid, 0, 0, 0);
    } else if (!strcmp(bench, "read")) {
        long fd = sys(SYS_open, (long)"/dev/zero", 0, 0);
        for (long i = 0; i < n; i++) sys(SYS_read, fd, (long)&byte, 1);
    } else if (!strcmp(bench, "write")) {
        long fd = sys(SYS_open, (long)"/dev/null", 1, 0);
        for (long i = 0; i < n; i++) sys(SYS_write, fd, (long)&byte, 1);
    } else if (!strcmp(bench, "openclose")) {
        for (long i = 0; i < n; i++) sys(SYS_close, sys(SYS_open, (long)"/etc/motd", 0, 0), 0, 0);
    } else if (!strcmp(bench, "stat")) {
        for (long i = 0; i < n; i++) sys(SYS_stat, (long)"/etc/motd", (long)st, 0);
    } else if (!strcmp(bench, "pipe")) {
        int a[2], b[2];
        pipe_pair(a);
        pipe_pair(b);
        if (sys(SYS_fork, 0, 0, 0) == 0) {
            for (long i = 0; i < n; i++) {
                sys(SYS_read, a[0], (long)&byte, 1);
                sys(SYS_write, b[1], (long)&byte, 1);
            }
            _exit(0);
        }
        for (long i = 0; i < n; i++) {
            sys(SYS_write, a[1], (long)&byte, 1);
            sys(SYS_read, b[0], (long)&byte, 1);
        }
        waitchild();
    } else if (!strcmp(bench, "ctxsw")) {
        int p[RING][2];
        for (int k = 0; k < RING; k++) pipe_pair(p[k]);
        for (int k = 1; k < RING; k++) {
            if (sys(SYS_fork, 0, 0, 0) == 0) {
                for (long i = 0; i < n; i++) {
                    sys(SYS_read, p[k - 1][0], (long)&byte, 1);
                    sys(SYS_write, p[k][1], (long)&byte, 1);
                }
                _exit(0);
            }
        }
        for (long i = 0; i < n; i++) {
            sys(SYS_write, p[0][1], (long)&byte, 1);
            sys(SYS_read, p[RING - 1][0], (long)&byte, 1);
        }
        for (int k = 1; k < RING; k++) waitchild();
        n *= RING;
    } else if (!strcmp(bench, "fork")) {
        for (long i = 0; i < n; i++) {
            if (sys(SYS_fork, 0, 0, 0) == 0) _exit(0);
            waitchild();
        }
    } else if (!strcmp(bench, "exec")) {
        for (long i = 0; i < n; i++) {
            if (sys(SYS_fork, 0, 0, 0) == 0) {
                char *argv[] = {"true", NULL};
                char *envp[] = {NULL};
                sys(SYS_execve, (long)"/bin/true", (long)argv, (long)envp);
                _exit(127);
            }
            waitchild();
        }
    } else {
        fprintf(stderr, "lat: unknown benchmark %s\n", bench);
        exit(2);
    }
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: lat null|read|write|openclose|stat|pipe|ctxsw|fork|exec|console|ringbuf N\n"
                        "       lat fread|fwrite N SIZE [FILE]\n       lat fsync N DIR\n");
        return 2;
    }
    long n = atol(argv[2]);
    if (n <= 0) {
        fprintf(stderr, "lat: N must be positive\n");
        return 2;
    }
    long ns0 = now_ns();
    unsigned long t0 = rdtsc();
    run(argv[1], n, argc > 3 ? argv[3] : 0, argc > 4 ? argv[4] : 0);
    unsigned long t1 = rdtsc();
    long ns1 = now_ns();
    long ops = !strcmp(argv[1], "ctxsw") ? n * RING : n;
    unsigned long per100 = (t1 - t0) * 100 / (unsigned long)ops;
    unsigned long ns100 = (unsigned long)(ns1 - ns0) * 100 / (unsigned long)ops;
    printf("lat %s %ld cycles_per_op=%lu.%02lu ns_per_op=%lu.%02lu\n", argv[1], n, per100 / 100, per100 % 100,
           ns100 / 100, ns100 % 100);
    return 0;
}

/* microlith libc: system call wrappers. */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "internal.h"

int errno;

long __syscall_ret(long r)
{
    if ((unsigned long)r > -4096UL) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

long __syscall(long n, long a, long b, long c, long d, long e, long f)
{
    return __sc(n, a, b, c, d, e, f);
}

long syscall(long n, ...)
{
    va_list ap;
    long a, b, c, d, e, f;
    va_start(ap, n);
    a = va_arg(ap, long);
    b = va_arg(ap, long);
    c = va_arg(ap, long);
    d = va_arg(ap, long);
    e = va_arg(ap, long);
    f = va_arg(ap, long);
    va_end(ap);
    return __syscall_ret(__sc(n, a, b, c, d, e, f));
}

ssize_t read(int fd, void *buf, size_t n)
{
    return __syscall_ret(__sc3(SYS_read, fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
    return __syscall_ret(__sc3(SYS_write, fd, buf, n));
}

pid_t getpid(void)
{
    return (pid_t)__sc0(SYS_getpid);
}

int uname(struct utsname *buf)
{
    return (int)__syscall_ret(__sc1(SYS_uname, buf));
}

_Noreturn void _exit(int status)
{
    for (;;)
        __sc1(SYS_exit_group, status);
}

_Noreturn void _Exit(int status)
{
    _exit(status);
}

/* The kernel's brk returns the new break on success and the unchanged
 * break on failure. */
static unsigned long cur_brk;

int brk(void *addr)
{
    unsigned long r = (unsigned long)__sc1(SYS_brk, addr);
    cur_brk = r;
    if (r != (unsigned long)addr) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void *sbrk(intptr_t increment)
{
    unsigned long old, want;
    if (cur_brk == 0)
        cur_brk = (unsigned long)__sc1(SYS_brk, 0);
    old = cur_brk;
    if (increment == 0)
        return (void *)old;
    want = old + (unsigned long)increment;
    if ((increment > 0 && want < old) || (increment < 0 && want > old)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    if (brk((void *)want) != 0)
        return (void *)-1;
    return (void *)old;
}

/* microlith libc: private declarations shared by the libc sources. */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

#include <sys/syscall.h>

static inline long __sc(long n, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile ("syscall"
                      : "=a"(ret)
                      : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                      : "rcx", "r11", "memory");
    return ret;
}

#define __sc0(n)             __sc((n), 0, 0, 0, 0, 0, 0)
#define __sc1(n, a)          __sc((n), (long)(a), 0, 0, 0, 0, 0)
#define __sc2(n, a, b)       __sc((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define __sc3(n, a, b, c)    __sc((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* Linux convention: a result in [-4095, -1] is -errno. */
long __syscall_ret(long r);

/* Flush every stdio stream (called by exit). */
void __stdio_flush_all(void);

#endif

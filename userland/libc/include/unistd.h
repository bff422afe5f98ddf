/* microlith libc: POSIX system interface subset. */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <stddef.h>
#include <stdint.h>

#ifndef _SSIZE_T_DEFINED
#define _SSIZE_T_DEFINED
typedef long ssize_t;
#endif
typedef int pid_t;

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

extern char **environ;

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
_Noreturn void _exit(int status);
pid_t getpid(void);
int brk(void *addr);
void *sbrk(intptr_t increment);

/* errno-style generic system call: returns -1 and sets errno on failure. */
long syscall(long nr, ...);

#endif

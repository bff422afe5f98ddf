/* microlith libc: C-level process start and exit. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include "internal.h"

extern int main(int argc, char **argv, char **envp);

char **environ;
unsigned long *__auxv;

_Noreturn void __libc_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    char **p = envp;

    while (*p)
        p++;
    environ = envp;
    __auxv = (unsigned long *)(p + 1);
    exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
    unsigned long *a;
    for (a = __auxv; a && a[0] != AT_NULL; a += 2)
        if (a[0] == type)
            return a[1];
    errno = ENOENT;
    return 0;
}

char *getenv(const char *name)
{
    size_t len = strlen(name);
    char **e;
    if (!environ)
        return NULL;
    for (e = environ; *e; e++)
        if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
            return *e + len + 1;
    return NULL;
}

#define ATEXIT_MAX 32
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
    if (atexit_count >= ATEXIT_MAX)
        return -1;
    atexit_fns[atexit_count++] = fn;
    return 0;
}

_Noreturn void exit(int status)
{
    while (atexit_count > 0)
        atexit_fns[--atexit_count]();
    __stdio_flush_all();
    _exit(status);
}

_Noreturn void abort(void)
{
    __stdio_flush_all();
    __sc2(SYS_kill, __sc0(SYS_getpid), 6 /* SIGABRT */);
    _exit(127);
}

/* sysinfo [ARG...]: report what the process received from the kernel:
 * pid, uname, argv, envp, selected auxiliary vector entries and which of
 * fds 0-2 are terminals.
 * One "key: value" pair per line so tests can match them. */
#include <stdio.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/utsname.h>

extern char _start[];

/* isatty(3) as libcs implement it: only a terminal answers TIOCGWINSZ. */
static int is_terminal(int fd)
{
    unsigned short winsize[4];
    return syscall(16 /* ioctl */, fd, 0x5413 /* TIOCGWINSZ */, winsize) == 0;
}

static void aux_print(const char *name, unsigned long type, int hex)
{
    unsigned long *a;
    for (a = __auxv; a && a[0] != AT_NULL; a += 2) {
        if (a[0] == type) {
            printf(hex ? "auxv.%s: 0x%lx\n" : "auxv.%s: %lu\n", name, a[1]);
            return;
        }
    }
    printf("auxv.%s: missing\n", name);
}

int main(int argc, char **argv, char **envp)
{
    struct utsname u;
    unsigned long *a;
    int i, n;

    printf("pid: %d\n", (int)getpid());
    if (uname(&u) == 0) {
        printf("uname.sysname: %s\n", u.sysname);
        printf("uname.nodename: %s\n", u.nodename);
        printf("uname.release: %s\n", u.release);
        printf("uname.machine: %s\n", u.machine);
    } else {
        printf("uname: failed\n");
    }

    printf("argc: %d\n", argc);
    for (i = 0; i < argc; i++)
        printf("argv[%d]: %s\n", i, argv[i]);
    printf("argv[argc]: %s\n", argv[argc] == NULL ? "NULL" : "not NULL");

    for (n = 0; envp[n]; n++)
        ;
    printf("envc: %d\n", n);
    for (i = 0; i < n; i++)
        printf("envp[%d]: %s\n", i, envp[i]);

    aux_print("AT_PAGESZ", AT_PAGESZ, 0);
    aux_print("AT_PHDR", AT_PHDR, 1);
    aux_print("AT_PHNUM", AT_PHNUM, 0);
    aux_print("AT_ENTRY", AT_ENTRY, 1);
    printf("auxv.AT_ENTRY_is_start: %s\n", getauxval(AT_ENTRY) == (unsigned long)_start ? "yes" : "no");
    printf("auxv.AT_RANDOM: %s\n", getauxval(AT_RANDOM) ? "non-null" : "null");
    for (n = 0, a = __auxv; a && a[0] != AT_NULL; a += 2)
        n++;
    printf("auxc: %d\n", n);
    printf("stack.argc_addr_mod16: %lu\n", (unsigned long)(argv - 1) & 15);
    printf("stdio.isatty: %d %d %d\n", is_terminal(0), is_terminal(1), is_terminal(2));
    return 0;
}

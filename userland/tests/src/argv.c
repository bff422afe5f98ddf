/* argv: prints argc, every argv string with its length, selected
 * environment variables, and the number of environment entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=\"%s\" len=%d\n", i, argv[i], (int)strlen(argv[i]));
    printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "non-null");
    int n = 0;
    for (char **e = environ; *e; e++)
        n++;
    printf("envc=%d\n", n);
    static const char *names[] = { "HOME", "TERM", "PATH", "MICROLITH_UNSET_VARIABLE" };
    for (int i = 0; i < 4; i++) {
        const char *v = getenv(names[i]);
        printf("%s=%s\n", names[i], v ? v : "(unset)");
    }
    return argc + 10;
}

/* init: the sample first process for `microlith boot`.
 * Prints a banner, then echoes every console line back until end of input.
 * There is no fork/exec yet, so this is all it does. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#define LINE_MAX_LEN 1024

static char line[LINE_MAX_LEN];
static size_t line_len;

static void emit_line(void)
{
    /* drop a trailing carriage return from terminals sending CR LF */
    if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
    printf("init: you typed: %.*s\n", (int)line_len, line);
    fflush(stdout);
    line_len = 0;
}

int main(void)
{
    struct utsname u;
    char buf[256];

    printf("microlith init: started as pid %d\n", (int)getpid());
    if (uname(&u) == 0)
        printf("microlith init: %s %s %s %s %s\n",
               u.sysname, u.nodename, u.release, u.version, u.machine);
    else
        printf("microlith init: uname failed: %s\n", strerror(errno));
    fflush(stdout);

    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            printf("init: read error: %s\n", strerror(errno));
            return 1;
        }
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                emit_line();
            } else if (line_len < sizeof line) {
                line[line_len++] = buf[i];
            } else {
                /* over-long line: hand out what we have and keep going */
                emit_line();
                line[line_len++] = buf[i];
            }
        }
    }
    if (line_len > 0)
        emit_line();
    printf("init: end of input, exiting\n");
    return 0;
}

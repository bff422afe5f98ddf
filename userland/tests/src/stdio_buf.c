/* stdio_buf: stdio buffering modes (setvbuf full/line/none), puts, fputs,
 * putchar, fwrite, ungetc-free reads with fgets/getchar from stdin, and
 * interleaving stdout and stderr writes. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    static char buf[64];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    for (int i = 0; i < 20; i++)
        printf("full-buffered line %d with some padding text\n", i);
    fflush(stdout);
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("line-buffered puts");
    fputs("fputs without newline, ", stdout);
    putchar('!');
    putchar('\n');
    fwrite("fwrite 12345\n", 1, 13, stdout);
    fprintf(stderr, "stderr: unbuffered %d\n", 7);
    char line[40];
    int lines = 0, chars = 0;
    while (fgets(line, sizeof line, stdin)) {
        lines++;
        chars += (int)strlen(line);
        printf("got: [%s]\n", strtok(line, "\n") ? line : "");
    }
    printf("stdin: %d fgets chunks, %d chars, eof=%d error=%d\n", lines, chars, feof(stdin), ferror(stdin));
    fprintf(stderr, "stderr: done\n");
    return lines;
}

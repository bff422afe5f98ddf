/* Commands that are both shell builtins and programs of their own (printf,
 * test, the mode parser chmod and umask share). */
#ifndef SHTOOLS_H
#define SHTOOLS_H
#include <stdio.h>
#include <sys/types.h>

int printf_main(int argc, char **argv);
int test_main(int argc, char **argv);
/* Prints s with echo -e / printf %b escapes; returns 1 if it met \c (stop output). */
int print_escapes(const char *s, FILE *f);
/* A chmod mode (octal or symbolic, e.g. "u+x,go-w") applied to old; isdir for
 * X; with use_umask, "+r" without a who honours the umask as chmod does.
 * Returns (mode_t)-1 if it is not a valid mode. */
mode_t parse_mode(const char *s, mode_t old, int isdir, int use_umask);
#endif

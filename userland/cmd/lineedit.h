/* The shell's line editor: emacs-style keys, history and Tab completion on a
 * terminal in raw mode (see lineedit.c). */
#ifndef LINEEDIT_H
#define LINEEDIT_H
#include <stdio.h>

int le_init(int fd);                            /* 0 if fd is a terminal we can edit on */
/* Reads a line after printing prompt: 1 with *line (malloc'd, no newline),
 * 0 when Ctrl-C abandoned it, -1 at end of input (Ctrl-D on an empty line). */
int le_readline(const char *prompt, char **line);
void history_add(const char *line);
void le_history_load(void);
void le_history_print(FILE *f);
void le_history_file_changed(void);
#endif

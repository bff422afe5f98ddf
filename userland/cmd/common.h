/* Shared helpers for the microlith utilities. */
#ifndef COMMON_H
#define COMMON_H
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

extern const char *prog;                  /* set by the utility's main */

void warnx(const char *fmt, ...);         /* "prog: msg\n" on stderr */
void warnerr(const char *fmt, ...);       /* "prog: msg: strerror(errno)\n" */
int write_all(int fd, const void *buf, size_t n);   /* 0 or -1 */
int copy_fd(int in, int out);             /* copy until EOF; 0 or -1 */
const char *user_name(uid_t uid, char *buf, size_t n);   /* /etc/passwd or number */
const char *group_name(gid_t gid, char *buf, size_t n);  /* /etc/group or number */
/* Look a user up in /etc/passwd by name (or by uid if name is NULL).
 * Fills the fields (pointers into a static buffer); returns 0 if found. */
struct pwent { char *name; uid_t uid; gid_t gid; char *home; char *shell; };
int find_user(const char *name, uid_t uid, struct pwent *pw);
/* Reads a small file (/proc) into buf, NUL-terminated; its length or -1. */
int read_text(const char *path, char *buf, size_t n);
/* Calls fn(path/name) for each entry of directory path but . and ..; -1 (errno set)
 * if it cannot be read. */
int for_each_entry(const char *path, void (*fn)(const char *));
/* The whole contents of the named files ("-" or none: stdin) in one buffer; a file
 * that cannot be read is reported and sets *status to 1. */
unsigned char *read_inputs(char **names, int n, size_t *len, int *status);
#endif

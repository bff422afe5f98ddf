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
#endif

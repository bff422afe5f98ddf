/* Error texts as Linux programs built on glibc print them. */
#ifndef ERRTEXT_H
#define ERRTEXT_H

/* strerror(e) in glibc's words where musl's differ ("Device or resource busy",
 * not "Resource busy"), for tools whose messages copy kmod's and util-linux's. */
const char *linux_strerror(int e);
#endif

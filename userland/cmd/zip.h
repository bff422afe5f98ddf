/* Reading one member of a zip archive (a jar, hence a microlith .ko) held in memory. */
#ifndef ZIP_H
#define ZIP_H
#include <stddef.h>

/* Returns member name's contents in a malloc'd buffer with a NUL after the
 * last byte, its length in *size.  NULL with errno ENOENT if there is no such
 * member, ENOEXEC if the archive is malformed, the member's method is neither
 * STORED nor DEFLATE, or its CRC-32 does not match; ENOMEM. */
unsigned char *zip_read(const unsigned char *zip, size_t len, const char *name, size_t *size);
#endif

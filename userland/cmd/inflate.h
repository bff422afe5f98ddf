/* Raw DEFLATE decoding (RFC 1951), as zip archives store compressed members. */
#ifndef INFLATE_H
#define INFLATE_H
#include <stddef.h>

/* Decodes the stream in[0..inlen) into out[0..outlen).  Returns the number of
 * bytes produced, or -1 if the stream is malformed, truncated, or would
 * produce more than outlen bytes. */
long inflate_raw(const unsigned char *in, size_t inlen, unsigned char *out, size_t outlen);
#endif

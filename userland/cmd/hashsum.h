/* MD5 (RFC 1321) and SHA-256 (FIPS 180-4) for md5sum and sha256sum. */
#ifndef HASHSUM_H
#define HASHSUM_H
#include <stddef.h>
#include <stdint.h>

struct hash {
	int sha;                  /* 0 MD5, 1 SHA-256 */
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};
void hash_init(struct hash *c, int sha);
void hash_update(struct hash *c, const void *data, size_t n);
/* Writes the digest as lowercase hex into out (65 bytes). */
void hash_final(struct hash *c, char *out);
/* md5sum/sha256sum [-c] [FILE...] */
int hashsum_main(int argc, char **argv, int sha);
#endif

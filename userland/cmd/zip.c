/*
 * Zip archive member lookup (PKWARE APPNOTE.TXT, sections 4.3.6-4.3.16).
 *
 * The central directory at the end of the archive is the authority: a jar
 * written by java.util.zip streams its members, so the local headers carry zero
 * sizes and CRC, with the real ones in data descriptors after the data and in
 * the central directory.  Only the local header's name and extra-field lengths
 * are taken from it, to find where the data starts.  No zip64, no encryption:
 * a .ko is small.
 */
#include "zip.h"
#include "inflate.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EOCD_SIG    0x06054b50u  /* end of central directory record */
#define CDIR_SIG    0x02014b50u  /* central directory file header */
#define LOCAL_SIG   0x04034b50u  /* local file header */
#define EOCD_LEN    22
#define CDIR_LEN    46
#define LOCAL_LEN   30
#define STORED      0
#define DEFLATE     8

static unsigned get16(const unsigned char *p) { return p[0] | (unsigned)p[1] << 8; }
static uint32_t get32(const unsigned char *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

/* CRC-32 of IEEE 802.3 (reflected polynomial 0xEDB88320), bit by bit. */
static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++) c = c >> 1 ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

/* The end record is the last thing in the file, followed only by a comment of
 * at most 65535 bytes; search backwards for its signature. */
static const unsigned char *find_eocd(const unsigned char *zip, size_t len)
{
	if (len < EOCD_LEN) return NULL;
	size_t stop = len - EOCD_LEN > 65535 ? len - EOCD_LEN - 65535 : 0;
	for (size_t at = len - EOCD_LEN + 1; at-- > stop;)
		if (get32(zip + at) == EOCD_SIG) return zip + at;
	return NULL;
}

static unsigned char *fail(int e)
{
	errno = e;
	return NULL;
}

unsigned char *zip_read(const unsigned char *zip, size_t len, const char *name, size_t *size)
{
	const unsigned char *eocd = find_eocd(zip, len);
	if (!eocd) return fail(ENOEXEC);
	unsigned entries = get16(eocd + 10);
	size_t pos = get32(eocd + 16), end = pos + get32(eocd + 12);
	if (end > len || pos > end) return fail(ENOEXEC);
	size_t namelen = strlen(name);

	for (unsigned i = 0; i < entries; i++) {
		if (end - pos < CDIR_LEN || get32(zip + pos) != CDIR_SIG) return fail(ENOEXEC);
		const unsigned char *h = zip + pos;
		size_t n = get16(h + 28), skip = CDIR_LEN + n + get16(h + 30) + get16(h + 32);
		if (end - pos < skip) return fail(ENOEXEC);
		pos += skip;
		if (n != namelen || memcmp(h + CDIR_LEN, name, n)) continue;

		unsigned method = get16(h + 10);
		uint32_t crc = get32(h + 16);
		size_t csize = get32(h + 20), usize = get32(h + 24), local = get32(h + 42);
		if (local > len || len - local < LOCAL_LEN || get32(zip + local) != LOCAL_SIG)
			return fail(ENOEXEC);
		size_t data = local + LOCAL_LEN + get16(zip + local + 26) + get16(zip + local + 28);
		if (data > len || len - data < csize) return fail(ENOEXEC);
		if (method != STORED && method != DEFLATE) return fail(ENOEXEC);
		if (method == STORED && csize != usize) return fail(ENOEXEC);

		unsigned char *out = malloc(usize + 1);
		if (!out) return fail(ENOMEM);
		long got = method == STORED ? (memcpy(out, zip + data, usize), (long)usize)
		                            : inflate_raw(zip + data, csize, out, usize);
		if (got != (long)usize || crc32(out, usize) != crc) {
			free(out);
			return fail(ENOEXEC);
		}
		out[usize] = 0;
		*size = usize;
		return out;
	}
	return fail(ENOENT);
}

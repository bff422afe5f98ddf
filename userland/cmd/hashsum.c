/* md5sum and sha256sum: the digests, and the coreutils front end they share
 * (NAME  FILE lines; -c checks such lines). */
#include "common.h"
#include "hashsum.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rol(uint32_t x, int n) { return x << n | x >> (32 - n); }
static uint32_t ror(uint32_t x, int n) { return x >> n | x << (32 - n); }

static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
static const int md5_r[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static void md5_block(uint32_t *h, const unsigned char *p)
{
	uint32_t w[16];
	for (int i = 0; i < 16; i++) w[i] = p[4 * i] | p[4 * i + 1] << 8 | p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g;
		if (i < 16) { f = (b & c) | (~b & d); g = i; }
		else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
		else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
		else { f = c ^ (b | ~d); g = 7 * i % 16; }
		uint32_t t = d;
		d = c;
		c = b;
		b = b + rol(a + f + md5_k[i] + w[g], md5_r[i]);
		a = t;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
}

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha_block(uint32_t *h, const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3;
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10;
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void hash_init(struct hash *c, int sha)
{
	static const uint32_t md5_h[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
	static const uint32_t sha_h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memset(c, 0, sizeof *c);
	c->sha = sha;
	memcpy(c->h, sha ? sha_h : md5_h, sha ? sizeof sha_h : sizeof md5_h);
}

void hash_update(struct hash *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	c->len += n;
	while (n) {
		size_t take = 64 - c->used < n ? 64 - c->used : n;
		memcpy(c->buf + c->used, p, take);
		c->used += take;
		p += take;
		n -= take;
		if (c->used == 64) {
			if (c->sha) sha_block(c->h, c->buf); else md5_block(c->h, c->buf);
			c->used = 0;
		}
	}
}

void hash_final(struct hash *c, char *out)
{
	uint64_t bits = c->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = (c->used < 56 ? 56 : 120) - c->used;
	unsigned char lenb[8];
	for (int i = 0; i < 8; i++) lenb[i] = (unsigned char)(c->sha ? bits >> (56 - 8 * i) : bits >> (8 * i));
	hash_update(c, pad, padlen);
	hash_update(c, lenb, 8);
	int words = c->sha ? 8 : 4;
	for (int i = 0; i < words; i++)
		for (int b = 0; b < 4; b++) {
			unsigned v = c->sha ? c->h[i] >> (24 - 8 * b) & 255 : c->h[i] >> (8 * b) & 255;
			sprintf(out + 8 * i + 2 * b, "%02x", v);
		}
}

static int digest_file(const char *name, int sha, char *out)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	if (!f) return -1;
	struct hash c;
	hash_init(&c, sha);
	static char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) hash_update(&c, buf, n);
	int err = ferror(f);
	if (f != stdin) fclose(f);
	if (err) { errno = EIO; return -1; }
	hash_final(&c, out);
	return 0;
}

static int check(const char *list, int sha, int quiet, int status_only)
{
	FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
	if (!f) { warnerr("%s", list); return 1; }
	size_t hl = sha ? 64 : 32;
	char *line = NULL;
	size_t cap = 0;
	int bad = 0, unreadable = 0, lines = 0, improper = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n') line[--len] = 0;
		if ((size_t)len < hl + 2 || line[hl] != ' ' || (line[hl + 1] != ' ' && line[hl + 1] != '*')) { improper++; continue; }
		lines++;
		const char *name = line + hl + 2;
		char got[65];
		if (digest_file(name, sha, got) < 0) {
			if (!status_only) { warnerr("%s", name); printf("%s: FAILED open or read\n", name); }
			unreadable++;
			continue;
		}
		if (strncasecmp(got, line, hl)) { bad++; if (!status_only) printf("%s: FAILED\n", name); }
		else if (!quiet && !status_only) printf("%s: OK\n", name);
	}
	if (f != stdin) fclose(f);
	fflush(stdout);
	if (!lines) { warnx("%s: no properly formatted %s checksum lines found", list, sha ? "SHA256" : "MD5"); return 1; }
	if (!status_only) {
		if (improper) fprintf(stderr, "%s: WARNING: %d line%s improperly formatted\n", prog, improper, improper == 1 ? " is" : "s are");
		if (unreadable) fprintf(stderr, "%s: WARNING: %d listed file%s could not be read\n", prog, unreadable, unreadable == 1 ? "" : "s");
		if (bad) fprintf(stderr, "%s: WARNING: %d computed checksum%s did NOT match\n", prog, bad, bad == 1 ? "" : "s");
	}
	return bad || unreadable;
}

int hashsum_main(int argc, char **argv, int sha)
{
	int checking = 0, quiet = 0, status_only = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "--quiet")) { quiet = 1; continue; }
		if (!strcmp(argv[k], "--status")) { status_only = 1; continue; }
		if (!strcmp(argv[k], "--check")) { checking = 1; continue; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'c') checking = 1;
			else if (*p == 'b' || *p == 't') continue;
			else { warnx("invalid option -- '%c'", *p); fprintf(stderr, "Try '%s --help' for more information.\n", prog); return 1; }
		}
	}
	int status = 0;
	for (int q = k; q < argc || q == k; q++) {
		const char *name = q < argc ? argv[q] : "-";
		if (checking) status |= check(name, sha, quiet, status_only);
		else {
			char out[65];
			if (digest_file(name, sha, out) < 0) { warnerr("%s", name); status = 1; }
			else printf("%s  %s\n", out, name);
		}
		if (q >= argc) break;
	}
	return status;
}

/*
 * Raw DEFLATE decoder (RFC 1951).
 *
 * A stream is a series of blocks: stored (copied as is), or compressed with
 * the fixed Huffman codes of section 3.2.6 or with codes described at the start
 * of the block (3.2.7).  Codes are canonical, so a table of how many codes have
 * each length, plus the symbols sorted by code, is enough to decode: reading a
 * code one bit at a time, the codes of length L are the count[L] consecutive
 * values after the last code of length L-1 (doubled).  That is slow next to
 * zlib's lookup tables, but small, and modinfo decodes a few hundred bytes.
 */
#include "inflate.h"
#include <string.h>

#define MAXBITS   15             /* longest code */
#define NLITLEN   288            /* literal/length symbols, 286 and 287 unused */
#define NDIST     30             /* distance symbols */
#define NCLEN     19             /* code-length symbols */

struct stream {
	const unsigned char *in;
	size_t inlen, inpos;
	unsigned char *out;
	size_t outlen, outpos;
	unsigned long bitbuf;        /* bits not yet used, least significant first */
	int bitcnt;
};

struct huffman {
	short count[MAXBITS + 1];    /* number of codes of each length */
	short symbol[NLITLEN];       /* symbols in canonical code order */
};

/* The next n bits, first bit in the least significant place; -1 past the end. */
static long getbits(struct stream *s, int n)
{
	while (s->bitcnt < n) {
		if (s->inpos == s->inlen) return -1;
		s->bitbuf |= (unsigned long)s->in[s->inpos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	long v = (long)(s->bitbuf & ((1UL << n) - 1));
	s->bitbuf >>= n;
	s->bitcnt -= n;
	return v;
}

/* Builds the decoding table for symbols 0..n-1 with code lengths len[].
 * Fails only for an over-subscribed set of lengths (more codes than fit);
 * an incomplete set is allowed, and a missing code simply fails to decode. */
static int build(struct huffman *h, const unsigned char *len, int n)
{
	short next[MAXBITS + 1];
	memset(h->count, 0, sizeof h->count);
	for (int i = 0; i < n; i++) h->count[len[i]]++;
	int room = 1;
	for (int l = 1; l <= MAXBITS; l++) {
		room = room * 2 - h->count[l];
		if (room < 0) return -1;
	}
	next[1] = 0;
	for (int l = 1; l < MAXBITS; l++) next[l + 1] = (short)(next[l] + h->count[l]);
	for (int i = 0; i < n; i++)
		if (len[i]) h->symbol[next[len[i]]++] = (short)i;
	return 0;
}

/* Reads one code and returns its symbol, or -1. */
static int decode(struct stream *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;
	for (int l = 1; l <= MAXBITS; l++) {
		long b = getbits(s, 1);
		if (b < 0) return -1;
		code |= (int)b;
		int count = h->count[l];
		if (code - first < count) return h->symbol[index + code - first];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

/* Stored block: skip to a byte boundary, then LEN, its complement, LEN bytes. */
static int stored(struct stream *s)
{
	s->bitbuf = 0;
	s->bitcnt = 0;
	if (s->inlen - s->inpos < 4) return -1;
	unsigned len = s->in[s->inpos] | (unsigned)s->in[s->inpos + 1] << 8;
	unsigned nlen = s->in[s->inpos + 2] | (unsigned)s->in[s->inpos + 3] << 8;
	s->inpos += 4;
	if (len != (~nlen & 0xffff)) return -1;
	if (s->inlen - s->inpos < len || s->outlen - s->outpos < len) return -1;
	memcpy(s->out + s->outpos, s->in + s->inpos, len);
	s->inpos += len;
	s->outpos += len;
	return 0;
}

/* Length symbols 257..285 and distance symbols 0..29 stand for a base value
 * plus some extra bits; the extra bits grow by one every four symbols. */
static int length_extra(int i) { return i < 8 || i == 28 ? 0 : i / 4 - 1; }
static int dist_extra(int i) { return i < 4 ? 0 : i / 2 - 1; }

static int length_base(int i)
{
	if (i == 28) return 258;
	int base = 3;
	for (int k = 0; k < i; k++) base += 1 << length_extra(k);
	return base;
}

static int dist_base(int i)
{
	int base = 1;
	for (int k = 0; k < i; k++) base += 1 << dist_extra(k);
	return base;
}

/* The literals and <length, distance> copies of one compressed block. */
static int codes(struct stream *s, const struct huffman *lit, const struct huffman *dist)
{
	for (;;) {
		int sym = decode(s, lit);
		if (sym < 0) return -1;
		if (sym < 256) {
			if (s->outpos == s->outlen) return -1;
			s->out[s->outpos++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256) return 0;
		sym -= 257;
		if (sym >= 29) return -1;
		long extra = getbits(s, length_extra(sym));
		if (extra < 0) return -1;
		size_t len = (size_t)(length_base(sym) + extra);
		int dsym = decode(s, dist);
		if (dsym < 0 || dsym >= NDIST) return -1;
		extra = getbits(s, dist_extra(dsym));
		if (extra < 0) return -1;
		size_t back = (size_t)(dist_base(dsym) + extra);
		if (back > s->outpos || s->outlen - s->outpos < len) return -1;
		/* Byte by byte: a copy may overlap the bytes it produces. */
		while (len--) {
			s->out[s->outpos] = s->out[s->outpos - back];
			s->outpos++;
		}
	}
}

static int fixed(struct stream *s)
{
	unsigned char len[NLITLEN];
	struct huffman lit, dist;
	int i = 0;
	for (; i < 144; i++) len[i] = 8;
	for (; i < 256; i++) len[i] = 9;
	for (; i < 280; i++) len[i] = 7;
	for (; i < NLITLEN; i++) len[i] = 8;
	build(&lit, len, NLITLEN);
	memset(len, 5, NDIST);
	build(&dist, len, NDIST);
	return codes(s, &lit, &dist);
}

/* Dynamic block: code lengths for the two codes, themselves Huffman-coded
 * with a third code whose lengths come first, in this order. */
static int dynamic(struct stream *s)
{
	static const unsigned char order[NCLEN] =
		{ 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	unsigned char len[NLITLEN + NDIST];
	struct huffman lit, dist, clen;
	long nlit = getbits(s, 5), ndist = getbits(s, 5), nclen = getbits(s, 4);
	if (nlit < 0 || ndist < 0 || nclen < 0) return -1;
	nlit += 257;
	ndist += 1;
	nclen += 4;
	if (nlit > 286 || ndist > NDIST) return -1;

	memset(len, 0, NCLEN);
	for (int i = 0; i < nclen; i++) {
		long b = getbits(s, 3);
		if (b < 0) return -1;
		len[order[i]] = (unsigned char)b;
	}
	if (build(&clen, len, NCLEN) < 0) return -1;

	for (int i = 0; i < nlit + ndist;) {
		int sym = decode(s, &clen);
		if (sym < 0) return -1;
		if (sym < 16) { len[i++] = (unsigned char)sym; continue; }
		/* 16: the previous length 3-6 times; 17, 18: zero 3-10, 11-138 times. */
		unsigned char value = 0;
		if (sym == 16) {
			if (i == 0) return -1;
			value = len[i - 1];
		}
		long repeat = getbits(s, sym == 16 ? 2 : sym == 17 ? 3 : 7);
		if (repeat < 0) return -1;
		repeat += sym == 18 ? 11 : 3;
		if (i + repeat > nlit + ndist) return -1;
		while (repeat--) len[i++] = value;
	}
	if (len[256] == 0) return -1;    /* no end-of-block code */
	if (build(&lit, len, (int)nlit) < 0 || build(&dist, len + nlit, (int)ndist) < 0) return -1;
	return codes(s, &lit, &dist);
}

long inflate_raw(const unsigned char *in, size_t inlen, unsigned char *out, size_t outlen)
{
	struct stream s = { in, inlen, 0, out, outlen, 0, 0, 0 };
	long last;
	do {
		last = getbits(&s, 1);
		long type = getbits(&s, 2);
		if (last < 0 || type < 0) return -1;
		int r = type == 0 ? stored(&s) : type == 1 ? fixed(&s) : type == 2 ? dynamic(&s) : -1;
		if (r < 0) return -1;
	} while (!last);
	return (long)s.outpos;
}

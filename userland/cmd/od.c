/* od [-A RADIX] [-t TYPE]... [-bcdox] [-j SKIP] [-N COUNT] [-w WIDTH] [-v] [FILE...]:
 * dump files in octal and other formats, laid out as coreutils does: an address,
 * then each type's fields, aligned when there are several; repeated lines become
 * '*' unless -v. */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct type { char kind; int size; int width; int text; };
static struct type types[8];
static int ntypes;
static char radix = 'o';

static int add_type(const char *s)
{
	while (*s) {
		struct type t = { *s++, 1, 0, 0 };
		if (!strchr("acdoux", t.kind)) { warnx("invalid type string '%c'", t.kind); return -1; }
		if (t.kind == 'a' || t.kind == 'c') t.size = 1;
		else if (*s >= '0' && *s <= '9') t.size = (int)strtol(s, (char **)&s, 10);
		else if (*s && strchr("CSIL", *s)) { t.size = *s == 'C' ? 1 : *s == 'S' ? 2 : *s == 'I' ? 4 : 8; s++; }
		else t.size = 4;
		if (t.size != 1 && t.size != 2 && t.size != 4 && t.size != 8) { warnx("invalid type string '%d'", t.size); return -1; }
		/* Field widths: the widest value of that type, plus a separating space. */
		static const int ow[] = { 0, 3, 6, 0, 11, 0, 0, 0, 22 }, dw[] = { 0, 4, 6, 0, 11, 0, 0, 0, 20 };
		static const int uw[] = { 0, 3, 5, 0, 10, 0, 0, 0, 20 }, xw[] = { 0, 2, 4, 0, 8, 0, 0, 0, 16 };
		switch (t.kind) {
		case 'o': t.width = ow[t.size]; break;
		case 'd': t.width = dw[t.size]; break;
		case 'u': t.width = uw[t.size]; break;
		case 'x': t.width = xw[t.size]; break;
		default: t.width = 3;
		}
		if (*s == 'z') { t.text = 1; s++; }
		if (ntypes < 8) types[ntypes++] = t;
	}
	return 0;
}

static unsigned long long get(const unsigned char *p, int size)
{
	unsigned long long v = 0;
	for (int k = size - 1; k >= 0; k--) v = v << 8 | p[k];
	return v;
}

static void field(const struct type *t, const unsigned char *p, int width)
{
	static const char *const names[] = { "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl",
		"vt", "ff", "cr", "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub",
		"esc", "fs", "gs", "rs", "us", "sp" };
	char buf[32];
	unsigned long long v = get(p, t->size);
	switch (t->kind) {
	case 'o': snprintf(buf, sizeof buf, "%0*llo", t->width, v); break;
	case 'x': snprintf(buf, sizeof buf, "%0*llx", t->width, v); break;
	case 'u': snprintf(buf, sizeof buf, "%llu", v); break;
	case 'd': {
		long long s = t->size == 8 ? (long long)v : (long long)(v << (64 - 8 * t->size)) >> (64 - 8 * t->size);
		snprintf(buf, sizeof buf, "%lld", s);
		break;
	}
	case 'a': {
		int c = p[0] & 127;
		if (c <= 32) snprintf(buf, sizeof buf, "%s", names[c]);
		else if (c == 127) snprintf(buf, sizeof buf, "del");
		else snprintf(buf, sizeof buf, "%c", c);
		break;
	}
	default: {
		int c = p[0];
		const char *e = c == 0 ? "\\0" : c == 7 ? "\\a" : c == 8 ? "\\b" : c == 12 ? "\\f" : c == 10 ? "\\n"
			: c == 13 ? "\\r" : c == 9 ? "\\t" : c == 11 ? "\\v" : NULL;
		if (e) snprintf(buf, sizeof buf, "%s", e);
		else if (c >= 32 && c < 127) snprintf(buf, sizeof buf, "%c", c);
		else snprintf(buf, sizeof buf, "%03o", c);
	}
	}
	printf("%*s", width + 1, buf);
}

static void address(unsigned long long a)
{
	switch (radix) {
	case 'o': printf("%07llo", a); break;
	case 'd': printf("%07llu", a); break;
	case 'x': printf("%06llx", a); break;
	}
}

int main(int argc, char **argv)
{
	prog = "od";
	long long skip = 0, count = -1;
	int width = 16, verbose = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (strchr("AtjNw", *p)) {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v && *p != 'w') { warnx("option requires an argument -- '%c'", *p); fputs("Try 'od --help' for more information.\n", stderr); return 1; }
				if (*p == 'A') {
					if (!strchr("odxn", v[0]) || v[1]) { warnx("invalid output address radix '%s'; it must be one character from [doxn]", v); return 1; }
					radix = v[0];
				} else if (*p == 't') { if (add_type(v) < 0) return 1; }
				else if (*p == 'j') skip = strtoll(v, NULL, 0);
				else if (*p == 'N') count = strtoll(v, NULL, 0);
				else width = v ? atoi(v) : 32;
				break;
			}
			switch (*p) {
			case 'b': add_type("o1"); break;
			case 'c': add_type("c"); break;
			case 'd': add_type("u2"); break;
			case 'o': add_type("o2"); break;
			case 'x': add_type("x2"); break;
			case 'v': verbose = 1; break;
			default: warnx("invalid option -- '%c'", *p); fputs("Try 'od --help' for more information.\n", stderr); return 1;
			}
		}
	}
	if (!ntypes) add_type("o2");
	int maxsize = 1, fw = 0;
	for (int q = 0; q < ntypes; q++) {
		if (types[q].size > maxsize) maxsize = types[q].size;
	}
	/* With several types, each byte gets the same room in every line. */
	for (int q = 0; q < ntypes; q++) {
		int per_byte = (types[q].width + 1 + types[q].size - 1) / types[q].size;
		if (per_byte > fw) fw = per_byte;
	}
	if (width <= 0 || width % maxsize) width = 16;
	size_t n;
	int status = 0;
	unsigned char *data = read_inputs(argv + k, argc - k, &n, &status);
	size_t start = (size_t)(skip < (long long)n ? skip : (long long)n);
	size_t end = count >= 0 && start + (size_t)count < n ? start + (size_t)count : n;
	unsigned char *line = malloc((size_t)width);
	int starred = 0;
	for (size_t off = start; off < end; off += (size_t)width) {
		size_t len = end - off < (size_t)width ? end - off : (size_t)width;
		if (!verbose && off > start && len == (size_t)width && !memcmp(data + off, data + off - width, (size_t)width)) {
			if (!starred) { puts("*"); starred = 1; }
			continue;
		}
		starred = 0;
		memset(line, 0, (size_t)width);
		memcpy(line, data + off, len);
		for (int q = 0; q < ntypes; q++) {
			if (q == 0) { if (radix != 'n') address(off); }
			else if (radix != 'n') printf("%*s", radix == 'x' ? 6 : 7, "");
			int sz = types[q].size;
			int w = ntypes > 1 ? fw * sz - 1 : types[q].width;
			for (size_t b = 0; b < len; b += (size_t)sz) field(&types[q], line + b, w);
			if (types[q].text) {
				/* z: the bytes as text after the line, padded to the full width. */
				for (size_t b = len; b < (size_t)width; b += (size_t)sz) printf("%*s", w + 1, "");
				printf("  >");
				for (size_t b = 0; b < len; b++) putchar(line[b] >= 32 && line[b] < 127 ? line[b] : '.');
				putchar('<');
			}
			putchar('\n');
		}
	}
	if (radix != 'n') { address(end); putchar('\n'); }
	return status;
}

/* hexdump [-C | -b | -c | -d | -o | -x] [-n LENGTH] [-s OFFSET] [-v] [FILE...]: the
 * util-linux formats people use: the default two-byte words, and -C (hex bytes
 * with the text beside them). */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	prog = "hexdump";
	char fmt = 'w';
	long long skip = 0, length = -1;
	int verbose = 0, k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'n' || *p == 's') {
				const char *v = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!v) { warnx("option requires an argument -- '%c'", *p); return 1; }
				if (*p == 'n') length = strtoll(v, NULL, 0); else skip = strtoll(v, NULL, 0);
				break;
			}
			if (strchr("Cbcdox", *p)) fmt = *p;
			else if (*p == 'v') verbose = 1;
			else { warnx("invalid option -- '%c'", *p); return 1; }
		}
	}
	size_t n;
	int status = 0;
	unsigned char *data = read_inputs(argv + k, argc - k, &n, &status);
	size_t start = (size_t)skip < n ? (size_t)skip : n;
	size_t end = length >= 0 && start + (size_t)length < n ? start + (size_t)length : n;
	int starred = 0;
	for (size_t off = start; off < end; off += 16) {
		size_t len = end - off < 16 ? end - off : 16;
		if (!verbose && off > start && len == 16 && !memcmp(data + off, data + off - 16, 16)) {
			if (!starred) { puts("*"); starred = 1; }
			continue;
		}
		starred = 0;
		if (fmt == 'C') {
			printf("%08zx ", off);
			for (size_t b = 0; b < 16; b++) {
				if (b == 8) putchar(' ');
				if (b < len) printf(" %02x", data[off + b]); else printf("   ");
			}
			printf("  |");
			for (size_t b = 0; b < len; b++) putchar(data[off + b] >= 32 && data[off + b] < 127 ? data[off + b] : '.');
			puts("|");
			continue;
		}
		printf("%07zx", off);
		if (fmt == 'w' || fmt == 'x' || fmt == 'd' || fmt == 'o') {
			for (size_t b = 0; b < len; b += 2) {
				unsigned v = data[off + b] | (b + 1 < len ? data[off + b + 1] << 8 : 0);
				if (fmt == 'w') printf(" %04x", v);
				else if (fmt == 'x') printf("    %04x", v);
				else if (fmt == 'd') printf("   %05u", v);
				else printf("  %06o", v);
			}
			/* A short last line is padded to the full width, as util-linux does. */
			int fieldw = fmt == 'w' ? 5 : 8;
			for (size_t b = len + (len & 1); b < 16; b += 2) printf("%*s", fieldw, "");
		} else {
			for (size_t b = 0; b < len; b++) {
				int c = data[off + b];
				if (fmt == 'b') printf(" %03o", c);
				else {
					const char *e = c == 0 ? "\\0" : c == 7 ? "\\a" : c == 8 ? "\\b" : c == 12 ? "\\f" : c == 10 ? "\\n"
						: c == 13 ? "\\r" : c == 9 ? "\\t" : c == 11 ? "\\v" : NULL;
					if (e) printf("  %s", e);
					else if (c >= 32 && c < 127) printf("   %c", c);
					else printf(" %03o", c);
				}
			}
		}
		putchar('\n');
	}
	if (end > start) printf(fmt == 'C' ? "%08zx\n" : "%07zx\n", end);
	return status;
}

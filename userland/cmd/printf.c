/*
 * printf FORMAT [ARG...]: formatted output, as the shell builtin and as the
 * program (XCU printf, with GNU's messages).  The format is reused while
 * arguments remain; %b prints an argument with echo -e's escapes; a numeric
 * argument may be 'c for the code of character c.
 */
#include "common.h"
#include "shtools.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int status;

/* One backslash escape at *pp (just after the backslash): the byte, or -1 for
 * \c; *pp moves past it.  In %b (and echo -e) octal escapes are \0NNN, in a
 * format \NNN.  An unknown escape yields the backslash itself. */
static int escape(const char **pp, int bmode)
{
	const char *p = *pp;
	int c = (unsigned char)*p++;
	int v = 0;
	switch (c) {
	case 'a': v = 7; break;
	case 'b': v = 8; break;
	case 'e': v = 27; break;
	case 'f': v = 12; break;
	case 'n': v = 10; break;
	case 'r': v = 13; break;
	case 't': v = 9; break;
	case 'v': v = 11; break;
	case '\\': v = '\\'; break;
	case 'c': *pp = p; return -1;
	case 'x': {
		int n = 0;
		while (n < 2 && ((*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'f'))) {
			v = v * 16 + (*p <= '9' ? *p - '0' : (*p | 32) - 'a' + 10);
			p++;
			n++;
		}
		if (n) break;
		*pp = p - 1;
		return '\\';
	}
	default:
		if (bmode ? c == '0' : (c >= '0' && c <= '7')) {
			v = bmode ? 0 : c - '0';
			for (int n = 0; n < (bmode ? 3 : 2) && *p >= '0' && *p <= '7'; n++) v = v * 8 + (*p++ - '0');
			v &= 255;
			break;
		}
		*pp = p - 1;
		return '\\';
	}
	*pp = p;
	return v;
}

int print_escapes(const char *s, FILE *f)
{
	for (const char *p = s; *p; p++) {
		if (*p != '\\' || !p[1]) { fputc(*p, f); continue; }
		p++;
		int c = escape(&p, 1);
		if (c < 0) return 1;
		fputc(c, f);
		p--;
	}
	return 0;
}

static void bad_value(const char *arg, const char *what)
{
	fflush(stdout);
	fprintf(stderr, "%s: '%s': %s\n", prog, arg, what);
	status = 1;
}

static long long num_arg(const char *a)
{
	if (!a) return 0;
	if (a[0] == '\'' || a[0] == '"') return (unsigned char)a[1];
	char *end;
	errno = 0;
	long long v = strtoll(a, &end, 0);
	if (errno == ERANGE) {
		unsigned long long u = strtoull(a, &end, 0);
		if (errno == ERANGE || a[0] == '-') { bad_value(a, "Numerical result out of range"); return v; }
		v = (long long)u;
	}
	if (end == a) { bad_value(a, "expected a numeric value"); return 0; }
	if (*end) { bad_value(a, "value not completely converted"); }
	return v;
}

static double float_arg(const char *a)
{
	if (!a) return 0;
	if (a[0] == '\'' || a[0] == '"') return (unsigned char)a[1];
	char *end;
	double v = strtod(a, &end);
	if (end == a) { bad_value(a, "expected a numeric value"); return 0; }
	if (*end) bad_value(a, "value not completely converted");
	return v;
}

int printf_main(int argc, char **argv)
{
	status = 0;
	int k = 1;
	if (k < argc && !strcmp(argv[k], "--")) k++;
	if (k >= argc) {
		fflush(stdout);
		fprintf(stderr, "%s: missing operand\n", prog);
		return 1;
	}
	const char *fmt = argv[k++];
	int used;
	do {
		used = 0;
		for (const char *p = fmt; *p; p++) {
			if (*p == '\\') {
				p++;
				if (!*p) { putchar('\\'); break; }
				int c = escape(&p, 0);
				if (c < 0) goto stop;
				putchar(c);
				p--;
				continue;
			}
			if (*p != '%') { putchar(*p); continue; }
			if (p[1] == '%') { putchar('%'); p++; continue; }
			/* A conversion: flags, width, precision, then the letter. */
			char spec[64];
			int n = 0;
			spec[n++] = '%';
			p++;
			while (*p && strchr("-+ #0'", *p) && n < 40) { if (*p != '\'') spec[n++] = *p; p++; }
			int width = 0, have_width = 0, prec = 0, have_prec = 0;
			if (*p == '*') {
				const char *a = k < argc ? argv[k++] : NULL;
				used = 1;
				width = (int)num_arg(a);
				have_width = 1;
				p++;
			} else while (*p >= '0' && *p <= '9' && n < 50) spec[n++] = *p++;
			if (*p == '.') {
				spec[n++] = '.';
				p++;
				if (*p == '*') {
					const char *a = k < argc ? argv[k++] : NULL;
					used = 1;
					prec = (int)num_arg(a);
					have_prec = 1;
					p++;
				} else while (*p >= '0' && *p <= '9' && n < 58) spec[n++] = *p++;
			}
			while (*p && strchr("hlLqjzt", *p)) p++;
			char conv = *p;
			if (!conv) {
				fflush(stdout);
				fprintf(stderr, "%s: %%%s: invalid conversion specification\n", prog, "");
				return 1;
			}
			const char *a = k < argc ? argv[k++] : NULL;
			if (a) used = 1;
			/* Splice a '*' width or precision back in as numbers. */
			char full[96];
			if (have_width || have_prec) {
				int q = 0, s = 0;
				full[q++] = '%';
				for (s = 1; s < n && spec[s] != '.' && !(spec[s] >= '1' && spec[s] <= '9'); s++) full[q++] = spec[s];
				if (have_width) q += snprintf(full + q, sizeof full - q, "%d", width);
				else while (s < n && spec[s] != '.') full[q++] = spec[s++];
				while (s < n && spec[s] != '.') s++;
				if (s < n && spec[s] == '.') {
					full[q++] = '.';
					s++;
					if (have_prec) q += snprintf(full + q, sizeof full - q, "%d", prec);
					else while (s < n) full[q++] = spec[s++];
				}
				full[q] = 0;
			} else {
				memcpy(full, spec, n);
				full[n] = 0;
			}
			size_t fl = strlen(full);
			switch (conv) {
			case 'd': case 'i':
				strcpy(full + fl, "lld");
				printf(full, num_arg(a));
				break;
			case 'o': case 'u': case 'x': case 'X':
				full[fl] = 'l'; full[fl + 1] = 'l'; full[fl + 2] = conv; full[fl + 3] = 0;
				printf(full, (unsigned long long)num_arg(a));
				break;
			case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
				full[fl] = conv; full[fl + 1] = 0;
				printf(full, float_arg(a));
				break;
			case 'c':
				full[fl] = 'c'; full[fl + 1] = 0;
				printf(full, a ? a[0] : 0);
				break;
			case 's':
				full[fl] = 's'; full[fl + 1] = 0;
				printf(full, a ? a : "");
				break;
			case 'b': {
				/* Expand escapes first, then honour width and precision as %s does. */
				char *buf = NULL;
				size_t len = 0;
				FILE *m = open_memstream(&buf, &len);
				int stop = m ? print_escapes(a ? a : "", m) : 0;
				if (m) fclose(m);
				full[fl] = 's'; full[fl + 1] = 0;
				printf(full, buf ? buf : "");
				free(buf);
				if (stop) goto stop;
				break;
			}
			default:
				fflush(stdout);
				fprintf(stderr, "%s: %%%c: invalid conversion specification\n", prog, conv);
				return 1;
			}
		}
	} while (used && k < argc);
stop:
	return status;
}

/* chmod modes: octal, or symbolic clauses [ugoa]*[+-=][rwxXst]* separated by
 * commas (coreutils' chmod(1) rules), shared by chmod and the shell's umask. */
#include "shtools.h"
#include <string.h>
#include <sys/stat.h>

mode_t parse_mode(const char *s, mode_t old, int isdir, int use_umask)
{
	if (*s >= '0' && *s <= '7') {
		mode_t m = 0;
		for (const char *p = s; *p; p++) {
			if (*p < '0' || *p > '7') return (mode_t)-1;
			m = m * 8 + (mode_t)(*p - '0');
			if (m > 07777) return (mode_t)-1;
		}
		return m;
	}
	mode_t mask = 0;
	if (use_umask) { mask = umask(0); umask(mask); }
	mode_t m = old & 07777;
	const char *p = s;
	for (;;) {
		mode_t who = 0;
		for (; *p && strchr("ugoa", *p); p++)
			who |= *p == 'u' ? 04700 : *p == 'g' ? 02070 : *p == 'o' ? 01007 : 07777;
		int explicit_who = who != 0;
		if (!who) who = 07777;
		if (*p != '+' && *p != '-' && *p != '=') return (mode_t)-1;
		while (*p == '+' || *p == '-' || *p == '=') {
			char op = *p++;
			mode_t bits = 0;
			if (*p && strchr("ugo", *p)) {
				/* Copy another class's bits: g=u, o+g ... */
				mode_t src = *p == 'u' ? (m >> 6) & 7 : *p == 'g' ? (m >> 3) & 7 : m & 7;
				bits = src << 6 | src << 3 | src;
				p++;
			} else {
				for (; *p && strchr("rwxXst", *p); p++) {
					switch (*p) {
					case 'r': bits |= 0444; break;
					case 'w': bits |= 0222; break;
					case 'x': bits |= 0111; break;
					case 'X': if (isdir || (old & 0111)) bits |= 0111; break;
					case 's': bits |= 06000; break;
					case 't': bits |= 01000; break;
					}
				}
			}
			bits &= who;
			if (!explicit_who) bits &= ~mask;
			if (op == '+') m |= bits;
			else if (op == '-') m &= ~bits;
			else {
				mode_t clear = who & 0777;
				if (explicit_who) clear = who & 07777 & ~(isdir ? 06000 : 0);
				m = (m & ~clear) | bits;
			}
		}
		if (!*p) break;
		if (*p != ',') return (mode_t)-1;
		p++;
	}
	return m;
}

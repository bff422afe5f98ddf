/* stat [-c FORMAT] [-L] FILE...: file status in coreutils' layout, or by format
 * (%n %N %s %b %B %a %A %f %F %u %U %g %G %h %i %d %D %t %T %o %x %y %z %w %X %Y %Z %W %%). */
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static const char *type_name(mode_t m, off_t size)
{
	if (S_ISREG(m)) return size ? "regular file" : "regular empty file";
	if (S_ISDIR(m)) return "directory";
	if (S_ISCHR(m)) return "character special file";
	if (S_ISBLK(m)) return "block special file";
	if (S_ISFIFO(m)) return "fifo";
	if (S_ISLNK(m)) return "symbolic link";
	if (S_ISSOCK(m)) return "socket";
	return "weird file";
}

static void mode_text(mode_t m, char *s)
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int k = 0; k < 9; k++) s[k + 1] = m & (0400 >> k) ? rwx[k] : '-';
	if (m & S_ISUID) s[3] = m & S_IXUSR ? 's' : 'S';
	if (m & S_ISGID) s[6] = m & S_IXGRP ? 's' : 'S';
	if (m & S_ISVTX) s[9] = m & S_IXOTH ? 't' : 'T';
	s[10] = 0;
}

static void timestr(const struct timespec *ts, char *buf, size_t n)
{
	struct tm t;
	time_t s = ts->tv_sec;
	localtime_r(&s, &t);
	char a[64], z[16];
	strftime(a, sizeof a, "%Y-%m-%d %H:%M:%S", &t);
	strftime(z, sizeof z, "%z", &t);
	snprintf(buf, n, "%s.%09ld %s", a, ts->tv_nsec, z);
}

/* A symbolic link's target, as %N and the default layout show it after " -> ". */
static void link_target(const char *name, const struct stat *st, const char *quote)
{
	char target[4096];
	ssize_t n;
	if (!S_ISLNK(st->st_mode) || (n = readlink(name, target, sizeof target - 1)) < 0) return;
	target[n] = 0;
	printf(" -> %s%s%s", quote, target, quote);
}

static void format(const char *fmt, const char *name, const struct stat *st)
{
	char buf[256], u[64], g[64];
	for (const char *p = fmt; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			putchar(*p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
			continue;
		}
		if (*p != '%' || !p[1]) { putchar(*p); continue; }
		switch (*++p) {
		case 'n': fputs(name, stdout); break;
		case 'N': printf("'%s'", name); link_target(name, st, "'"); break;
		case 's': printf("%lld", (long long)st->st_size); break;
		case 'b': printf("%lld", (long long)st->st_blocks); break;
		case 'B': printf("512"); break;
		case 'o': printf("%ld", (long)st->st_blksize); break;
		case 'a': printf("%o", (unsigned)(st->st_mode & 07777)); break;
		case 'A': mode_text(st->st_mode, buf); fputs(buf, stdout); break;
		case 'f': printf("%x", (unsigned)st->st_mode); break;
		case 'F': fputs(type_name(st->st_mode, st->st_size), stdout); break;
		case 'u': printf("%u", (unsigned)st->st_uid); break;
		case 'U': fputs(user_name(st->st_uid, u, sizeof u), stdout); break;
		case 'g': printf("%u", (unsigned)st->st_gid); break;
		case 'G': fputs(group_name(st->st_gid, g, sizeof g), stdout); break;
		case 'h': printf("%lu", (unsigned long)st->st_nlink); break;
		case 'i': printf("%lu", (unsigned long)st->st_ino); break;
		case 'd': printf("%lu", (unsigned long)st->st_dev); break;
		case 'D': printf("%lx", (unsigned long)st->st_dev); break;
		case 't': printf("%x", major(st->st_rdev)); break;
		case 'T': printf("%x", minor(st->st_rdev)); break;
		case 'x': timestr(&st->st_atim, buf, sizeof buf); fputs(buf, stdout); break;
		case 'y': timestr(&st->st_mtim, buf, sizeof buf); fputs(buf, stdout); break;
		case 'z': timestr(&st->st_ctim, buf, sizeof buf); fputs(buf, stdout); break;
		case 'w': fputs("-", stdout); break;
		case 'X': printf("%lld", (long long)st->st_atime); break;
		case 'Y': printf("%lld", (long long)st->st_mtime); break;
		case 'Z': printf("%lld", (long long)st->st_ctime); break;
		case 'W': fputs("0", stdout); break;
		case '%': putchar('%'); break;
		default: putchar('%'); putchar(*p);
		}
	}
}

int main(int argc, char **argv)
{
	prog = "stat";
	const char *fmt = NULL;
	int deref = 0, terse = 0, k = 1, status = 0, newline = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strncmp(argv[k], "--format=", 9)) { fmt = argv[k] + 9; continue; }
		if (!strncmp(argv[k], "--printf=", 9)) { fmt = argv[k] + 9; newline = 0; continue; }
		for (char *p = argv[k] + 1; *p; p++) {
			if (*p == 'L') deref = 1;
			else if (*p == 't') terse = 1;
			else if (*p == 'c') {
				fmt = p[1] ? p + 1 : k + 1 < argc ? argv[++k] : NULL;
				if (!fmt) { warnx("option requires an argument -- 'c'"); return 1; }
				break;
			} else { warnx("invalid option -- '%c'", *p); fputs("Try 'stat --help' for more information.\n", stderr); return 1; }
		}
	}
	if (k >= argc) { warnx("missing operand"); fputs("Try 'stat --help' for more information.\n", stderr); return 1; }
	for (; k < argc; k++) {
		struct stat st;
		if ((deref ? stat(argv[k], &st) : lstat(argv[k], &st)) < 0) {
			warnx("cannot statx '%s': %s", argv[k], strerror(errno));
			status = 1;
			continue;
		}
		if (fmt) { format(fmt, argv[k], &st); if (newline) putchar('\n'); continue; }
		if (terse) { format("%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o", argv[k], &st); putchar('\n'); continue; }
		format("  File: %n", argv[k], &st);
		link_target(argv[k], &st, "");
		format("\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o ", argv[k], &st);
		format("%F\n", argv[k], &st);
		char dev[32];
		snprintf(dev, sizeof dev, "%u,%u", major(st.st_dev), minor(st.st_dev));
		printf("Device: %-10s\tInode: %-11lu Links: %lu", dev, (unsigned long)st.st_ino, (unsigned long)st.st_nlink);
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) printf("     Device type: %u,%u", major(st.st_rdev), minor(st.st_rdev));
		putchar('\n');
		char u[64], g[64], m[11];
		mode_text(st.st_mode, m);
		printf("Access: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n", (unsigned)(st.st_mode & 07777), m,
		       (unsigned)st.st_uid, user_name(st.st_uid, u, sizeof u), (unsigned)st.st_gid, group_name(st.st_gid, g, sizeof g));
		format("Access: %x\nModify: %y\nChange: %z\n Birth: -\n", argv[k], &st);
	}
	return status;
}

/*
 * mount [-t TYPE] [-o OPTIONS] [-r|-w] SOURCE TARGET: attach a filesystem.
 * mount [-l] [-t TYPE]: list what is mounted, from /proc/mounts, as
 * "SOURCE on TARGET type TYPE (OPTIONS)".
 *
 * Options and messages are util-linux's: the options that are mount flags
 * become flags, the rest go to the filesystem as its data string; a failed
 * mount(2) is explained in one line naming the target, exit status 32.
 * Without -t, each type of /proc/filesystems not marked "nodev" is tried in
 * turn, as libmount does when it cannot probe the source.
 */
#include "common.h"
#include "errtext.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define EX_USAGE  1              /* util-linux's MNT_EX_USAGE, _SYSERR, _FAIL */
#define EX_SYSERR 2
#define EX_FAIL   32

static const struct { const char *name; unsigned long set, clear; } flag_options[] = {
	{ "ro", MS_RDONLY, 0 },       { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 },   { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },     { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },   { "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
	{ "noatime", MS_NOATIME, 0 }, { "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
	{ "relatime", MS_RELATIME, 0 }, { "norelatime", 0, MS_RELATIME },
	{ "dirsync", MS_DIRSYNC, 0 }, { "remount", MS_REMOUNT, 0 },
	{ "bind", MS_BIND, 0 },       { "defaults", 0, 0 },
};

/* /proc/mounts writes a space in a name as \040 (and tab, newline, backslash alike). */
static void unescape(char *s)
{
	char *out = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7'
		    && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = 0;
}

static int list(const char *type)
{
	FILE *f = fopen("/proc/mounts", "re");
	if (!f) { warnx("failed to read mtab: %s", linux_strerror(errno)); return EX_SYSERR; }
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		char *src = strtok(line, " \n"), *dir = strtok(NULL, " \n");
		char *fstype = strtok(NULL, " \n"), *opts = strtok(NULL, " \n");
		if (!src || !dir || !fstype) continue;
		if (type && strcmp(type, fstype)) continue;
		unescape(src);
		unescape(dir);
		printf("%s on %s type %s (%s)\n", src, dir, fstype, opts ? opts : "rw");
	}
	fclose(f);
	return 0;
}

/* Splits OPTIONS into mount flags and the data string for the filesystem. */
static void parse_options(char *opts, unsigned long *flags, char *data, size_t n)
{
	for (char *o; (o = strsep(&opts, ","));) {
		if (!*o) continue;
		size_t i = 0, count = sizeof flag_options / sizeof flag_options[0];
		while (i < count && strcmp(o, flag_options[i].name)) i++;
		if (i < count) {
			*flags = (*flags | flag_options[i].set) & ~flag_options[i].clear;
		} else {
			size_t used = strlen(data);
			snprintf(data + used, n - used, "%s%s", used ? "," : "", o);
		}
	}
}

/* util-linux's one-line explanation of mount(2) failing with e. */
static void explain(int e, const char *src, const char *tgt, const char *type, unsigned long flags)
{
	struct stat st;
	char why[512];
	switch (e) {
	case EPERM:
		if (geteuid() != 0) snprintf(why, sizeof why, "must be superuser to use mount");
		else if (stat(tgt, &st) == 0 && (S_ISDIR(st.st_mode) || (flags & MS_BIND && S_ISREG(st.st_mode))))
			snprintf(why, sizeof why, "permission denied");
		else snprintf(why, sizeof why, "mount point is not a directory");
		break;
	case EBUSY:
		if (flags & MS_REMOUNT) snprintf(why, sizeof why, "mount point is busy");
		else snprintf(why, sizeof why, "%s already mounted or mount point busy", src);
		break;
	case ENOENT:
		if (lstat(tgt, &st)) snprintf(why, sizeof why, "mount point does not exist");
		else if (stat(tgt, &st)) snprintf(why, sizeof why, "mount point is a symbolic link to nowhere");
		else if (stat(src, &st)) snprintf(why, sizeof why, "special device %s does not exist", src);
		else snprintf(why, sizeof why, "mount(2) system call failed: %s", linux_strerror(e));
		break;
	case ENOTDIR:
		if (stat(tgt, &st) || !S_ISDIR(st.st_mode)) snprintf(why, sizeof why, "mount point is not a directory");
		else if (stat(src, &st))
			snprintf(why, sizeof why, "special device %s does not exist (a path prefix is not a directory)", src);
		else snprintf(why, sizeof why, "mount(2) system call failed: %s", linux_strerror(e));
		break;
	case EINVAL:
		if (flags & MS_REMOUNT) snprintf(why, sizeof why, "mount point not mounted or bad option");
		else snprintf(why, sizeof why, "wrong fs type, bad option, bad superblock on %s, "
		              "missing codepage or helper program, or other error", src);
		break;
	case EMFILE: snprintf(why, sizeof why, "mount table full"); break;
	case EIO: snprintf(why, sizeof why, "can't read superblock on %s", src); break;
	case ENODEV:
		if (type) snprintf(why, sizeof why, "unknown filesystem type '%s'", type);
		else snprintf(why, sizeof why, "unknown filesystem type");
		break;
	case ENOTBLK:
		if (stat(src, &st)) snprintf(why, sizeof why, "%s is not a block device, and stat(2) fails?", src);
		else if (S_ISBLK(st.st_mode))
			snprintf(why, sizeof why, "the kernel does not recognize %s as a block device; "
			         "maybe \"modprobe driver\" is necessary", src);
		else if (S_ISREG(st.st_mode)) snprintf(why, sizeof why, "%s is not a block device; try \"-o loop\"", src);
		else snprintf(why, sizeof why, "%s is not a block device", src);
		break;
	case ENXIO: snprintf(why, sizeof why, "%s is not a valid block device", src); break;
	case EACCES:
	case EROFS:
		if (flags & MS_RDONLY) snprintf(why, sizeof why, "cannot mount %s read-only", src);
		else if (flags & MS_REMOUNT) snprintf(why, sizeof why, "cannot remount %s read-write, is write-protected", src);
		else if (flags & MS_BIND) snprintf(why, sizeof why, "bind %s failed", src);
		else snprintf(why, sizeof why, "mount(2) system call failed: %s", linux_strerror(e));
		break;
	default:
		snprintf(why, sizeof why, "mount(2) system call failed: %s", linux_strerror(e));
	}
	warnx("%s: %s.", tgt, why);
}

/* Without -t: the kernel's filesystem types that read a device (those
 * /proc/filesystems does not mark "nodev"), in order, until one takes the
 * source.  0; -1 with *err from the last try; -2 if there was none to try. */
static int mount_any(const char *src, const char *tgt, unsigned long flags, const char *data, int *err)
{
	FILE *f = fopen("/proc/filesystems", "re");
	char line[128];
	int tried = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (!strncmp(line, "nodev", 5)) continue;
		char *type = strtok(line, " \t\n");
		if (!type) continue;
		tried = 1;
		if (mount(src, tgt, type, flags, data) == 0) { fclose(f); return 0; }
		*err = errno;
		if (*err != EINVAL && *err != ENODEV) break;
	}
	if (f) fclose(f);
	return tried ? -1 : -2;
}

int main(int argc, char **argv)
{
	prog = "mount";
	const char *type = NULL;
	char opts[512] = "", data[512] = "";
	unsigned long flags = 0;
	int k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "--")) { k++; break; }
		if (!strcmp(a, "-t") || !strcmp(a, "-o") || !strcmp(a, "--types") || !strcmp(a, "--options")) {
			if (k + 1 == argc) {
				fprintf(stderr, "%s: option requires an argument -- '%c'\n", prog, a[1] == '-' ? a[2] : a[1]);
				fprintf(stderr, "Try 'mount --help' for more information.\n");
				return EX_USAGE;
			}
			if (a[1] == 't' || a[2] == 't') type = argv[++k];
			else snprintf(opts + strlen(opts), sizeof opts - strlen(opts), "%s%s", *opts ? "," : "", argv[++k]);
		} else if (!strcmp(a, "-r") || !strcmp(a, "--read-only")) {
			snprintf(opts + strlen(opts), sizeof opts - strlen(opts), "%sro", *opts ? "," : "");
		} else if (!strcmp(a, "-w") || !strcmp(a, "--rw") || !strcmp(a, "--read-write")) {
			snprintf(opts + strlen(opts), sizeof opts - strlen(opts), "%srw", *opts ? "," : "");
		} else if (strcmp(a, "-l") && strcmp(a, "--show-labels")) {
			fprintf(stderr, "%s: invalid option -- '%s'\n", prog, a + 1);
			fprintf(stderr, "Try 'mount --help' for more information.\n");
			return EX_USAGE;
		}
	}
	int nargs = argc - k;
	if (nargs == 0) return list(type);
	if (nargs == 1) { warnx("%s: can't find in /etc/fstab.", argv[k]); return EX_USAGE; }
	if (nargs > 2) { fprintf(stderr, "mount: bad usage\nTry 'mount --help' for more information.\n"); return EX_USAGE; }

	const char *src = argv[k], *tgt = argv[k + 1];
	parse_options(opts, &flags, data, sizeof data);
	const char *d = *data ? data : NULL;
	int err = 0;
	if (type) {
		if (mount(src, tgt, type, flags, d) == 0) return 0;
		err = errno;
	} else {
		int r = mount_any(src, tgt, flags, d, &err);
		if (r == 0) return 0;
		if (r == -2) { warnx("%s: no valid filesystem type specified.", tgt); return EX_USAGE; }
	}
	explain(err, src, tgt, type, flags);
	return EX_FAIL;
}

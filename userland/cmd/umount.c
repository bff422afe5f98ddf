/* umount [-f] [-l] TARGET...: detach filesystems with umount2(2), flags 0
 * (MNT_FORCE with -f, MNT_DETACH with -l); failures are explained in
 * util-linux's words, exit status 32. */
#include "common.h"
#include "errtext.h"
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

static const char *why(int e)
{
	switch (e) {
	case ENXIO: return "invalid block device";
	case EINVAL: return "not mounted";
	case EIO: return "can't write superblock";
	case EBUSY: return "target is busy";
	case ENOENT: return "no mount point specified";
	case EPERM: return "must be superuser to unmount";
	case EACCES: return "block devices are not permitted on filesystem";
	default: return NULL;
	}
}

int main(int argc, char **argv)
{
	prog = "umount";
	int flags = 0, k = 1, status = 0;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (!strcmp(argv[k], "--")) { k++; break; }
		if (!strcmp(argv[k], "-f") || !strcmp(argv[k], "--force")) flags |= MNT_FORCE;
		else if (!strcmp(argv[k], "-l") || !strcmp(argv[k], "--lazy")) flags |= MNT_DETACH;
		else {
			fprintf(stderr, "%s: invalid option -- '%s'\n", prog, argv[k] + 1);
			fprintf(stderr, "Try 'umount --help' for more information.\n");
			return 1;
		}
	}
	if (k >= argc) {
		fprintf(stderr, "umount: bad usage\nTry 'umount --help' for more information.\n");
		return 1;
	}
	for (; k < argc; k++) {
		if (umount2(argv[k], flags) == 0) continue;
		int e = errno;
		if (why(e)) warnx("%s: %s.", argv[k], why(e));
		else warnx("%s: umount(2) system call failed: %s.", argv[k], linux_strerror(e));
		status = 32;
	}
	return status;
}

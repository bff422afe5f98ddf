/* id: print uid=N(name) gid=N(name) groups=... of the current process. */
#include "common.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void one(const char *label, unsigned id, int isgroup)
{
	char buf[64];
	const char *n = isgroup ? group_name(id, buf, sizeof buf) : user_name(id, buf, sizeof buf);
	printf("%s%u", label, id);
	/* user_name() falls back to the number itself: show a name only if known */
	char num[32];
	snprintf(num, sizeof num, "%u", id);
	if (strcmp(n, num)) printf("(%s)", n);
}

int main(void)
{
	prog = "id";
	uid_t uid = getuid(), euid = geteuid();
	gid_t gid = getgid(), egid = getegid();
	one("uid=", uid, 0);
	one(" gid=", gid, 1);
	if (euid != uid) one(" euid=", euid, 0);
	if (egid != gid) one(" egid=", egid, 1);
	gid_t groups[64];
	int n = getgroups(64, groups);
	if (n <= 0) { groups[0] = gid; n = 1; }
	for (int k = 0; k < n; k++) one(k ? "," : " groups=", groups[k], 1);
	putchar('\n');
	return 0;
}

/* whoami: print the effective user's name. */
#include "common.h"
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char buf[64];
	prog = "whoami";
	puts(user_name(geteuid(), buf, sizeof buf));
	return 0;
}

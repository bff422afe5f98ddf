/* yes [STRING...]: print "y" (or the arguments) forever. */
#include "common.h"
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[8192];
	size_t len = 0;
	prog = "yes";
	if (argc < 2) { buf[0] = 'y'; buf[1] = '\n'; len = 2; }
	else {
		for (int k = 1; k < argc; k++) {
			size_t l = strlen(argv[k]);
			if (len + l + 1 > sizeof buf / 2) { l = sizeof buf / 2 - len - 1; }
			memcpy(buf + len, argv[k], l);
			len += l;
			buf[len++] = k + 1 < argc ? ' ' : '\n';
			if (len >= sizeof buf / 2 - 1) break;
		}
	}
	/* fill the buffer with whole copies for fewer writes */
	size_t one = len;
	while (len + one <= sizeof buf) { memcpy(buf + len, buf, one); len += one; }
	for (;;)
		if (write_all(1, buf, len) < 0) { warnerr("standard output"); return 1; }
}

/* dmesg: print the kernel log (syslog(2) action 3, read all). */
#include "common.h"
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	prog = "dmesg";
	long size = syscall(SYS_syslog, 10, NULL, 0);   /* size of the buffer */
	if (size <= 0) size = 1 << 17;
	char *buf = malloc((size_t)size + 1);
	if (!buf) { warnerr("malloc"); return 1; }
	long n = syscall(SYS_syslog, 3, buf, size);
	if (n < 0) { warnerr("read kernel buffer failed"); return 1; }
	/* drop the "<N>" priority prefix at the start of each line */
	long o = 0;
	for (long i = 0; i < n;) {
		if (buf[i] == '<') {
			long j = i + 1;
			while (j < n && buf[j] >= '0' && buf[j] <= '9') j++;
			if (j > i + 1 && j < n && buf[j] == '>') i = j + 1;
		}
		while (i < n && buf[i] != '\n') buf[o++] = buf[i++];
		if (i < n) buf[o++] = buf[i++];
	}
	if (write_all(1, buf, (size_t)o) < 0) { warnerr("write error"); return 1; }
	if (o > 0 && buf[o - 1] != '\n') write_all(1, "\n", 1);
	return 0;
}

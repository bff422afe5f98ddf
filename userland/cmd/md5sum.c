/* md5sum [-c] [FILE...]: MD5 digests, as coreutils prints and checks them. */
#include "common.h"
#include "hashsum.h"

int main(int argc, char **argv)
{
	prog = "md5sum";
	return hashsum_main(argc, argv, 0);
}

/* sha256sum [-c] [FILE...]: SHA-256 digests, as coreutils prints and checks them. */
#include "common.h"
#include "hashsum.h"

int main(int argc, char **argv)
{
	prog = "sha256sum";
	return hashsum_main(argc, argv, 1);
}

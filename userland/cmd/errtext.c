/* glibc's wording for the errors whose musl text differs. */
#include "errtext.h"
#include <errno.h>
#include <string.h>

const char *linux_strerror(int e)
{
	switch (e) {
	case EBUSY: return "Device or resource busy";
	case ENOMEM: return "Cannot allocate memory";
	case EIO: return "Input/output error";
	case ENOTTY: return "Inappropriate ioctl for device";
	case EMFILE: return "Too many open files";
	case ESPIPE: return "Illegal seek";
	case ERANGE: return "Numerical result out of range";
	case EOPNOTSUPP: return "Operation not supported";
	case EOVERFLOW: return "Value too large for defined data type";
	case ENAMETOOLONG: return "File name too long";
	case ELOOP: return "Too many levels of symbolic links";
	case EXDEV: return "Invalid cross-device link";
	case ECHILD: return "No child processes";
	case ETIMEDOUT: return "Connection timed out";
	case ETIME: return "Timer expired";
	default: return strerror(e);
	}
}

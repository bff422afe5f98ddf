package microlith.kernel.uts;

/**
 * What uname(2) reports, and the release every module's version magic must match
 * (Linux's init/version.c and include/generated/utsrelease.h).
 */
public final class Utsname {
    public static final String SYSNAME = "Linux";
    /** The Linux ABI level (glibc and musl parse the release's numbers). */
    public static final String RELEASE = "6.1.0-microlith";
    public static final String VERSION = "0.1.0";
    public static final String MACHINE = "x86_64";

    private Utsname() {
    }

    /** The banner /proc/version and the boot log show. */
    public static String banner() {
        return "microlith version " + VERSION + " (" + RELEASE + ")";
    }
}

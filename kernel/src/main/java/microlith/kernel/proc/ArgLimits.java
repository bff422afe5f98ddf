package microlith.kernel.proc;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What execve may copy onto a new program's stack, as Linux counts it (fs/exec.c): the
 * file name, every environment and argument string with its NUL, and a pointer for each,
 * must fit in a quarter of the 8 MiB stack limit (ARG_MAX, 2 MiB: what {@code getconf
 * ARG_MAX} says); no single string may exceed MAX_ARG_STRLEN. Beyond either, E2BIG.
 */
public final class ArgLimits {
    /** RLIMIT_STACK / 4 with the default 8 MiB stack limit. */
    public static final long ARG_MAX = 2L << 20;
    /** The longest single string, NUL included: 32 pages. */
    public static final int MAX_ARG_STRLEN = 32 * 4096;

    private ArgLimits() {
    }

    /** Whether execve of execfn with argv and envp stays within the limits. */
    public static boolean fits(String execfn, List<String> argv, List<String> envp) {
        long room = ARG_MAX - (long) (Math.max(argv.size(), 1) + envp.size()) * 8;
        room -= size(execfn);
        for (List<String> list : List.of(envp, argv)) {
            for (String s : list) {
                long n = size(s);
                if (n > MAX_ARG_STRLEN) {
                    return false;
                }
                room -= n;
            }
        }
        return room >= 0;
    }

    /** Bytes a string takes on the stack, its NUL included. */
    public static long size(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length + 1L;
    }
}

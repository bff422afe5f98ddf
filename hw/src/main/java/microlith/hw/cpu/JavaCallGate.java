package microlith.hw.cpu;

/**
 * How Java code lives at addresses (DESIGN.md invariant 2, and "Java at CPL 3").
 *
 * <p>The encoding {@code 0F 0A id32} ("KCALL") is undefined on real x86-64. This machine
 * defines it in two places only:
 * <ul>
 *   <li>at CPL 0, when RIP lies inside a text range the gate was given (kernel and module
 *       text): it calls routine {@code id} of the kernel's {@link Routines};</li>
 *   <li>at CPL 3, when the instruction sits in a physical page registered as a server's
 *       text ({@link #registerUserFrame}): it calls routine {@code id} of that server's
 *       routines, still at CPL 3. Everything such a routine does goes through the CPU as
 *       user accesses: memory through the MMU under the current CR3, port I/O through the
 *       TSS I/O bitmap; a CPU exception it raises is delivered as a fault in ring 3 at the
 *       KCALL's address.</li>
 * </ul>
 * Anywhere else it raises #UD, as the byte sequence does on hardware. Server text is
 * keyed by physical frame because every process has its own user half: the same virtual
 * address in another process is other memory. Before the routine runs, RIP already points
 * past the instruction; a routine that wants to continue elsewhere simply sets RIP.
 */
public final class JavaCallGate {
    /** The table of Java routines, supplied by the kernel at hand-off. */
    public interface Routines {
        void call(int id, Cpu cpu);
    }

    private long[] lo = new long[0];
    private long[] hi = new long[0];
    private Routines routines;

    public void install(Routines r) {
        this.routines = r;
    }

    /** Declares [start, end) as text whose KCALLs run Java routines. */
    public void addTextRange(long start, long end) {
        int n = lo.length;
        lo = java.util.Arrays.copyOf(lo, n + 1);
        hi = java.util.Arrays.copyOf(hi, n + 1);
        lo[n] = start;
        hi[n] = end;
    }

    public void removeTextRange(long start) {
        for (int i = 0; i < lo.length; i++) {
            if (lo[i] == start) {
                long[] nl = new long[lo.length - 1];
                long[] nh = new long[hi.length - 1];
                System.arraycopy(lo, 0, nl, 0, i);
                System.arraycopy(lo, i + 1, nl, i, lo.length - i - 1);
                System.arraycopy(hi, 0, nh, 0, i);
                System.arraycopy(hi, i + 1, nh, i, hi.length - i - 1);
                lo = nl;
                hi = nh;
                return;
            }
        }
    }

    boolean inText(long rip) {
        for (int i = 0; i < lo.length; i++) {
            if (Long.compareUnsigned(rip, lo[i]) >= 0 && Long.compareUnsigned(rip, hi[i]) < 0) {
                return true;
            }
        }
        return false;
    }

    private final java.util.HashMap<Long, Routines> userFrames = new java.util.HashMap<>();

    /** Makes KCALLs at CPL 3 in the page at physical frame address pa run routines r. */
    public void registerUserFrame(long pa, Routines r) {
        userFrames.put(pa & ~0xfffL, r);
    }

    public void unregisterUserFrame(long pa) {
        userFrames.remove(pa & ~0xfffL);
    }

    /**
     * The routines of the server text page at physical address pa, or null (never
     * registered, or unregistered when the server died).
     */
    public Routines userRoutines(long pa) {
        return userFrames.isEmpty() ? null : userFrames.get(pa & ~0xfffL);
    }

    void invoke(int id, Cpu cpu) {
        if (routines == null) {
            throw CpuException.ud();
        }
        routines.call(id, cpu);
    }
}

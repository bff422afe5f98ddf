package microlith.hw.cpu;

/**
 * How Java kernel code lives at addresses (DESIGN.md invariant 2).
 *
 * <p>The encoding {@code 0F 0A id32} ("KCALL") is undefined on real x86-64. This machine
 * defines it only at CPL 0 and only when RIP lies inside a text range the gate was given
 * (kernel text, later module text): there it calls routine {@code id} of the installed
 * {@link Routines}. Anywhere else it raises #UD, as the byte sequence does on hardware.
 * Before the routine runs, RIP already points past the instruction; a routine that wants
 * to continue elsewhere (a jump, an exit path) simply sets RIP.
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

    void invoke(int id, Cpu cpu) {
        if (routines == null) {
            throw CpuException.ud();
        }
        routines.call(id, cpu);
    }
}

package microlith.tools.compare;

import java.util.function.LongFunction;

/**
 * One workload of {@code microlith compare}: a shell command line run as init at a given
 * scale n, the same on every model. What one unit of it is (an operation, a round of a
 * script, a copy) and how many units scale n makes are part of the definition, so that
 * the difference between two scales gives the cost of exactly one unit with the set-up
 * (boot, the shell starting, modprobe, mount) subtracted out.
 */
public final class Workload {
    /** Microbenchmarks time one kernel path; macro workloads resemble use; the control does not use the OS. */
    public enum Kind { MICRO, MACRO, CONTROL }

    public final String name;
    public final String title;
    public final Kind kind;
    /** What one unit is ("op", "round", "copy", "hop", "iteration"). */
    public final String unit;
    private final LongFunction<String> script;
    /** Units per step of scale (a context-switch ring of 4 passes the token 4 times per round). */
    final long unitsPerScale;
    /** Scales of the full comparison, and of --quick. */
    final long small;
    final long large;
    final long quickSmall;
    final long quickLarge;
    /** Needs a freshly formatted mlfs disk on the ATA channel. */
    final boolean disk;
    /** The /bin/lat arguments after N for the same operation on the host (--native), or null. */
    final String[] nativeLat;

    private Workload(Builder b) {
        this.name = b.name;
        this.title = b.title;
        this.kind = b.kind;
        this.unit = b.unit;
        this.script = b.script;
        this.unitsPerScale = b.unitsPerScale;
        this.small = b.small;
        this.large = b.large;
        this.quickSmall = b.quickSmall;
        this.quickLarge = b.quickLarge;
        this.disk = b.disk;
        this.nativeLat = b.nativeLat;
    }

    /** The shell command line for scale n. */
    public String script(long n) {
        return script.apply(n);
    }

    long small(boolean quick) {
        return quick ? quickSmall : small;
    }

    long large(boolean quick) {
        return quick ? quickLarge : large;
    }

    static Builder of(String name, Kind kind, String title) {
        return new Builder(name, kind, title);
    }

    /** Fluent definition of a workload (Workloads lists them). */
    static final class Builder {
        private final String name;
        private final Kind kind;
        private final String title;
        private String unit = "op";
        private LongFunction<String> script;
        private long unitsPerScale = 1;
        private long small;
        private long large;
        private long quickSmall;
        private long quickLarge;
        private boolean disk;
        private String[] nativeLat;

        private Builder(String name, Kind kind, String title) {
            this.name = name;
            this.kind = kind;
            this.title = title;
        }

        Builder unit(String u, long perScale) {
            this.unit = u;
            this.unitsPerScale = perScale;
            return this;
        }

        Builder script(LongFunction<String> s) {
            this.script = s;
            return this;
        }

        Builder scales(long smallN, long largeN, long quickSmallN, long quickLargeN) {
            this.small = smallN;
            this.large = largeN;
            this.quickSmall = quickSmallN;
            this.quickLarge = quickLargeN;
            return this;
        }

        Builder disk() {
            this.disk = true;
            return this;
        }

        Builder nativeLat(String... args) {
            this.nativeLat = args;
            return this;
        }

        Workload build() {
            return new Workload(this);
        }
    }
}

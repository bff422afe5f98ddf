package microlith.kernel.module;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import microlith.hw.PerfCounters;

/** What tests in other packages need of the linker: linking, defining and the watchdog. */
public final class ModuleTestAccess {
    /** The watchdog metering the classes defined against each counter set. */
    private static final Map<PerfCounters, Watchdog> DOGS = new IdentityHashMap<>();

    private ModuleTestAccess() {
    }

    /** Links classes as a module's and defines them in a module class loader metered into perf. */
    public static ClassLoader define(Map<String, byte[]> classes, PerfCounters perf) throws Exception {
        ModuleClassLoader l = new ModuleClassLoader("t", ModuleVerifier.link(classes));
        Watchdog w = DOGS.computeIfAbsent(perf, p -> new Watchdog(p, () -> 0));
        l.loadClass(ModuleVerifier.METER).getField("sink").set(null, w);
        return l;
    }

    /** Runs body with the watchdog of perf armed for budget cycles; its Expired comes out as is. */
    public static Object underWatchdog(PerfCounters perf, long budget, Callable<Object> body) throws Exception {
        Watchdog w = DOGS.get(perf);
        w.enter(budget);
        try {
            return body.call();
        } finally {
            w.leave();
        }
    }
}

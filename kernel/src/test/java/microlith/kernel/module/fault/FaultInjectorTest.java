package microlith.kernel.module.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import microlith.hw.PerfCounters;
import microlith.kernel.module.ModuleTestAccess;
import microlith.kernel.module.fixtures.Faultable;
import microlith.module.api.IrqHandler;
import microlith.module.api.ModuleContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each fault type rewrites the bytecode as it says, checked by running the rewritten code:
 * the same methods give the right answers without the fault and the wrong ones with it,
 * the fault's probe counts its activations, and the linker still accepts and meters the
 * result.
 */
class FaultInjectorTest {
    private static final String FAULTABLE = Faultable.class.getName().replace('.', '/');

    private static Map<String, byte[]> classes() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (InputStream in = Faultable.class.getClassLoader().getResourceAsStream(FAULTABLE + ".class")) {
            m.put(FAULTABLE, in.readAllBytes());
        }
        return m;
    }

    /** A loaded copy of Faultable with spec's fault in (or none), its probe counting into hits[0]. */
    private static Class<?> load(FaultSpec spec, List<long[]> calls, long[] hits, PerfCounters perf) throws Exception {
        Map<String, byte[]> cs = classes();
        if (spec != null) {
            FaultInjector.Injected i = FaultInjector.apply(cs, spec);
            assertThat(i).isNotNull();
            assertThat(i.site()).startsWith("Faultable.");
            cs = i.classes();
        }
        ClassLoader l = ModuleTestAccess.define(cs, perf);
        if (spec != null) {
            Class<?> h = l.loadClass(FaultInjector.HELPER);
            h.getField("probe").set(null, (Runnable) () -> hits[0]++);
            h.getField("ctx").set(null, context(calls));
        }
        return l.loadClass(Faultable.class.getName());
    }

    /** A ModuleContext that records {name hash, args...} of every call and answers 0. */
    private static ModuleContext context(List<long[]> calls) {
        return (ModuleContext) Proxy.newProxyInstance(FaultInjectorTest.class.getClassLoader(),
            new Class<?>[] {ModuleContext.class}, (proxy, m, args) -> {
                long[] rec = new long[1 + (args == null ? 0 : args.length)];
                rec[0] = m.getName().hashCode();
                for (int i = 1; i < rec.length; i++) {
                    rec[i] = args[i - 1] instanceof Number ? ((Number) args[i - 1]).longValue() : 0;
                }
                calls.add(rec);
                if (m.getName().equals("requestIrq")) {
                    // Call the handler it was given, as an interrupt would.
                    return ((IrqHandler) args[1]).handle(14);
                }
                if (m.getReturnType() == long.class) {
                    return 0L;
                }
                return m.getReturnType() == int.class ? (Object) 0 : null;
            });
    }

    private static Object call(Class<?> c, String name, Object... args) throws Exception {
        for (Method m : c.getMethods()) {
            if (m.getName().equals(name)) {
                try {
                    return m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof Error) {
                        throw (Error) e.getCause();
                    }
                    throw (Exception) e.getCause();
                }
            }
        }
        throw new AssertionError(name);
    }

    /** The first site of type that lies in method (the class's constructor comes first). */
    private static int firstSiteIn(FaultType type, String method) throws IOException {
        for (int i = 0; ; i++) {
            FaultInjector.Injected at = FaultInjector.apply(classes(), new FaultSpec("m", type, i, 0, 0));
            assertThat(at).as("a %s site in %s", type, method).isNotNull();
            if (at.site().startsWith("Faultable." + method + ",")) {
                return i;
            }
        }
    }

    @Test
    void sitesAreCountedTheSameWayEveryTime() throws IOException {
        Map<FaultType, Integer> census = FaultInjector.census(classes());
        assertThat(census).isEqualTo(FaultInjector.census(classes()));
        assertThat(census.get(FaultType.ARITH)).isEqualTo(1);
        assertThat(census.get(FaultType.BRANCH)).isEqualTo(1);
        assertThat(census.get(FaultType.POINTER)).isEqualTo(1);
        assertThat(census.get(FaultType.IRQACK)).isEqualTo(1);
        assertThat(census.get(FaultType.RETURN)).isEqualTo(5);
        assertThat(census.get(FaultType.WILD)).isGreaterThan(15).isEqualTo(census.get(FaultType.LOOP))
            .isEqualTo(census.get(FaultType.EXCEPTION));
        assertThat(FaultInjector.apply(classes(), new FaultSpec("m", FaultType.BRANCH, 1, 0, 0))).isNull();
    }

    @Test
    void withoutAFaultTheMethodsAreRight() throws Throwable {
        List<long[]> calls = new ArrayList<>();
        Class<?> c = load(null, calls, new long[1], new PerfCounters());
        assertThat(call(c, "add", 2, 3)).isEqualTo(5);
        assertThat(call(c, "max", 5, 3)).isEqualTo(5);
    }

    @Test
    void aWrongArithmeticResultHasABitFlipped() throws Throwable {
        long[] hits = new long[1];
        Class<?> c = load(new FaultSpec("m", FaultType.ARITH, 0, 4, 0), new ArrayList<>(), hits, new PerfCounters());
        assertThat(call(c, "add", 2, 3)).isEqualTo(5 ^ 4);
        assertThat(hits[0]).isEqualTo(1);
    }

    @Test
    void anInvertedBranchGoesTheOtherWay() throws Throwable {
        long[] hits = new long[1];
        Class<?> c = load(new FaultSpec("m", FaultType.BRANCH, 0, 0, 0), new ArrayList<>(), hits, new PerfCounters());
        // if (a > b) return a; return b; with the test inverted returns the smaller.
        assertThat(call(c, "max", 5, 3)).isEqualTo(3);
        assertThat(call(c, "max", 3, 5)).isEqualTo(3);
        assertThat(hits[0]).isEqualTo(2);
    }

    @Test
    void aCorruptedPointerReachesTheMemoryAccess() throws Throwable {
        List<long[]> calls = new ArrayList<>();
        Class<?> c = load(new FaultSpec("m", FaultType.POINTER, 0, 1L << 40, 0), calls, new long[1], new PerfCounters());
        call(c, "peek", context(calls), 0x1000L);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)[0]).isEqualTo("read64".hashCode());
        assertThat(calls.get(0)[1]).isEqualTo(0x1000L ^ 1L << 40);
    }

    @Test
    void aWildWriteWritesItsValueAtItsAddress() throws Throwable {
        List<long[]> calls = new ArrayList<>();
        long[] hits = new long[1];
        Class<?> c = load(new FaultSpec("m", FaultType.WILD, firstSiteIn(FaultType.WILD, "add"), 0xffff888000123458L, 0xdeadbeefL), calls, hits,
            new PerfCounters());
        call(c, "add", 1, 1);
        assertThat(hits[0]).isEqualTo(1);
        assertThat(calls).singleElement().satisfies(r -> {
            assertThat(r[0]).isEqualTo("write64".hashCode());
            assertThat(r[1]).isEqualTo(0xffff888000123458L);
            assertThat(r[2]).isEqualTo(0xdeadbeefL);
        });
    }

    @Test
    void anExceptionIsRaisedWhereTheFaultIs() throws Exception {
        Class<?> c = load(new FaultSpec("m", FaultType.EXCEPTION, firstSiteIn(FaultType.EXCEPTION, "add"), 0, 0), new ArrayList<>(), new long[1],
            new PerfCounters());
        assertThatThrownBy(() -> call(c, "add", 1, 1)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void anEndlessLoopRunsUntilTheWatchdogStopsIt() throws Exception {
        PerfCounters perf = new PerfCounters();
        Class<?> c = load(new FaultSpec("m", FaultType.LOOP, firstSiteIn(FaultType.LOOP, "add"), 0, 0), new ArrayList<>(), new long[1], perf);
        assertThatThrownBy(() -> ModuleTestAccess.underWatchdog(perf, 1_000_000, () -> call(c, "add", 1, 1)))
            .hasMessage("soft lockup");
        assertThat(perf.moduleBytecodes).isGreaterThan(1_000_000);
    }

    @Test
    void aWrongReturnValueHasABitFlipped() throws Throwable {
        Class<?> c = load(new FaultSpec("m", FaultType.RETURN, firstSiteIn(FaultType.RETURN, "add"), 1, 0), new ArrayList<>(), new long[1],
            new PerfCounters());
        assertThat(call(c, "add", 2, 2)).isEqualTo(5);
    }

    @Test
    void aMissedIrqAcknowledgementClaimsTheInterruptWithoutTheDriver() throws Throwable {
        List<long[]> calls = new ArrayList<>();
        long[] hits = new long[1];
        int[] driverRan = new int[1];
        Class<?> c = load(new FaultSpec("m", FaultType.IRQACK, 0, 0, 0), calls, hits, new PerfCounters());
        Object handled = call(c, "claim", context(calls), (IrqHandler) irq -> {
            driverRan[0]++;
            return IrqHandler.IRQ_NONE;
        });
        assertThat(handled).isEqualTo(IrqHandler.IRQ_HANDLED);
        assertThat(driverRan[0]).isZero();
        assertThat(hits[0]).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(FaultType.class)
    void aSpecReadsBackFromItsCommandLineForm(FaultType t) {
        FaultSpec s = new FaultSpec("ata", t, 17, 0xffff888000001000L, 42);
        assertThat(FaultSpec.parse(s.format())).isEqualTo(s);
    }

    @Test
    void malformedSpecsAreRefused() {
        assertThat(FaultSpec.parse("ata:branch:1:0")).isNull();
        assertThat(FaultSpec.parse("ata:frobnicate:1:0:0")).isNull();
        assertThat(FaultSpec.parse("ata:branch:x:0:0")).isNull();
        assertThat(FaultSpec.parse("a/b:branch:1:0:0")).isNull();
    }
}

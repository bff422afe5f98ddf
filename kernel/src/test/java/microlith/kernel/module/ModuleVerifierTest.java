package microlith.kernel.module;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import microlith.hw.PerfCounters;
import microlith.kernel.module.fixtures.Loops;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModuleVerifierTest {
    private static Map<String, byte[]> classes(Class<?>... cs) throws IOException {
        Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        for (Class<?> c : cs) {
            String name = c.getName().replace('.', '/');
            try (InputStream in = c.getClassLoader().getResourceAsStream(name + ".class")) {
                m.put(name, in.readAllBytes());
            }
        }
        return m;
    }

    /** Links, defines in a module class loader with a meter, and returns a new instance. */
    private static Object load(Class<?> c, Watchdog w) throws Exception {
        ModuleClassLoader l = new ModuleClassLoader("t", ModuleVerifier.link(classes(c)));
        l.loadClass(ModuleVerifier.METER).getField("sink").set(null, w);
        return l.loadClass(c.getName()).getConstructor().newInstance();
    }

    @Test
    void ordinaryCodeLinksRunsAndIsCharged() throws Exception {
        PerfCounters perf = new PerfCounters();
        Object o = load(Loops.class, new Watchdog(perf, () -> 0));
        assertThat(o.getClass().getClassLoader()).isInstanceOf(ModuleClassLoader.class);
        ((Runnable) o).run();
        assertThat(o.getClass().getField("total").getLong(o)).isEqualTo(4950 + 5);
        assertThat(perf.moduleBytecodes).isGreaterThan(500);
    }

    @Test
    void chargesAreDeterministic() throws Exception {
        PerfCounters a = new PerfCounters();
        PerfCounters b = new PerfCounters();
        ((Runnable) load(Loops.class, new Watchdog(a, () -> 0))).run();
        ((Runnable) load(Loops.class, new Watchdog(b, () -> 0))).run();
        assertThat(a.moduleBytecodes).isEqualTo(b.moduleBytecodes);
    }

    @Test
    void theWatchdogStopsALoopThatNeverEnds() throws Exception {
        PerfCounters perf = new PerfCounters();
        Watchdog w = new Watchdog(perf, () -> 0);
        Runnable spin = (Runnable) load(microlith.kernel.module.fixtures.Spin.class, w);
        w.enter(1_000_000);
        try {
            assertThatThrownBy(spin::run).isInstanceOf(Watchdog.Expired.class);
        } finally {
            w.leave();
        }
        assertThat(perf.cycles()).isGreaterThan(1_000_000).isLessThan(1_100_000);
    }

    @Test
    void reflectionIsAnUnknownSymbol() {
        assertThatThrownBy(() -> ModuleVerifier.link(classes(microlith.kernel.module.fixtures.Reflect.class)))
            .isInstanceOf(ModuleVerifier.UnknownSymbol.class).hasMessageContaining("java.lang.reflect.Field");
    }

    @Test
    void classForNameIsAnUnknownSymbol() {
        assertThatThrownBy(() -> ModuleVerifier.link(classes(microlith.kernel.module.fixtures.ForName.class)))
            .isInstanceOf(ModuleVerifier.UnknownSymbol.class).hasMessage("java.lang.Class.forName");
    }

    @Test
    void hostFilesAndClocksAreUnknownSymbols() {
        assertThatThrownBy(() -> ModuleVerifier.link(classes(microlith.kernel.module.fixtures.HostFile.class)))
            .hasMessage("java.io.FileInputStream");
        assertThatThrownBy(() -> ModuleVerifier.link(classes(microlith.kernel.module.fixtures.Clock.class)))
            .hasMessage("java.lang.System.nanoTime");
    }

    @Test
    void theLoaderRefusesNamesOutsideTheModuleTheSdkAndJava() throws Exception {
        ModuleClassLoader l = new ModuleClassLoader("t", ModuleVerifier.link(classes(Loops.class)));
        assertThatThrownBy(() -> l.loadClass("microlith.kernel.Kernel")).isInstanceOf(ClassNotFoundException.class);
        assertThat(l.loadClass("microlith.module.api.KernelModule")).isSameAs(microlith.module.api.KernelModule.class);
    }
}

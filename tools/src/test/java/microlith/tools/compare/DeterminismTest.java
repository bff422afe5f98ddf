package microlith.tools.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots in one JVM leave nothing behind for the next: the same workload gives the same
 * output and the same counts, every one of them, whatever ran before it and in which
 * model. The workloads create, write, stat and delete files on ramfs and mlfs and load
 * modules, which exercises inode numbers, file times, the module loader and the disk.
 */
class DeterminismTest {
    @TempDir
    Path scratch;

    private static final String PROBE = "mkdir /tmp/d && echo one > /tmp/d/a && echo two > /tmp/d/b && ls -l /tmp/d"
        + " && cat /proc/uptime && modprobe hello_user && cat /proc/hello_user && rm -r /tmp/d";

    private Runner.Sample run(Workload w, String model) throws Exception {
        Runner.Sample s = new Runner(scratch).run(w, model, false, w.small(true) + 1);
        assertThat(s.failure()).as(model + " " + w.name + ":\n" + s.out()).isNull();
        return s;
    }

    @Test
    void bootsOneAfterAnotherInOneJvmGiveIdenticalCounts() throws Exception {
        Workload probe = Workload.of("probe", Workload.Kind.MACRO, "files, times, modules").script(n -> PROBE)
            .scales(0, 1, 0, 1).build();
        Workload disk = Workloads.named("mlfs");
        List<String> order = List.of("monolithic", "microkernel", "hybrid", "monolithic", "microkernel", "hybrid");
        List<String> seen = new ArrayList<>();
        for (String model : order) {
            Runner.Sample a = run(probe, model);
            Runner.Sample b = run(disk, model);
            seen.add(a.out() + a.perf().summary() + "\n" + b.out() + b.perf().summary());
        }
        for (int i = 0; i < 3; i++) {
            assertThat(seen.get(i + 3)).as(order.get(i) + " booted again").isEqualTo(seen.get(i));
        }
        assertThat(seen.get(0)).contains("hello_add called 1 times: 1", "cycles_core=");
    }
}

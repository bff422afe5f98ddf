package microlith.tools.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import microlith.kernel.Census;
import org.junit.jupiter.api.Test;

/**
 * The fuzzing harness: a short campaign, its figures and checks, and crash reduction. The
 * campaigns run in the OS model the build's surefire execution names (microlith.model),
 * so every build fuzzes all three.
 */
class CampaignTest {
    private static final String MODEL = System.getProperty("microlith.model", "monolithic");

    private static Campaign.Options options(int seed, long calls) {
        Campaign.Options o = new Campaign.Options();
        o.seed = seed;
        o.calls = calls;
        o.batch = 20;
        o.model = MODEL;
        return o;
    }

    /**
     * The short campaign of every build, with the ringbuf module loaded and fuzzed through
     * /dev/ringbuf (a server in the microkernel and hybrid models, as are the root
     * filesystem and the console in the microkernel model): no panic, no Java exception,
     * no hang, no leak, no server death, sound page tables.
     */
    @Test
    void aShortCampaignFindsNothing() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Campaign.Options o = options(7, 12_000);
        o.modules = List.of("ringbuf");
        Campaign c = new Campaign(o, out);
        boolean clean = c.run();
        c.report(out, 0);
        String report = buf.toString(StandardCharsets.UTF_8);
        assertThat(clean).as(report).isTrue();
        assertThat(c.tally.calls).isGreaterThanOrEqualTo(12_000);
        assertThat(c.tally.distinct()).as(report).isGreaterThanOrEqualTo(110);
        assertThat(c.tally.implemented()).as(report).isGreaterThanOrEqualTo(100);
        assertThat(c.tally.outcomes).containsKeys("OK", "EFAULT", "EINVAL", "EBADF", "ENOSYS");
        assertThat(c.tableChecks).isPositive();
        assertThat(report).contains("model " + MODEL, "kernel panics          0", "host exceptions        0",
            "machine hangs          0", "leaks                  0", "server deaths          0");
    }

    /**
     * Reduction, on something every run has: a child killed by SIGSEGV in rt_sigreturn (a
     * frame of garbage). Replayed alone and reduced, it is that one call.
     */
    @Test
    void aChildsDeathReducesToTheOneCallThatCausedIt() throws Exception {
        Campaign.Options o = options(3, 0);
        List<String> args = new ArrayList<>(List.of("-s", "3", "-k", "1000", "-u", "both", "-t", "1000", "-C", "40", "-S"));
        GuestRun.Result r = GuestRun.run(new GuestRun.Setup(o.memory, o.model, o.placements), o.seed, args,
            o.checkEvery, Long.MAX_VALUE, 300);
        Matcher m = Pattern.compile("fuzz: child (\\d+) end pid=\\d+ calls=\\d+ signal=11 in rt_sigreturn").matcher(r.out);
        assertThat(m.find()).as(r.out).isTrue();
        long child = Long.parseLong(m.group(1));
        Campaign c = new Campaign(o, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Campaign.Finding f = new Campaign.Finding();
        f.child = child;
        Predicate<GuestRun.Result> diesInSigreturn = x -> x.out.contains("signal=11 in rt_sigreturn");
        c.reduce(f, diesInSigreturn);
        assertThat(f.reproducible).isTrue();
        assertThat(f.calls).hasSize(1);
        assertThat(f.calls.get(0)).startsWith("rt_sigreturn(");
        assertThat(f.replay).contains("-c " + child + " -C 1 -v").containsPattern("-m \\d+$");
    }

    @Test
    void ddminFindsAOneMinimalSubset() {
        List<Long> all = new ArrayList<>();
        for (long i = 0; i < 100; i++) {
            all.add(i);
        }
        List<Long> found = Campaign.ddmin(all, s -> s.contains(13L) && s.contains(71L));
        assertThat(found).containsExactly(13L, 71L);
    }

    @Test
    void keptCallsTravelAsRanges() {
        assertThat(Campaign.ranges(new TreeSet<>(List.of(1L, 2L, 3L, 7L, 9L, 10L)))).isEqualTo("1-3,7,9-10");
        assertThat(Campaign.ranges(new TreeSet<>(List.of(5L)))).isEqualTo("5");
    }

    @Test
    void aModuleThatWillNotUnloadIsALeak() {
        assertThat(Campaign.moduleTrouble("fuzz: module ringbuf load=0\nfuzz: module ringbuf unload=0\n")).isEmpty();
        assertThat(Campaign.moduleTrouble("x fuzz: module ringbuf unload=-16\n"))
            .containsExactly("module ringbuf: unload=-16 (still in use)");
    }

    @Test
    void leakChecksNameWhatWasLeft() {
        Census ref = new Census(1000, 40, 0, 0, new TreeMap<>(Map.of("ramfs", 512L)), 3, 0);
        assertThat(new Census(1000, 40, 0, 0, new TreeMap<>(Map.of("ramfs", 512L)), 3, 0).differences(ref)).isEmpty();
        // A server's heap that grew holds pages, not leaks them.
        assertThat(new Census(990, 50, 0, 0, new TreeMap<>(Map.of("ramfs", 512L)), 3, 0).differences(ref)).isEmpty();
        assertThat(new Census(996, 40, 64, 1, new TreeMap<>(Map.of("ramfs", 576L)), 4, 1).differences(ref))
            .anyMatch(d -> d.startsWith("4 page(s) leaked")).anyMatch(d -> d.startsWith("kmalloc: 64 bytes"))
            .anyMatch(d -> d.startsWith("servers' heaps: {ramfs=576} bytes")).anyMatch(d -> d.startsWith("4 task(s) left"))
            .anyMatch(d -> d.contains("live timers"));
    }
}

package microlith.tools.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import microlith.hw.CostModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short comparison (a few workloads, quick scales, two models) checked as a reader of
 * the report would check it: the figures against the guest's own RDTSC measurement and
 * against what each model must do, the CSV and JSON parsed, the page self-contained.
 */
class CompareTest {
    @TempDir
    static Path scratch;
    @TempDir
    static Path reportDir;

    private static Comparison c;
    private static String progress;

    /** Lists the servers: fails in the monolithic model, where there are none. */
    private static final Workload SERVERS_ONLY = Workload.of("servers", Workload.Kind.MICRO, "needs servers")
        .script(n -> "ps | grep -c ramfs").scales(0, 1, 0, 1).build();

    @BeforeAll
    static void runOnce() throws Exception {
        List<Workload> w = List.of(Workloads.named("null"), Workloads.named("ipc"), Workloads.named("read4k"),
            Workloads.named("cpumark"), SERVERS_ONLY);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        c = Compare.run(w, List.of("monolithic", "microkernel"), true, "test", scratch,
            new PrintStream(err, true, StandardCharsets.UTF_8));
        progress = err.toString(StandardCharsets.UTF_8);
        Report.write(c, reportDir);
    }

    @Test
    void progressNamesEachWorkloadAndModel() {
        assertThat(progress).contains("[1/10] null on monolithic", "[10/10] servers on microkernel");
    }

    @Test
    void theDifferenceOfTwoScalesAgreesWithTheGuestsOwnRdtsc() {
        for (String model : c.models) {
            Measurement m = c.get("null", model);
            assertThat(m.ok()).as(model).isTrue();
            // lat reads RDTSC around its loop; the loop is all a larger scale adds.
            assertThat(m.cycles()).as(model).isCloseTo(m.guestCycles, within(m.guestCycles * 0.03));
            assertThat(m.perUnit(Measurement.METRICS.get(2))).as("syscalls per getppid").isEqualTo(1.0);
        }
    }

    @Test
    void eachModelDoesWhatItMustForAModuleToModuleCall() {
        Measurement mono = c.get("ipc", "monolithic");
        Measurement micro = c.get("ipc", "microkernel");
        assertThat(mono.delta.ipcMessages).isZero();
        assertThat(mono.delta.cr3Writes).isZero();
        // hello_user's kernel call to the core, the core's call to hello, and both replies: two messages
        // each way and two address-space switches per call.
        assertThat(micro.delta.ipcMessages).isEqualTo(2 * micro.units);
        assertThat(micro.delta.cr3Writes).isEqualTo(2 * micro.units);
        assertThat(micro.delta.moduleBytecodesRing0).isZero();
        assertThat(c.ratio(micro)).isGreaterThan(1.0);
    }

    @Test
    void partsAddUpToTheCyclesAndCopiesAreCharged() {
        for (Measurement m : c.results) {
            if (!m.ok()) {
                continue;
            }
            long sum = 0;
            for (long v : m.delta.breakdown()) {
                sum += v;
            }
            assertThat(sum).as(m.workload.name + " " + m.model).isEqualTo(m.delta.cycles());
        }
        // A 4 KiB read copies 4 KiB to the program in every model: at least that much copy cost.
        for (String model : c.models) {
            assertThat(c.get("read4k", model).breakdown()[4]).as(model)
                .isGreaterThanOrEqualTo(4096.0 / CostModel.BYTES_PER_CYCLE);
        }
    }

    @Test
    void theControlIsEqualAcrossModels() {
        Measurement a = c.get("cpumark", "monolithic");
        Measurement b = c.get("cpumark", "microkernel");
        assertThat(b.cycles()).isCloseTo(a.cycles(), within(a.cycles() * 0.01));
        assertThat(b.perUnit(Measurement.METRICS.get(1))).isEqualTo(a.perUnit(Measurement.METRICS.get(1)));
        assertThat(c.goals()).anyMatch(g -> g.what().startsWith("control") && g.met());
    }

    @Test
    void aWorkloadThatFailsInOneModelIsReportedAndTheRestRan() {
        Measurement failed = c.get(SERVERS_ONLY, "monolithic");
        assertThat(failed.ok()).isFalse();
        assertThat(failed.failure).isEqualTo("exit status 1");
        assertThat(c.get(SERVERS_ONLY, "microkernel").ok()).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TextTable.print(c, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
            .containsPattern("servers +op +monolithic +failed: exit status 1")
            .containsPattern("null +op +microkernel +231")
            .doesNotContain("Exception");
    }

    @Test
    void csvHasOneParsableRowPerWorkloadAndModel() throws Exception {
        List<String> lines = Files.readAllLines(reportDir.resolve("results.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        assertThat(header).startsWith("workload", "kind", "unit", "model", "status", "units", "cycles");
        assertThat(lines).hasSize(1 + c.results.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertThat(f).as(line).hasSize(header.size());
            if (f[4].equals("ok")) {
                for (int i = 5; i < header.size() - 1; i++) {
                    if (f[i].isEmpty() && (header.get(i).equals("guest_rdtsc_cycles") || header.get(i).startsWith("ratio"))) {
                        continue;
                    }
                    assertThat(Double.parseDouble(f[i])).as(header.get(i) + " in " + line).isNotNaN();
                }
                Measurement m = c.get(f[0], f[3]);
                assertThat(Double.parseDouble(f[6])).isCloseTo(m.cycles(), within(Math.max(0.01, m.cycles() * 1e-3)));
            } else {
                assertThat(f[header.size() - 1]).isNotEmpty();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonParsesAndAgreesWithTheTable() throws Exception {
        Map<String, Object> j = (Map<String, Object>) Json.parse(Files.readString(reportDir.resolve("results.json")));
        assertThat((List<Object>) j.get("models")).containsExactly("monolithic", "microkernel");
        assertThat(((Map<String, Object>) j.get("cost_model")).get("syscall_dispatch"))
            .isEqualTo((double) CostModel.SYSCALL_DISPATCH);
        List<Map<String, Object>> results = (List<Map<String, Object>>) j.get("results");
        assertThat(results).hasSize(c.results.size());
        for (Map<String, Object> r : results) {
            Measurement m = c.get((String) r.get("workload"), (String) r.get("model"));
            if (m.ok()) {
                double cycles = (Double) ((Map<String, Object>) r.get("per_unit")).get("cycles");
                assertThat(cycles).isCloseTo(m.cycles(), within(Math.max(0.01, m.cycles() * 1e-3)));
                assertThat(((Map<String, Object>) r.get("breakdown")).keySet())
                    .containsExactly("user", "core", "servers", "ipc", "copies", "idle");
            } else {
                assertThat(r.get("reason")).isEqualTo(m.failure);
            }
        }
        assertThat((List<Object>) j.get("goals")).isNotEmpty();
    }

    @Test
    void thePageIsSelfContainedWithRealCharts() throws Exception {
        String html = Files.readString(reportDir.resolve("index.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("</html>");
        assertThat(html).doesNotContainPattern("(?i)<script|<link|<iframe|@import|url\\(|https?://");
        Matcher refs = Pattern.compile("(?i)(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (refs.find()) {
            assertThat(refs.group(1)).startsWith("data:image/png;base64,");
            byte[] png = Base64.getDecoder().decode(refs.group(1).substring("data:image/png;base64,".length()));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(img.getWidth()).isGreaterThan(500);
            images++;
        }
        assertThat(images).isEqualTo(3);
        assertThat(html).contains("failed: exit status 1", "seL4", "Calibration", "not measured (run with --native)");
    }
}

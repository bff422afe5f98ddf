package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compare command line: a small run, the workload list and bad input, each a one-line message. */
class CompareCommandTest {
    @TempDir
    Path tmp;

    private static void oneLineError(Cli r, String text) {
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err.strip()).as(r.toString()).startsWith("microlith: compare: ").contains(text)
            .doesNotContain("\n").doesNotContain("Exception");
        assertThat(r.out).isEmpty();
    }

    @Test
    void unknownModelOrWorkload() {
        oneLineError(Cli.run("compare", "--models=monolithic,exokernel"), "unknown model 'exokernel'");
        oneLineError(Cli.run("compare", "--workloads=null,frobnicate"), "unknown workload 'frobnicate'");
        oneLineError(Cli.run("compare", "--models=microkernel+tlb"), "unknown model 'microkernel+tlb'");
    }

    @Test
    void unwritableReportDirectory() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        oneLineError(Cli.run("compare", "--workloads=null", "--report=" + file), "cannot write the report to " + file);
        oneLineError(Cli.run("compare", "--workloads=null", "--report=" + file.resolve("sub")),
            "cannot write the report to " + file.resolve("sub"));
    }

    @Test
    void listNamesEveryWorkload() {
        Cli r = Cli.run("compare", "--list");
        assertThat(r.status).isZero();
        assertThat(r.out).contains("null ", "ipc ", "mlfs ", "shell ", "mlfscopy ", "cpumark ", "control");
    }

    @Test
    void aSmallRunPrintsProgressTheTableAndTheReport() throws Exception {
        Path dir = tmp.resolve("new/report");
        Cli r = Cli.run("compare", "--quick", "--workloads=null", "--models=monolithic,hybrid", "--report=" + dir);
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.err).contains("[1/2] null on monolithic", "[2/2] null on hybrid");
        assertThat(r.out).containsPattern("null +op +monolithic +231 ").containsPattern("null +op +hybrid +231 ")
            .contains("report: " + dir.resolve("index.html"));
        assertThat(dir.resolve("index.html")).exists();
        assertThat(Files.readString(dir.resolve("results.json"))).contains("\"command\": \"microlith compare --quick");
    }
}

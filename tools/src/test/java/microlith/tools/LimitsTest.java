package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented limits of the machine options hold, and what lies outside them is refused in one line. */
class LimitsTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentedMinimumOf16MBoots() {
        for (String m : new String[] {"16M", "20M", "22M"}) {
            Cli r = Cli.run("run", "--memory=" + m, "/bin/sh", "-c", "echo up; head -1 /proc/meminfo");
            assertThat(r.status).as(m + ": " + r).isZero();
            assertThat(r.out).as(m).startsWith("up\nMemTotal:");
        }
    }

    @Test
    void memoryOutsideTheRangeIsRefused() {
        for (String m : new String[] {"15M", "2G", "abc"}) {
            Cli r = Cli.run("run", "--memory=" + m, "/bin/true");
            assertThat(r.status).as(m + ": " + r).isEqualTo(2);
            assertThat(r.err.strip()).as(m).contains("--memory").doesNotContain("\n");
        }
    }

    @Test
    void anImageThatDoesNotFitSaysHowMuchMemoryItNeeds() throws Exception {
        Path big = dir.resolve("big");
        Files.write(big, new byte[14 << 20]);
        Cli r = Cli.run("run", "--memory=16M", "--add", big.toString(), "/bin/true");
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err.strip()).as(r.toString()).matches("microlith: an initramfs of [0-9.]+ MiB does not fit in 16 MiB"
            + " of memory; at least \\d+ MiB are needed");
        int needed = Integer.parseInt(r.err.replaceAll("(?s).*at least (\\d+) MiB.*", "$1"));
        assertThat(Cli.run("run", "--memory=" + needed + "M", "--add", big.toString(), "/bin/true").status).isZero();
    }

    @Test
    void aNegativeInstructionLimitIsRefused() {
        Cli r = Cli.run("run", "--max-instructions=-1", "/bin/true");
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err.strip()).contains("--max-instructions").doesNotContain("\n");
        assertThat(Cli.run("run", "--max-instructions=0", "/bin/true").status).isZero();
    }
}

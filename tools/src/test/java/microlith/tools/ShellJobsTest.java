package microlith.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Background jobs in the guest's shell: $! names the command itself, as in bash. */
class ShellJobsTest {
    @TempDir
    Path tmp;

    @Test
    void aBackgroundCommandIsItsOwnProcessSoKillingBangStopsIt() throws IOException {
        Path script = tmp.resolve("jobs.sh");
        Files.writeString(script, String.join("\n",
            "sleep 100 > /tmp/out &",
            "ps | grep \"^ *$! \"",
            "kill $!",
            "wait $!",
            "echo \"status $?\"",
            "ps | grep -c sleep",
            "(sleep 0 ; echo inner) &",
            "wait",
            ""));
        Cli r = Cli.run("run", "--add", script.toString(), "/bin/sh", "/host/jobs.sh");
        assertThat(r.out).as(r.toString()).matches("(?s) *\\d+ \\?\\s+[0-9:]+ sleep\\nstatus 143\\n0\\ninner\\n");
    }
}

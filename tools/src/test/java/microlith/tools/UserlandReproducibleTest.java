package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The committed userland binaries must be exactly what the sources build to. Runs
 * `make -C userland check` when the toolchain recorded in userland/TOOLCHAIN is present.
 */
class UserlandReproducibleTest {
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.MINUTES);
        return p.exitValue() + "\n" + out;
    }

    @Test
    void committedBinariesMatchTheSources() throws Exception {
        Path userland = Path.of("..", "userland").toAbsolutePath().normalize();
        List<String> expected = Files.readAllLines(userland.resolve("TOOLCHAIN"));
        String gcc;
        try {
            gcc = run(List.of("gcc", "--version"));
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed; the reproducibility check needs it");
            return;
        }
        String wanted = expected.stream().filter(l -> l.startsWith("gcc")).findFirst().orElse("");
        assumeTrue(gcc.contains(wanted), "host gcc differs from userland/TOOLCHAIN (" + wanted + ")");
        String result = run(List.of("make", "-s", "-C", userland.toString(), "check"));
        assertThat(result).as(result).startsWith("0\n");
    }
}

package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shell's own test suite: scripts in userland/tests/sh with their expected standard
 * output (NAME.out). Each script runs under microlith's /bin/sh, and under the host's
 * dash and busybox sh where installed, so the expectations are checked against shells
 * nobody here wrote.
 */
class ShellScriptsTest {
    private static final Path DIR = Path.of("..", "userland", "tests", "sh");

    static Stream<Arguments> scripts() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".sh")).sorted()
                .map(p -> Arguments.of(p.getFileName().toString())).toList().stream();
        }
    }

    private static String expected(String script) throws IOException {
        return Files.readString(DIR.resolve(script.replace(".sh", ".out")));
    }

    @ParameterizedTest(name = "microlith sh {0}")
    @MethodSource("scripts")
    void underMicrolith(String script) throws IOException {
        Path file = DIR.resolve(script).toAbsolutePath();
        Cli r = Cli.run("run", "--add", file.toString(), "/bin/sh", "-c", "cd /tmp && exec sh /host/" + script);
        assertThat(r.out).as(r.toString()).isEqualTo(expected(script));
    }

    @ParameterizedTest(name = "host dash {0}")
    @MethodSource("scripts")
    void expectationsHoldForDash(String script) throws Exception {
        assertHostShell(script, "dash");
    }

    @ParameterizedTest(name = "host busybox sh {0}")
    @MethodSource("scripts")
    void expectationsHoldForBusybox(String script) throws Exception {
        assertHostShell(script, "busybox", "sh");
    }

    private static void assertHostShell(String script, String... shell) throws Exception {
        assumeTrue(onPath(shell[0]), shell[0] + " is not installed (apt-get install " + (shell[0].equals("dash") ? "dash" : "busybox-static") + ")");
        String[] cmd = new String[shell.length + 1];
        System.arraycopy(shell, 0, cmd, 0, shell.length);
        cmd[shell.length] = DIR.resolve(script).toAbsolutePath().toString();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new java.io.File("/tmp"))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(String.join(" ", shell) + " " + script).isEqualTo(expected(script));
    }

    static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}

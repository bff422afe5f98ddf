package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential programs started by the guest's own shell (fork, execve, wait4 in the
 * guest) instead of as init: the output and status must still be the host's.
 * The corpus is built by DifferentialTest's make run (or here, if needed).
 */
class UnderShellTest {
    private static final Path BUILD = Path.of("..", "userland", "tests", "build", "musl-O2");
    private static final String STDIN = "hello world\nsecond line\n";

    @ParameterizedTest(name = "sh -c /host/{0}")
    @ValueSource(strings = {"arith64", "divmod", "printf_float", "strtod", "sha256", "setjmp", "signals",
        "pipeline", "forkwait", "fpuswitch", "x87", "simd", "stdin_wc", "exitcode", "segv"})
    void corpusProgramUnderTheShell(String name) throws Exception {
        assumeTrue(Native.available(), "needs an x86-64 Linux host for the reference run");
        Path bin = BUILD.resolve(name);
        if (!Files.isExecutable(bin)) {
            Process p = new ProcessBuilder("make", "-s", "-C", Path.of("..", "userland", "tests").toString())
                .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        }
        assumeTrue(Files.isExecutable(bin), "musl-gcc missing: corpus not built");
        Native.Result ref = Native.runFile(bin.toAbsolutePath(),
            Map.of("HOME", "/", "TERM", "linux", "PATH", "/sbin:/bin"), STDIN, "a", "b");
        Cli r = Cli.withInput(STDIN, "run", "--add", bin.toString(), "/bin/sh", "-c",
            "/host/" + name + " a b");
        assertThat(r.out).as(r.toString()).isEqualTo(ref.out);
        // The shell reports a signal death as 128+N and prints the signal's name on stderr.
        assertThat(r.status).as(r.toString()).isEqualTo(ref.status);
    }
}

package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential test: every program of the corpus in userland/tests/src, built three ways
 * (musl -O0, musl -O2, our libc -O2), and the thread and process programs also with
 * glibc, g++ (userland/tests/cxx) and Rust (userland/tests/rust) where those toolchains
 * work, must behave exactly as on the host CPU: the same
 * stdout, stderr and exit status under microlith as when run natively with the same
 * argv, environment and stdin. One dynamic test per build and program ("musl-O2/arith8").
 */
class DifferentialTest {
    private static final Path CORPUS = Path.of("..", "userland", "tests");
    private static final List<String> BUILDS = List.of("musl-O0", "musl-O2", "ours-O2");
    /**
     * Builds made only where their toolchain works (see userland/tests/Makefile): glibc
     * static, g++ static and Rust; a missing one is reported as a skipped test.
     */
    private static final Map<String, String> OPTIONAL = Map.of(
        "glibc-O2", "gcc -static cannot link a glibc program here (install libc6-dev)",
        "gxx-O2", "g++ -static cannot link a C++ program here (install g++)",
        "rust-O2", "rustc is not on PATH");
    private static final String[] ARGS = {"a", "b"};
    private static final String STDIN = "hello world\nsecond line\n\tthird line without newline";
    /** The environment the kernel gives init; the native run gets exactly the same one. */
    private static final Map<String, String> ENV = Map.of("HOME", "/", "TERM", "linux", "PATH", "/sbin:/bin");
    /** Far above what any corpus program needs (the largest takes about 100 million). */
    private static final long MAX_INSTRUCTIONS = 2_000_000_000L;

    @TestFactory
    Stream<DynamicNode> corpusBehavesAsOnTheHostCpu() throws Exception {
        assumeTrue(Native.available(), "differential tests need an x86-64 Linux host to run the reference; this is "
            + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        assumeTrue(onPath("musl-gcc"), "musl-gcc is not on PATH (install musl-tools) so the corpus cannot be built");
        assumeTrue(onPath("make"), "make is not on PATH so the corpus cannot be built");
        build();
        // Start logging now, with the real System.out: its one-time start-up notices must not
        // land in the first captured guest run.
        org.slf4j.LoggerFactory.getLogger(DifferentialTest.class).debug("differential corpus built");
        List<DynamicNode> builds = new ArrayList<>();
        List<String> all = new ArrayList<>(BUILDS);
        for (String b : new java.util.TreeSet<>(OPTIONAL.keySet())) {
            if (Files.isDirectory(CORPUS.resolve("build").resolve(b))) {
                all.add(b);
            } else {
                builds.add(DynamicTest.dynamicTest(b + " (not built)", () -> assumeTrue(false, OPTIONAL.get(b))));
            }
        }
        for (String b : all) {
            Path dir = CORPUS.resolve("build").resolve(b).toAbsolutePath().normalize();
            List<Path> programs;
            try (Stream<Path> s = Files.list(dir)) {
                programs = s.filter(Files::isRegularFile).filter(Files::isExecutable).sorted()
                    .collect(Collectors.toList());
            }
            assertThat(programs).as("programs built in " + dir).isNotEmpty();
            List<DynamicTest> tests = new ArrayList<>();
            for (Path p : programs) {
                String name = b + "/" + p.getFileName();
                tests.add(DynamicTest.dynamicTest(name, p.toUri(), () -> compare(name, p)));
            }
            builds.add(DynamicContainer.dynamicContainer(b, tests));
        }
        return builds.stream();
    }

    private static void compare(String name, Path program) throws Exception {
        Native.Result host = Native.runFile(program, ENV, STDIN, ARGS);
        String[] cli = new String[4 + ARGS.length];
        cli[0] = "run";
        cli[1] = "--max-instructions=" + MAX_INSTRUCTIONS;
        cli[2] = "--";
        cli[3] = program.toString();
        System.arraycopy(ARGS, 0, cli, 4, ARGS.length);
        long t0 = System.nanoTime();
        Cli guest = Cli.withInput(STDIN, cli);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        List<String> problems = new ArrayList<>();
        if (guest.status != host.status) {
            problems.add("exit status: native " + host.status + ", microlith " + guest.status);
        }
        if (!guest.out.equals(host.out)) {
            problems.add("stdout: " + firstDifference(host.out, guest.out));
        }
        // run reports a death by signal as a shell does, with one line after the program's
        // stderr. The JVM reports such a death natively as 128+N, like an exit code, so the
        // line is accepted where the statuses agree on 128+N (DeathMessageTest checks that
        // an exit code above 128 gets no line).
        String line = host.status > 128 ? Signal.describe(host.status - 128) : null;
        if (!guest.err.equals(host.err) && !(line != null && guest.err.equals(host.err + line + "\n"))) {
            problems.add("stderr: " + firstDifference(host.err, guest.err));
        }
        assertThat(problems)
            .as("%s differs from the native run (%d ms under microlith)%n  %s%n--- microlith stderr (tail) ---%n%s",
                name, ms, String.join("\n  ", problems), tail(guest.err, 1500))
            .isEmpty();
    }

    /** Where two outputs first differ, as line number and both lines. */
    static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int n = Math.min(e.length, a.length);
        for (int i = 0; i < n; i++) {
            if (!e[i].equals(a[i])) {
                return "line " + (i + 1) + ": native \"" + clip(e[i]) + "\", microlith \"" + clip(a[i]) + "\"";
            }
        }
        return "native has " + e.length + " lines, microlith " + a.length + " (" + expected.length() + " vs "
            + actual.length() + " chars); first extra line: \""
            + clip(e.length > a.length ? e[n] : a[n]) + "\"";
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String tail(String s, int max) {
        return s.length() > max ? "..." + s.substring(s.length() - max) : s;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void build() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("make", "-s", "-j" + Runtime.getRuntime().availableProcessors(),
            "-C", CORPUS.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("building the corpus timed out");
        }
        assertThat(p.exitValue()).as("make -C %s failed:%n%s", CORPUS, log).isZero();
    }
}

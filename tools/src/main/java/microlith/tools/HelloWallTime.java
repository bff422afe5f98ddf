package microlith.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The start-up figure of {@code microlith bench}: the wall time of {@code ./microlith run
 * /bin/hello} as a user sees it, each run a new JVM started by the launcher script (so the
 * JVM's own start, class loading or the class-data-sharing archive, building the machine
 * and the kernel, boot, the program and power-off all count).
 */
final class HelloWallTime {
    private static final String EXPECTED = "Hello, world!\n";

    private HelloWallTime() {
    }

    /**
     * One unmeasured run, then {@code runs} measured ones; prints each and returns the
     * summary line, "skipped" when no launcher is found, or null (after a message) when a
     * run fails or prints something else.
     */
    static String measure(int runs, PrintStream o) throws IOException, InterruptedException {
        o.println("start-up: ./microlith run /bin/hello (a new JVM each run, after one unmeasured run)");
        Path launcher = findLauncher();
        if (launcher == null) {
            o.println("  skipped (no microlith launcher next to the jar or in the working directory)");
            return "bench: hello: skipped (no launcher)";
        }
        double[] secs = new double[runs];
        for (int r = -1; r < runs; r++) {
            ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "run", "/bin/hello");
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            long t0 = System.nanoTime();
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                o.println("!!! run /bin/hello timed out");
                return null;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (p.exitValue() != 0 || !out.equals(EXPECTED)) {
                o.println("!!! run /bin/hello: exit status " + p.exitValue() + ", output " + out.strip());
                return null;
            }
            if (r >= 0) {
                secs[r] = s;
                o.printf(Locale.ROOT, "  run %d   : %.3f s%n", r + 1, s);
            }
        }
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format(Locale.ROOT, "bench: hello: run /bin/hello %.3f s wall best, %.3f s median (JVM start included)",
            sorted[0], median);
    }

    /** The launcher script at the checkout root (tools/target/microlith.jar -> ../../microlith), or ./microlith. */
    private static Path findLauncher() {
        List<Path> candidates = new ArrayList<>();
        try {
            Path jar = Path.of(HelloWallTime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = jar.getParent();
            if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
                candidates.add(target.getParent().getParent().resolve("microlith"));
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no usable code source: fall back to the working directory
        }
        candidates.add(Path.of("").toAbsolutePath().resolve("microlith"));
        for (Path p : candidates) {
            if (Files.isExecutable(p) && Files.isRegularFile(p)) {
                return p.normalize();
            }
        }
        return null;
    }
}

package microlith.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import microlith.hw.MachineExit;
import microlith.hw.PerfCounters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code microlith bench}: runs deterministic CPU workloads from the image under microlith,
 * natively on the host CPU and under qemu-x86_64 when available, and prints the figures
 * side by side: iterations per second, guest MIPS, and microlith's speed as a share of
 * qemu's and the host's. By default it runs the CoreMark-like /bin/corebench and
 * /bin/cpumark; /bin/loop (an integer busy loop) on request; then the wall time of
 * {@code ./microlith run /bin/hello} ({@link HelloWallTime}). The guest's output (which
 * ends in the workload's checksum) must equal the native output, or the command fails.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmark the guest CPU: run workloads under microlith, natively and under qemu-x86_64.",
        "Reports iterations per second, guest instructions, wall time, million guest instructions per second",
        "(MIPS) and microlith's speed relative to qemu-x86_64 and to the host, then the wall time of",
        "./microlith run /bin/hello (start-up included);",
        "exits 1 if the guest's checksum differs from the native run's."})
public final class BenchCommand implements Callable<Integer> {
    /** A workload and its default iteration count (a few seconds under microlith). */
    enum Workload {
        corebench(20_000), cpumark(20_000), loop(20_000_000);

        final long iterations;

        Workload(long iterations) {
            this.iterations = iterations;
        }
    }

    @Option(names = "--workload", paramLabel = "NAME", split = ",",
        description = "corebench (CoreMark-like: list sort through a comparator, matrices, a jump-table state "
            + "machine, CRC-16), cpumark (lists, matrices, state machine, CRC) or loop (integer busy loop); "
            + "comma-separated; default corebench,cpumark.")
    List<Workload> workloads;

    @Option(names = {"--iterations", "-n"}, paramLabel = "N",
        description = "Workload iterations (default: 20000 for corebench and cpumark, 20000000 for loop).")
    Long iterations;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "R",
        description = "Measured runs per engine after one warm-up run (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--host-binary", paramLabel = "PATH",
        description = "Host copy of the workload for the native and qemu runs (default: userland/bin/NAME "
            + "next to the jar or the current directory); only with a single workload.")
    Path hostBinary;

    @Option(names = "--no-native", description = "Skip the native run.")
    boolean noNative;

    @Option(names = "--no-qemu", description = "Skip the qemu-x86_64 run.")
    boolean noQemu;

    @Option(names = "--no-hello", description = "Skip timing ./microlith run /bin/hello (start-up, a new JVM per run).")
    boolean noHello;

    /** Timings of one engine. */
    private static final class Result {
        final String engine;
        final double[] seconds;

        Result(String engine, double[] seconds) {
            this.engine = engine;
            this.seconds = seconds;
        }

        double best() {
            return Arrays.stream(seconds).min().orElse(Double.NaN);
        }

        double median() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }
    }

    private static final class GuestRun {
        final PerfCounters perf;
        final double seconds;
        /** CPU time of the thread that ran the guest: what load from other processes leaves alone. */
        final double cpuSeconds;
        final String out;

        GuestRun(PerfCounters perf, double seconds, double cpuSeconds, String out) {
            this.perf = perf;
            this.seconds = seconds;
            this.cpuSeconds = cpuSeconds;
            this.out = out;
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (runs < 1) {
            System.err.println("microlith: --runs must be at least 1");
            return 2;
        }
        if (iterations != null && iterations < 1) {
            System.err.println("microlith: --iterations must be at least 1");
            return 2;
        }
        List<Workload> list = workloads != null ? workloads : List.of(Workload.corebench, Workload.cpumark);
        if (hostBinary != null && list.size() > 1) {
            System.err.println("microlith: --host-binary needs a single --workload");
            return 2;
        }
        PrintStream o = System.out;
        o.printf("machine : %s %s, %d CPUs, Java %s (%s)%n", System.getProperty("os.name"),
            System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"), System.getProperty("java.vm.name"));
        List<String> summary = new ArrayList<>();
        for (Workload w : list) {
            o.println();
            String line = bench(w, iterations != null ? iterations : w.iterations, o);
            if (line == null) {
                return 1;
            }
            summary.add(line);
        }
        if (!noHello) {
            o.println();
            String line = HelloWallTime.measure(runs, o);
            if (line == null) {
                return 1;
            }
            summary.add(line);
        }
        o.println();
        summary.forEach(o::println);
        return 0;
    }

    /** Benchmarks one workload; returns its summary line, or null after a failure. */
    private String bench(Workload w, long n, PrintStream o) throws IOException, InterruptedException {
        String name = w.name();
        String image = "/bin/" + name;
        o.printf("workload: %s %d (%d measured runs after a warm-up run)%n", image, n, runs);
        o.println("microlith:");
        GuestRun warm = guest(image, Math.max(1, n / 4));
        if (warm == null) {
            return null;
        }
        o.printf("  warm-up : %,d guest instructions in %.3f s%n", warm.perf.instructions, warm.seconds);
        List<GuestRun> guestRuns = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            GuestRun g = guest(image, n);
            if (g == null) {
                return null;
            }
            guestRuns.add(g);
            o.printf("  run %d   : %,d guest instructions in %.3f s = %.1f MIPS (thread CPU %.3f s)%n", r + 1,
                g.perf.instructions, g.seconds, g.perf.instructions / (g.seconds * 1e6), g.cpuSeconds);
        }
        String guestOut = guestRuns.get(0).out;
        for (GuestRun g : guestRuns) {
            if (!g.out.equals(guestOut)) {
                o.println("!!! MISMATCH: the guest's output changed between runs");
                return null;
            }
        }
        long instructions = guestRuns.get(0).perf.instructions;
        o.printf("  output  : %s%n", guestOut.strip());
        Result cpu = new Result("cpu", guestRuns.stream().mapToDouble(g -> g.cpuSeconds).toArray());
        o.printf("  thread CPU time: best %.3f s, median %.3f s (the guest's thread alone; unlike wall time, not "
            + "stretched when other processes take the cores)%n", cpu.best(), cpu.median());
        Result micro = new Result("microlith", guestRuns.stream().mapToDouble(g -> g.seconds).toArray());
        List<Result> results = new ArrayList<>();
        results.add(micro);

        Path host = hostBinary != null ? hostBinary : findHostBinary(name);
        Result nat = null;
        Result qemu = null;
        if (noNative) {
            o.println("native: skipped (--no-native)");
        } else if (!isX86Linux()) {
            o.println("native: skipped (the host is " + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch") + ", not x86-64 Linux)");
        } else if (host == null || !Files.isExecutable(host)) {
            o.println("native: skipped (no host copy of " + name + " found; build it with make -C userland "
                + "or pass --host-binary)");
        } else {
            o.println("native: " + host);
            nat = external("native", List.of(host.toString(), Long.toString(n)), guestOut, o);
            if (nat == null) {
                return null;
            }
            results.add(nat);
        }
        Path qemuExe = onPath("qemu-x86_64");
        if (noQemu) {
            o.println("qemu-x86_64: skipped (--no-qemu)");
        } else if (qemuExe == null) {
            o.println("qemu-x86_64: skipped (not on PATH; install qemu-user)");
        } else if (host == null || !Files.isExecutable(host)) {
            o.println("qemu-x86_64: skipped (no host copy of " + name + " found)");
        } else {
            o.println("qemu-x86_64: " + qemuExe + " " + host);
            qemu = external("qemu-x86_64", List.of(qemuExe.toString(), host.toString(), Long.toString(n)),
                guestOut, o);
            if (qemu == null) {
                return null;
            }
            results.add(qemu);
        }

        o.println();
        o.printf("%-12s %10s %10s %12s %10s %14s%n", "engine", "best s", "median s", "iter/s", "MIPS", "microlith is");
        for (Result r : results) {
            String share = r == micro ? "" : String.format(Locale.ROOT, "%.1f%% of it", 100 * r.best() / micro.best());
            o.printf("%-12s %10.4f %10.4f %12.0f %10.1f %14s%n", r.engine, r.best(), r.median(), n / r.best(),
                instructions / (r.best() * 1e6), share);
        }
        o.printf("(%,d guest instructions per run, counted by microlith; every engine's time is wall time from "
            + "start to exit; MIPS for native and qemu = that count / their time)%n", instructions);
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "bench: %s %d: microlith %.0f iter/s, %.1f MIPS (best %.3f s, median %.3f s)",
            name, n, n / micro.best(), instructions / (micro.best() * 1e6), micro.best(), micro.median()));
        line.append(qemu == null ? "; qemu n/a" : String.format(Locale.ROOT,
            "; qemu-x86_64 %.0f iter/s (microlith at %.1f%% of qemu)", n / qemu.best(), 100 * qemu.best() / micro.best()));
        line.append(nat == null ? "; native n/a" : String.format(Locale.ROOT,
            "; native %.0f iter/s (microlith at %.1f%% of native)", n / nat.best(), 100 * nat.best() / micro.best()));
        line.append(nat == null && qemu == null ? "; checksum not cross-checked" : "; checksums match");
        return line.toString();
    }

    /** One boot-to-power-off run of the workload; null (after a message) if it did not exit 0. */
    private GuestRun guest(String image, long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        Session s = new Session(64L << 20, new ByteArrayInputStream(new byte[0]), out, err, false);
        byte[] initramfs = Initramfs.standard().build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        MachineExit exit = s.boot(initramfs,
            "console=ttyS2 init.stderr=ttyS1 serial.echo=0 serial.onlcr=0 init=" + image + " -- " + n, 0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (exit.kind != MachineExit.Kind.POWER_OFF || exit.status != 0) {
            System.err.println("microlith: bench run failed: " + exit);
            System.err.print(errBytes.toString(StandardCharsets.UTF_8));
            return null;
        }
        return new GuestRun(s.machine().perf(), seconds, cpuSeconds, out.toString(StandardCharsets.UTF_8));
    }

    /** Warm-up plus measured runs of a host command; null (after a loud message) on a mismatch. */
    private Result external(String engine, List<String> cmd, String expected, PrintStream o)
            throws IOException, InterruptedException {
        double[] secs = new double[runs];
        for (int r = -1; r < runs; r++) {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            long t0 = System.nanoTime();
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                o.println("!!! " + engine + " run timed out");
                return null;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            String got = new String(bytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !got.equals(expected)) {
                o.println();
                o.println("!!! CHECKSUM MISMATCH between microlith and " + engine + " !!!");
                o.println("!!!   microlith: " + expected.strip());
                o.println("!!!   " + engine + ": " + got.strip() + " (exit status " + p.exitValue() + ")");
                return null;
            }
            if (r >= 0) {
                secs[r] = s;
                o.printf("  run %d   : %.4f s%n", r + 1, s);
            }
        }
        o.println("  output  : identical to microlith's");
        return new Result(engine, secs);
    }

    public static boolean isX86Linux() {
        String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** userland/bin/NAME relative to the jar's checkout, the current directory or its parent. */
    public static Path findHostBinary(String name) {
        List<Path> candidates = new ArrayList<>();
        try {
            Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // tools/target/microlith.jar (or tools/target/classes) -> checkout root
            Path root = jar.getParent() == null ? null : jar.getParent().getParent();
            if (root != null && root.getParent() != null) {
                candidates.add(root.getParent().resolve("userland").resolve("bin").resolve(name));
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no usable code source: fall back to the working directory
        }
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd.resolve("userland").resolve("bin").resolve(name));
        if (cwd.getParent() != null) {
            candidates.add(cwd.getParent().resolve("userland").resolve("bin").resolve(name));
        }
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p.normalize();
            }
        }
        return null;
    }

    private static Path onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                Path p = Path.of(d, tool);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}

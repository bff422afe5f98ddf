package microlith.tools.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import microlith.tools.BenchCommand;

/**
 * The calibration section: the same lmbench-style program (/bin/lat, a static x86-64
 * binary) run natively on the host next to the simulated monolithic figures, and the
 * published figures microkernel research reports.
 */
public final class Calibration {
    /** A figure from the literature, with where it comes from. */
    public record Published(String what, String figure, String source) {
    }

    public static final List<Published> LITERATURE = List.of(
        new Published("seL4 IPC call, one way (x86-64, Skylake)", "381 cycles",
            "seL4 performance page (sel4bench, hot cache); a call and its reply are about twice that"),
        new Published("seL4 IPC call, one way (x86-64, Haswell)", "628 cycles", "seL4 performance page (sel4bench)"),
        new Published("L4Linux vs native Linux, AIM multiuser benchmark", "about 5% slower; MkLinux (Linux on Mach) "
            + "several times that", "Haertig, Hohmuth, Liedtke, Schoenberg, Wolter: The performance of "
            + "micro-kernel-based systems, SOSP 1997"),
        new Published("MINIX 3 user-mode drivers vs in-kernel drivers", "about 5-10% overhead",
            "Herder, Bos, Gras, Homburg, Tanenbaum: MINIX 3: a highly reliable, self-repairing operating "
            + "system, ACM SIGOPS OSR 40(3), 2006"));

    /** Host figures per workload name: TSC ticks and nanoseconds per unit. */
    public record Result(String host, Map<String, double[]> perWorkload, Map<String, String> skipped) {
    }

    private static final Pattern LINE = Pattern.compile("cycles_per_op=([0-9.]+) ns_per_op=([0-9.]+)");
    private static final long OPS = 100_000;
    private static final long PROCESS_OPS = 2_000;

    private Calibration() {
    }

    /** Why the host cannot run the calibration, or null if it can. */
    public static String unavailable() {
        if (!BenchCommand.isX86Linux()) {
            return "the host is " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                + ", not x86-64 Linux";
        }
        Path lat = BenchCommand.findHostBinary("lat");
        return lat == null ? "no host copy of /bin/lat (userland/bin/lat) found" : null;
    }

    /** Runs lat natively for every workload that has a native form. */
    static Result run(List<Workload> workloads, Path scratch) throws IOException, InterruptedException {
        Path lat = BenchCommand.findHostBinary("lat");
        Map<String, double[]> got = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Workload w : workloads) {
            if (w.nativeLat == null) {
                skipped.put(w.name, "no native form (needs microlith's modules or devices)");
                continue;
            }
            String bench = w.nativeLat[0];
            if ((bench.equals("openclose") || bench.equals("stat")) && !Files.isRegularFile(Path.of("/etc/motd"))) {
                skipped.put(w.name, "the host has no /etc/motd, the file lat opens");
                continue;
            }
            long n = bench.equals("fork") || bench.equals("exec") ? PROCESS_OPS : OPS;
            List<String> cmd = new ArrayList<>(List.of(lat.toString(), bench, Long.toString(n)));
            for (int i = 1; i < w.nativeLat.length; i++) {
                cmd.add(w.nativeLat[i]);
            }
            if (bench.equals("fread") || bench.equals("fwrite")) {
                cmd.add(scratch.resolve("lat.file").toString());
            }
            String why = runOne(cmd, got, w.name);
            if (why != null) {
                skipped.put(w.name, why);
            }
        }
        String host = System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
            + Runtime.getRuntime().availableProcessors() + " CPUs";
        return new Result(host, got, skipped);
    }

    private static String runOne(List<String> cmd, Map<String, double[]> got, String name)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return "timed out";
        }
        Matcher m = LINE.matcher(new String(out, StandardCharsets.UTF_8));
        if (p.exitValue() != 0 || !m.find()) {
            return "lat failed on the host (exit status " + p.exitValue() + ")";
        }
        got.put(name, new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        return null;
    }
}

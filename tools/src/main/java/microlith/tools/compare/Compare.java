package microlith.tools.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a comparison: every workload on every model, two scales each, with a progress
 * line per run on the terminal. A run that fails, or throws, fails only its own row.
 */
public final class Compare {
    private Compare() {
    }

    public static Comparison run(List<Workload> workloads, List<String> models, boolean quick, String command,
                                 Path scratch, PrintStream progress) {
        Comparison c = new Comparison(workloads, models, command, quick);
        Runner runner = new Runner(scratch);
        int total = workloads.size() * models.size();
        int i = 0;
        for (Workload w : workloads) {
            for (String model : models) {
                i++;
                long small = w.small(quick);
                long large = w.large(quick);
                progress.printf("[%d/%d] %s on %s (n=%d and n=%d)%n", i, total, w.name, model, small, large);
                c.results.add(measure(runner, w, model, small, large));
            }
        }
        return c;
    }

    private static Measurement measure(Runner runner, Workload w, String label, long small, long large) {
        boolean pcid = label.endsWith("+pcid");
        String model = pcid ? label.substring(0, label.length() - "+pcid".length()) : label;
        try {
            Runner.Sample a = runner.run(w, model, pcid, small);
            if (!a.ok()) {
                return Measurement.failed(w, label, a.failure());
            }
            Runner.Sample b = runner.run(w, model, pcid, large);
            return Measurement.of(w, label, small, a, large, b);
        } catch (IOException | RuntimeException e) {
            if (Boolean.getBoolean("microlith.debug")) {
                e.printStackTrace();
            }
            return Measurement.failed(w, label, "internal error: " + e);
        }
    }

    /** Adds the host's figures (or why there are none) to c. */
    public static void calibrate(Comparison c, Path scratch, PrintStream progress) throws InterruptedException {
        String why = Calibration.unavailable();
        if (why != null) {
            c.nativeNote = "skipped: " + why;
            progress.println("native: " + c.nativeNote);
            return;
        }
        progress.println("native: running /bin/lat on the host");
        try {
            c.calibration = Calibration.run(c.workloads, scratch);
        } catch (IOException e) {
            c.nativeNote = "failed: " + e.getMessage();
        }
    }
}

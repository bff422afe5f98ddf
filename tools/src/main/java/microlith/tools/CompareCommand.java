package microlith.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import microlith.tools.compare.Comparison;
import microlith.tools.compare.Workload;
import microlith.tools.compare.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code microlith compare}: the same workloads on every OS model, a table of simulated
 * cycles and architectural events per unit of work, and a self-contained HTML report.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare the OS models: run each workload on each model with the same inputs and print, per "
        + "unit of work, simulated cycles, instructions, syscalls, IPC messages, notifications, grant copies and "
        + "bytes, CR3 writes, TLB misses and flushes, page walks, the ratio to monolithic and where the cycles go. "
        + "Exit status 1 if any workload failed on any model (the others still run), 2 for bad options.")
public final class CompareCommand implements Callable<Integer> {
    static final List<String> MODELS = List.of("monolithic", "hybrid", "microkernel");

    @Option(names = "--models", split = ",", paramLabel = "MODEL",
        description = "Models to run, comma-separated (default: monolithic,hybrid,microkernel). MODEL+pcid runs it "
            + "with tagged TLBs (the kernel's --pcid), e.g. microkernel+pcid.")
    List<String> models = new ArrayList<>(MODELS);

    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
        description = "Workloads to run, comma-separated (default: all; --list names them).")
    List<String> workloads;

    @Option(names = "--list", description = "List the workloads and exit.")
    boolean list;

    @Option(names = "--quick", description = "Smaller scales (seconds instead of minutes; the figures are "
        + "exact for what runs, but averaged over fewer operations).")
    boolean quick;

    @Option(names = "--report", paramLabel = "DIR",
        description = "Write index.html (self-contained, with charts), results.csv and results.json into DIR.")
    Path report;

    @Option(names = "--native", description = "Calibration: also run the lmbench-style programs natively on the "
        + "host (x86-64 Linux) for the report.")
    boolean nativeRun;

    @Option(names = "--debug", description = "Show Java stack traces for internal errors.")
    void debug(boolean on) {
        if (on) {
            System.setProperty("microlith.debug", "true");
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream err = System.err;
        if (list) {
            for (Workload w : Workloads.all()) {
                System.out.printf("%-10s %-8s %s (per %s)%n", w.name, w.kind.name().toLowerCase(), w.title, w.unit);
            }
            return 0;
        }
        String bad = badModel();
        if (bad == null) {
            bad = badWorkload();
        }
        if (bad == null && report != null) {
            bad = unwritable(report);
        }
        if (bad != null) {
            err.println("microlith: compare: " + bad);
            return 2;
        }
        List<Workload> chosen = workloads == null ? Workloads.all()
            : workloads.stream().map(Workloads::named).distinct().toList();
        Path scratch = Files.createTempDirectory("microlith-compare");
        try {
            Comparison c = microlith.tools.compare.Compare.run(chosen, List.copyOf(models), quick, command(), scratch,
                err);
            if (nativeRun) {
                microlith.tools.compare.Compare.calibrate(c, scratch, err);
            }
            microlith.tools.compare.TextTable.print(c, System.out);
            if (report != null) {
                microlith.tools.compare.Report.write(c, report);
                System.out.println();
                System.out.println("report: " + report.resolve("index.html") + " (and results.csv, results.json)");
            }
            return c.results.stream().allMatch(m -> m.ok()) ? 0 : 1;
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String command() {
        StringBuilder s = new StringBuilder("microlith compare");
        if (quick) {
            s.append(" --quick");
        }
        if (!models.equals(MODELS)) {
            s.append(" --models=").append(String.join(",", models));
        }
        if (workloads != null) {
            s.append(" --workloads=").append(String.join(",", workloads));
        }
        if (nativeRun) {
            s.append(" --native");
        }
        if (report != null) {
            s.append(" --report=").append(report);
        }
        return s.toString();
    }

    private String badModel() {
        if (models.isEmpty()) {
            return "--models needs at least one model";
        }
        for (String m : models) {
            String base = m.endsWith("+pcid") ? m.substring(0, m.length() - 5) : m;
            if (!MODELS.contains(base)) {
                return "unknown model '" + m + "' (monolithic, hybrid or microkernel, optionally with +pcid)";
            }
        }
        return null;
    }

    private String badWorkload() {
        if (workloads == null) {
            return null;
        }
        if (workloads.isEmpty()) {
            return "--workloads needs at least one workload";
        }
        for (String w : workloads) {
            if (Workloads.named(w) == null) {
                return "unknown workload '" + w + "' (compare --list names them)";
            }
        }
        return null;
    }

    /** Null if the report can be written into dir (created if missing), else why not. */
    static String unwritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", ".tmp");
            Files.delete(probe);
            return null;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return "cannot write the report to " + dir + ": " + e.getFile() + " exists and is not a directory";
        } catch (java.nio.file.AccessDeniedException e) {
            return "cannot write the report to " + dir + ": permission denied";
        } catch (java.nio.file.NoSuchFileException e) {
            return "cannot write the report to " + dir + ": no such directory " + e.getFile();
        } catch (java.nio.file.FileSystemException e) {
            return "cannot write the report to " + dir + ": " + (e.getReason() != null ? e.getReason() : e.getFile());
        } catch (IOException | SecurityException e) {
            return "cannot write the report to " + dir + ": " + e.getMessage();
        }
    }
}

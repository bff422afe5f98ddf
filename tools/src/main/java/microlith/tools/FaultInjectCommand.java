package microlith.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import microlith.kernel.module.KoFile;
import microlith.kernel.module.fault.FaultType;
import microlith.tools.fault.Campaign;
import microlith.tools.fault.Plan;
import microlith.tools.fault.Report;
import microlith.tools.fault.Trial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code microlith faultinject}: a fault-injection campaign (docs/fault-injection.md). Each
 * fault is injected into one module's bytecode at its load, in a boot of its own that runs
 * the workload; the outcome of each is classified, and one table ends the run.
 */
@Command(name = "faultinject", mixinStandardHelpOptions = true,
    description = {"Inject faults into the drivers' bytecode, one per boot, run a workload (files written with",
        "checksums, fsync'ed and read back; ring-buffer traffic) and classify what each fault did:",
        "no effect, call failed and recovered, server restarted, kernel oops, kernel panic or hang,",
        "silent corruption. The same seed injects the same faults in every model."})
public final class FaultInjectCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "microkernel", paramLabel = "MODEL[,MODEL...]",
        description = "monolithic, microkernel or hybrid; several, comma-separated, give a section each "
            + "(default ${DEFAULT-VALUE}).")
    String models;

    @Option(names = "--faults", defaultValue = "100", paramLabel = "N",
        description = "Faults to inject in each model, one per boot (default ${DEFAULT-VALUE}).")
    String faults;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
        description = "Seed of the fault plan (default ${DEFAULT-VALUE}).")
    String seed;

    @Option(names = "--target", defaultValue = "ata,mlfs,ringbuf", paramLabel = "NAME[,NAME...]",
        description = "Modules to inject into: ata, mlfs, ringbuf (default all three).")
    String targets;

    @Option(names = "--type", paramLabel = "TYPE[,TYPE...]",
        description = "Fault types to draw from (default all): arith, branch, pointer, wild, exception, loop, "
            + "return, irqack.")
    String types;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write one CSV line per fault to FILE.")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the totals and every fault as JSON to FILE.")
    Path json;

    @Option(names = "--list", description = "Print how many sites of each type each target has, and stop.")
    boolean list;

    @Option(names = "--debug", description = "Show Java stack traces for internal errors.")
    void debug(boolean on) {
        if (on) {
            System.setProperty("microlith.debug", "true");
        }
    }

    private static int fail(String why) {
        System.err.println("microlith: faultinject: " + why);
        return 2;
    }

    @Override
    public Integer call() throws IOException {
        List<String> modelList = List.of(models.split(",", -1));
        for (String m : modelList) {
            if (!m.equals("monolithic") && !m.equals("microkernel") && !m.equals("hybrid")) {
                return fail("unknown model '" + m + "' (monolithic, microkernel or hybrid)");
            }
        }
        Map<String, KoFile> kos = new LinkedHashMap<>();
        for (String t : targets.split(",", -1)) {
            if (!Campaign.TARGETS.contains(t)) {
                return fail("unknown target '" + t + "' (ata, mlfs or ringbuf: the modules the workload drives)");
            }
            try {
                kos.put(t, KoFile.parse(Initramfs.sampleModule(t)));
            } catch (KoFile.Invalid e) {
                return fail(t + ".ko: " + e.getMessage());
            }
        }
        List<FaultType> typeList = new ArrayList<>();
        for (String t : types == null ? new String[0] : types.split(",", -1)) {
            if (FaultType.of(t) == null) {
                return fail("unknown fault type '" + t + "' (arith, branch, pointer, wild, exception, loop, return or "
                    + "irqack)");
            }
            typeList.add(FaultType.of(t));
        }
        if (typeList.isEmpty()) {
            typeList.addAll(List.of(FaultType.values()));
        }
        if (list) {
            printCensus(kos);
            return 0;
        }
        int n;
        long s;
        try {
            n = Integer.parseInt(faults);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 1_000_000) {
            return fail("--faults must be a count from 1 to 1000000 (got '" + faults + "')");
        }
        try {
            s = Long.parseLong(seed);
        } catch (NumberFormatException e) {
            return fail("--seed must be a whole number (got '" + seed + "')");
        }
        Plan plan = new Plan(s, Trial.MEMORY, kos, typeList);
        if (plan.empty()) {
            return fail("no site for those fault types in " + String.join(", ", kos.keySet()));
        }
        Path work = Files.createTempDirectory("microlith-faultinject");
        try {
            Campaign c = new Campaign(Trial.prepare(work, s), plan, work);
            Report report = c.run(modelList, n, s, n >= 200 ? System.err : null);
            System.out.print(report.table());
            if (csv != null) {
                Files.writeString(csv, report.csv());
            }
            if (json != null) {
                Files.writeString(json, report.json());
            }
            return 0;
        } catch (Campaign.Broken e) {
            System.err.println("microlith: faultinject: " + e.getMessage());
            return 1;
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static void printCensus(Map<String, KoFile> kos) {
        PrintStream out = System.out;
        out.printf("%-10s", "target");
        for (FaultType t : FaultType.values()) {
            out.printf(" %9s", t.key);
        }
        out.println();
        Plan.census(kos).forEach((name, census) -> {
            out.printf("%-10s", name);
            census.values().forEach(c -> out.printf(" %9d", c));
            out.println();
        });
    }
}

package microlith.tools;

import java.util.concurrent.Callable;
import microlith.tools.fuzz.Campaign;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code microlith fuzz}: a system call fuzzing campaign with /bin/fuzz (see
 * {@link Campaign}); exit status 0 when nothing was found, 1 otherwise.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
    description = {"Fuzz the system call interface: random calls with typed arguments from forked children,",
        "as root and as 'user', each under a timeout; every machine-killing call is reduced and reported.",
        "After every boot: no page, kmalloc object, server heap byte, task or timer leaked; every page table",
        "checked. Runs in any OS model (--model); a server's death counts as a finding.",
        "Exit status 0 when nothing was found, 1 otherwise."})
public final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Campaign seed (default ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--calls", defaultValue = "20000", paramLabel = "N", description = "System calls to issue (default ${DEFAULT-VALUE}).")
    long calls;

    @Option(names = "--per-child", defaultValue = "1000", paramLabel = "K",
        description = "Calls per child at most (1-8000; default ${DEFAULT-VALUE}).")
    int perChild;

    @Option(names = "--users", defaultValue = "both", paramLabel = "WHO",
        description = "Who the children run as: root, user or both, alternating (default ${DEFAULT-VALUE}).")
    String users;

    @Option(names = "--batch", defaultValue = "40", paramLabel = "C",
        description = "Children per boot (default ${DEFAULT-VALUE}); the leak checks run after each boot.")
    int batch;

    @Option(names = "--first", defaultValue = "0", paramLabel = "J",
        description = "Start at child J (default ${DEFAULT-VALUE}): a leak is reported for the batch from child J on.")
    long first;

    @Option(names = "--timeout-ms", defaultValue = "1000", paramLabel = "MS",
        description = "A child still running after MS ms of simulated time is killed (default ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Option(names = "--memory", defaultValue = "64M", paramLabel = "SIZE", description = "Physical memory (default ${DEFAULT-VALUE}).")
    String memory;

    @Mixin
    ModelOptions models;

    @Option(names = "--no-reduce", description = "Report crashes without reducing them to the calls that cause them.")
    boolean noReduce;

    @Option(names = "--table", description = "Also print every system call's outcomes.")
    boolean table;

    @Option(names = "--module", paramLabel = "NAME",
        description = "A sample module of the image (e.g. ringbuf) to load first and fuzz through /dev/NAME (repeatable).")
    java.util.List<String> modules = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        MachineOptions m = new MachineOptions();
        m.memory = memory;
        m.models = models;
        String bad = m.validate();
        if (bad != null || perChild < 1 || perChild > 8000 || batch < 1 || calls < 1 || first < 0 || timeoutMs < 1
            || !users.matches("root|user|both") || modules.stream().anyMatch(n -> !n.matches("[a-z0-9_]{1,32}"))) {
            System.err.println("microlith: " + (bad != null ? bad : "bad fuzz option (see --help)"));
            return 2;
        }
        Campaign.Options o = new Campaign.Options();
        o.seed = seed;
        o.calls = calls;
        o.perChild = perChild;
        o.users = users;
        o.batch = batch;
        o.first = first;
        o.timeoutMs = timeoutMs;
        o.memory = m.memoryBytes();
        o.reduce = !noReduce;
        o.table = table;
        o.modules = modules;
        o.model = models.model();
        o.placements = models.placements();
        Campaign c = new Campaign(o, System.out);
        long t0 = System.nanoTime();
        boolean clean = c.run();
        c.report(System.out, (System.nanoTime() - t0) / 1_000_000_000L);
        System.out.flush();
        return clean ? 0 : 1;
    }
}

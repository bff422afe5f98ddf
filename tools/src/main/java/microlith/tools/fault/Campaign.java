package microlith.tools.fault;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import microlith.hw.MachineExit;
import microlith.kernel.module.fault.FaultSpec;

/**
 * Runs a campaign: for each model, one trial without a fault (which must come out with no
 * effect: it also sets the instruction limit that tells a hang), then one trial per fault
 * of the plan, each on a fresh disk.
 */
public final class Campaign {
    /** The modules the workload drives, so the only ones a fault can be aimed at. */
    public static final List<String> TARGETS = List.of("ata", "mlfs", "ringbuf");
    /** A trial may run this many times the fault-free run's instructions before it counts as a hang. */
    private static final long LIMIT_FACTOR = 5;
    /** The fault-free run's own limit: far above what it needs, so that a broken workload still ends. */
    private static final long GOLDEN_LIMIT = 2_000_000_000L;
    /**
     * Host seconds after which a trial stuck in host code (a kernel routine looping on data a
     * wild write corrupted) is stopped and counted as a hang; the simulated limits end every
     * other trial long before, so this never decides a class in practice.
     */
    private static final long HOST_TIMEOUT_SECONDS = 300;

    /** The workload failed without any fault: nothing a campaign says would mean anything. */
    public static final class Broken extends Exception {
        Broken(String message) {
            super(message, null, false, false);
        }
    }

    private final Trial trial;
    private final Plan plan;
    private final Path work;

    public Campaign(Trial trial, Plan plan, Path work) {
        this.trial = trial;
        this.plan = plan;
        this.work = work;
    }

    public Report run(List<String> models, int faults, long seed, PrintStream progress) throws IOException, Broken {
        Report report = new Report(seed);
        Path disk = work.resolve("disk.img");
        for (String model : models) {
            Trial.Result golden = trial.run(model, null, disk, GOLDEN_LIMIT);
            Outcome.Classified g = Outcome.classify(golden);
            if (g.outcome() != Outcome.NO_EFFECT) {
                throw new Broken("the workload does not run cleanly without a fault in the " + model + " model ("
                    + g.outcome().label + ": " + g.detail() + ")");
            }
            long limit = golden.instructions() * LIMIT_FACTOR;
            for (int i = 0; i < faults; i++) {
                FaultSpec f = plan.fault(i);
                Trial.Result r = guarded(model, f, disk, limit);
                report.add(new Report.Row(model, i, f, r.activations(), r.site(), Outcome.classify(r)));
                if (progress != null && (i + 1) % 100 == 0) {
                    progress.printf("faultinject: %s: %d/%d faults%n", model, i + 1, faults);
                }
            }
        }
        Files.deleteIfExists(disk);
        return report;
    }

    /** One trial on a thread of its own, stopped if it outlives the host timeout. */
    @SuppressWarnings("removal")
    private Trial.Result guarded(String model, FaultSpec f, Path disk, long limit) throws IOException {
        FutureTask<Trial.Result> task = new FutureTask<>(() -> trial.run(model, f, disk, limit));
        Thread t = new Thread(task, "faultinject-trial");
        t.setDaemon(true);
        t.start();
        try {
            return task.get(HOST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            t.stop();
            return new Trial.Result(new MachineExit(MachineExit.Kind.LIMIT, 0, "host time limit"), "", "", List.of(),
                DiskCheck.read(disk, Trial.DIR), 0, null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException) {
                throw (IOException) c;
            }
            // Host code of the kernel threw (state a fault corrupted broke an assumption): the machine is dead.
            return new Trial.Result(new MachineExit(MachineExit.Kind.HALTED, 0, "host exception: " + c), "", "",
                List.of(), DiskCheck.read(disk, Trial.DIR), 0, null, 0);
        }
    }
}

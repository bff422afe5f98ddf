package microlith.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import microlith.hw.MachineExit;
import microlith.hw.PerfCounters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code microlith bench}: guest instructions per second on the compute loop
 * (/bin/loop), measured over the whole boot-to-power-off run after warm-up runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure guest instructions per second on the /bin/loop compute workload.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--iterations", defaultValue = "20000000", description = "Loop iterations (default ${DEFAULT-VALUE}).")
    long iterations;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs after one warm-up (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws IOException {
        System.out.printf("workload: /bin/loop %d (boot to power-off)%n", iterations);
        once(iterations / 10);
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            PerfCounters p = once(iterations);
            long ns = System.nanoTime() - t0;
            if (p == null) {
                return 1;
            }
            System.out.printf("run %d: %,d guest instructions in %.3f s = %.1f MIPS (%,d simulated cycles)%n",
                r + 1, p.instructions, ns / 1e9, p.instructions / (ns / 1e3), p.cycles());
        }
        return 0;
    }

    private PerfCounters once(long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new ByteArrayOutputStream());
        Session s = new Session(64L << 20, new ByteArrayInputStream(new byte[0]), out, err, false);
        MachineExit exit = s.boot(Initramfs.standard().build(),
            "console=ttyS2 init.stderr=ttyS1 tty.echo=0 tty.onlcr=0 init=/bin/loop -- " + n, 0);
        if (exit.kind != MachineExit.Kind.POWER_OFF || exit.status != 0) {
            System.err.println("microlith: bench run failed: " + exit);
            return null;
        }
        return s.machine().perf();
    }
}

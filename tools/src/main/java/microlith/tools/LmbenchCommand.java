package microlith.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import microlith.hw.MachineExit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code microlith lmbench}: lmbench-style latencies measured inside the simulated
 * machine by /bin/lat. Each operation is reported in simulated cycles (the guest reads
 * RDTSC around its loop) and in host nanoseconds (the run's wall time less that of an
 * empty run, divided by the number of operations, after a warm-up round).
 */
@Command(name = "lmbench", mixinStandardHelpOptions = true,
    description = "Operating-system latencies (null syscall, I/O, pipes, context switch, fork, exec).")
public final class LmbenchCommand implements Callable<Integer> {
    private static final String[][] BENCHES = {
        {"null", "null syscall (getppid)"},
        {"read", "read 1 byte from /dev/zero"},
        {"write", "write 1 byte to /dev/null"},
        {"openclose", "open + close"},
        {"stat", "stat"},
        {"pipe", "pipe round trip, 2 processes"},
        {"ctxsw", "context switch, ring of 4 (per hop)"},
        {"fork", "fork + exit + wait"},
        {"exec", "fork + execve + wait"},
    };
    private static final Pattern RESULT = Pattern.compile("cycles_per_op=([0-9.]+)");

    @Option(names = "-n", defaultValue = "20000", description = "Operations per benchmark (fork and exec use n/20).")
    long n;

    @Override
    public Integer call() throws IOException {
        for (String[] b : BENCHES) {
            measure(b[0], 50);
        }
        double[] base = measure("null", 1);
        System.out.printf("%-40s %16s %14s%n", "operation", "simulated cycles", "host ns");
        for (String[] b : BENCHES) {
            long ops = b[0].equals("fork") || b[0].equals("exec") ? Math.max(1, n / 20) : n;
            double[] r = measure(b[0], ops);
            if (r == null) {
                return 1;
            }
            long count = b[0].equals("ctxsw") ? ops * 4 : ops;
            double hostNs = Math.max(0, r[1] - base[1]) / count;
            System.out.printf("%-40s %16.1f %14.0f%n", b[1], r[0], hostNs);
        }
        return 0;
    }

    /** Runs lat once: {cycles per op, host nanoseconds for the whole run}. */
    private double[] measure(String bench, long ops) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new ByteArrayOutputStream());
        Session s = new Session(64L << 20, new ByteArrayInputStream(new byte[0]), out, err, false);
        long t0 = System.nanoTime();
        MachineExit exit = s.boot(Initramfs.standard().build(),
            "console=ttyS2 init.stderr=ttyS1 serial.echo=0 serial.onlcr=0 init=/bin/lat -- " + bench + " " + ops, 0);
        long ns = System.nanoTime() - t0;
        Matcher m = RESULT.matcher(out.toString(StandardCharsets.UTF_8));
        if (exit.kind != MachineExit.Kind.POWER_OFF || exit.status != 0 || !m.find()) {
            System.err.println("microlith: lmbench " + bench + " failed: " + exit);
            return null;
        }
        return new double[] {Double.parseDouble(m.group(1)), ns};
    }
}

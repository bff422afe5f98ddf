package microlith.tools;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import microlith.hw.Machine;
import microlith.hw.MachineExit;
import microlith.kernel.Kernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One boot of the machine with the Java kernel: wires host streams to the UARTs, hands
 * Ctrl-C to the machine, runs it and maps how it ended to a process exit status.
 */
public final class Session {
    private final Machine machine;
    private final Kernel kernel;
    private final ByteArrayOutputStream logBuffer;
    private final PrintStream err;
    private final boolean logToStderr;

    public Session(long memoryBytes, InputStream in, OutputStream out, PrintStream err, boolean logToStderr) {
        this.err = err;
        this.logToStderr = logToStderr;
        this.logBuffer = new ByteArrayOutputStream();
        OutputStream log = logToStderr ? err : logBuffer;
        // COM1: console; COM2: the program's stderr (run); COM3: the kernel log (run).
        this.machine = new Machine(memoryBytes, in, out, err, log);
        this.kernel = new Kernel();
    }

    public Machine machine() {
        return machine;
    }

    public Kernel kernel() {
        return kernel;
    }

    public MachineExit boot(byte[] initramfs, String cmdline, long maxInstructions) {
        // Logging starts only with --debug: initializing logback costs ~0.1 s of start-up.
        Logger log = Boolean.getBoolean("microlith.debug") ? LoggerFactory.getLogger(Session.class) : null;
        if (log != null) log.debug("booting: {} MiB RAM, initramfs {} bytes, command line: {}",
            machine.memory().size() >> 20, initramfs.length, cmdline);
        long t0 = System.nanoTime();
        machine.boot(kernel, initramfs, cmdline);
        Runnable restore = CtrlC.install(machine::interrupt);
        try {
            MachineExit exit = machine.run(maxInstructions);
            long ns = System.nanoTime() - t0;
            if (log != null) log.debug("machine stopped: {} after {} ms host time; {}", exit, ns / 1_000_000,
                machine.perf().summary());
            return exit;
        } finally {
            restore.run();
        }
    }

    /** The exit status a shell would see, reporting abnormal ends on stderr. */
    public int status(MachineExit exit) {
        switch (exit.kind) {
            case POWER_OFF:
            case RESET:
                return exit.status;
            case INTERRUPTED:
                err.println("microlith: interrupted");
                return 130;
            case LIMIT:
                err.println("microlith: " + exit.detail);
                return 124;
            default:
                // Panic, triple fault or a dead machine: show the kernel log that explains it.
                if (!logToStderr) {
                    err.print(logBuffer.toString(java.nio.charset.StandardCharsets.UTF_8));
                }
                err.println("microlith: machine stopped: " + exit.kind.name().toLowerCase().replace('_', ' ')
                    + (exit.detail == null ? "" : " (" + exit.detail + ")"));
                return 255;
        }
    }
}

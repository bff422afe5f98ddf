package microlith.tools;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import microlith.hw.Machine;
import microlith.hw.MachineExit;
import microlith.hw.PerfCounters;
import microlith.kernel.Kernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One boot of the machine with the Java kernel: wires host streams to the UARTs, hands
 * Ctrl-C to the machine, runs it and maps how it ended to a process exit status.
 */
public final class Session {
    private final Machine machine;
    private Kernel kernel;
    private final PrintStream err;
    private final boolean logToStderr;

    public Session(long memoryBytes, InputStream in, OutputStream out, PrintStream err, boolean logToStderr) {
        this.err = err;
        this.logToStderr = logToStderr;
        // COM1: console; COM2: the program's stderr (run); COM3: the kernel log, when console=ttyS2.
        this.machine = new Machine(memoryBytes, in, out, err, logToStderr ? err : OutputStream.nullOutputStream());
    }

    public Machine machine() {
        return machine;
    }

    /** The kernel of the last boot (null before the first). */
    public Kernel kernel() {
        return kernel;
    }

    public MachineExit boot(byte[] initramfs, String cmdline, long maxInstructions) {
        return boot(initramfs, cmdline, null, maxInstructions);
    }

    /** Boots with setupData (init's arguments, see {@code InitArgs}) handed over by the boot loader. */
    public MachineExit boot(byte[] initramfs, String cmdline, byte[] setupData, long maxInstructions) {
        // Logging starts only with --debug: initializing logback costs ~0.1 s of start-up.
        Logger log = Boolean.getBoolean("microlith.debug") ? LoggerFactory.getLogger(Session.class) : null;
        if (log != null) log.debug("booting: {} MiB RAM, initramfs {} bytes, command line: {}",
            machine.memory().size() >> 20, initramfs.length, cmdline);
        long t0 = System.nanoTime();
        // Linked where this command line's KASLR puts it, as Linux's decompressor relocates it.
        kernel = Kernel.forCommandLine(cmdline);
        machine.boot(kernel, initramfs, cmdline, setupData);
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

    /**
     * The event counters: the program's share (from the start of init), boot's, and the
     * total, one line each.
     */
    public String stats() {
        PerfCounters total = machine.perf();
        PerfCounters boot = kernel.bootCounters();
        if (boot == null) {
            return "microlith: total:   " + total.summary();
        }
        return "microlith: program: " + total.since(boot).summary() + "\n"
            + "microlith: boot:    " + boot.summary() + "\n"
            + "microlith: total:   " + total.summary();
    }

    /** The exit status a shell would see, reporting abnormal ends on stderr. */
    public int status(MachineExit exit) {
        switch (exit.kind) {
            case POWER_OFF:
                return initStatus(exit.status);
            case RESET:
                return 0;
            case INTERRUPTED:
                err.println("microlith: interrupted");
                return 130;
            case LIMIT:
                err.println("microlith: " + exit.detail);
                return 124;
            default:
                // Panic, triple fault or a dead machine: show the kernel log that explains it.
                if (!logToStderr) {
                    for (String line : kernel.dmesg()) {
                        err.println(line);
                    }
                }
                err.println("microlith: machine stopped: " + exit.kind.name().toLowerCase().replace('_', ' ')
                    + (exit.detail == null ? "" : " (" + exit.detail + ")"));
                return 255;
        }
    }

    /**
     * Init's wait status as the kernel reported it at power-off, mapped as a shell maps a
     * child's: the exit code, or 128+N with one line naming signal N (none for SIGINT and
     * SIGPIPE, which a shell leaves silent too).
     */
    private int initStatus(int waitStatus) {
        int sig = waitStatus & 0x7f;
        if (sig == 0) {
            return (waitStatus >> 8) & 0xff;
        }
        String what = Signal.describe(sig);
        if (what != null) {
            boolean oom = sig == Signal.SIGKILL
                && kernel.dmesg().stream().anyMatch(l -> l.contains("Out of memory: Killed process 1 ("));
            err.println(oom ? what + " (out of memory)" : what);
        }
        return 128 + sig;
    }
}

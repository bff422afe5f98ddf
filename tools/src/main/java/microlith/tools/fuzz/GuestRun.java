package microlith.tools.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import microlith.hw.Machine;
import microlith.hw.MachineExit;
import microlith.kernel.Census;
import microlith.kernel.CommandLine;
import microlith.kernel.Kernel;
import microlith.kernel.mm.PageTableChecker;
import microlith.kernel.proc.InitArgs;
import microlith.tools.ModelOptions;

/**
 * One boot of the machine with /bin/fuzz as init, run in slices: between slices (the
 * machine stops only at an instruction boundary outside every kernel routine, nested IPC
 * calls included, so the kernel's state is consistent there) every page table of every
 * live process, servers included, is checked; at the end the kernel's final state is
 * counted for the leak checks. A Java exception escaping the machine, an instruction
 * budget spent or a wall-clock limit passed are reported as what they are: a host
 * exception or a hang.
 */
final class GuestRun {
    /** How the machine is set up: its memory and where the modules run. */
    record Setup(long memory, String model, List<String> placements) {
        /** The kernel command-line words that choose the model, as run and boot pass them. */
        String words() {
            return ModelOptions.words(model, placements);
        }
    }

    /** What a run left behind. */
    static final class Result {
        MachineExit exit;
        String out = "";
        final List<String> log = new ArrayList<>();
        /** Why the machine died, or null when init powered it off. */
        String crash;
        /** Kind of crash: panic, host-exception, triple-fault, hang, init-died; null if none. */
        String kind;
        int checks;
        int checkViolations;
        final List<String> violationSamples = new ArrayList<>();
        /** Kernel state after power-off; null after a crash. */
        Census end;
        long instructions;

        boolean crashed() {
            return crash != null;
        }

        /** Each oops (a kernel fault the kernel survived), as its log lines joined: what, where, who. */
        List<String> oopses() {
            List<String> r = new ArrayList<>();
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).startsWith("Oops:")) {
                    List<String> lines = log.subList(Math.max(0, i - 2), Math.min(log.size(), i + 3));
                    r.add(String.join(" | ", lines));
                }
            }
            return r;
        }

        /** Servers that died (a fault in a server is contained, but it is still a bug found). */
        List<String> serverDeaths() {
            List<String> r = new ArrayList<>();
            for (String l : log) {
                if (l.contains(": server [") && l.contains("] died")) {
                    r.add(l);
                }
            }
            return r;
        }
    }

    private static byte[] image;

    private static synchronized byte[] image() throws IOException {
        if (image == null) {
            image = microlith.tools.Initramfs.standard().build();
        }
        return image;
    }

    private GuestRun() {
    }

    /**
     * Boots with /bin/fuzz ARGS as init. checkEvery: instructions between page-table
     * checks; budget: instructions before the run counts as a hang; wallSeconds: the same
     * in host time.
     */
    static Result run(Setup setup, int seed, List<String> args, long checkEvery, long budget, long wallSeconds)
        throws IOException {
        byte[] initramfs = image();
        // stdout a byte stream (uart0, no line discipline), stderr to COM2, the log to COM3.
        String cmd = "console=ttyS2 init.stdin=uart0 init.stdout=uart0 init.stderr=uart1 init.protect=0"
            + " serial.echo=0 serial.onlcr=0 random.seed=" + seed + setup.words() + " init=/bin/fuzz";
        List<String> argv = new ArrayList<>();
        argv.add("/bin/fuzz");
        argv.addAll(args);
        byte[] initArgs = new InitArgs(argv, InitArgs.DEFAULT_ENVP).encode();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Machine m = new Machine(setup.memory(), InputStream.nullInputStream(), out, OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream());
        Kernel k = new Kernel();
        Result r = new Result();
        ExecutorService ex = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "fuzz-machine");
            t.setDaemon(true);
            return t;
        });
        Future<?> f = ex.submit(() -> {
            m.boot(k, initramfs, cmd, initArgs);
            while (true) {
                MachineExit e = m.run(checkEvery);
                r.instructions = m.perf().instructions;
                if (e.kind != MachineExit.Kind.LIMIT) {
                    r.exit = e;
                    break;
                }
                check(k, r);
                if (r.instructions >= budget) {
                    r.exit = e;
                    r.kind = "hang";
                    r.crash = "hang: no power-off after " + r.instructions + " instructions";
                    break;
                }
            }
            return null;
        });
        try {
            f.get(wallSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            m.interrupt();
            r.kind = "hang";
            r.crash = "hang: still running after " + wallSeconds + " s of host time";
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // A kernel routine that never returns: the thread is left behind (a daemon).
            }
        } catch (java.util.concurrent.ExecutionException e) {
            r.kind = "host-exception";
            r.crash = "host exception escaped the machine: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.shutdownNow();
        }
        r.out = out.toString(StandardCharsets.UTF_8);
        for (String line : k.dmesg()) {
            r.log.add(text(line));
        }
        classify(r);
        if (!r.crashed()) {
            check(k, r);
            r.end = k.census();
        }
        return r;
    }

    private static void check(Kernel k, Result r) {
        PageTableChecker.Report rep = k.checkPageTables();
        if (rep == null) {
            return;
        }
        r.checks++;
        if (!rep.ok()) {
            r.checkViolations += rep.violationCount;
            for (String v : rep.violations) {
                if (r.violationSamples.size() < 10) {
                    r.violationSamples.add(v);
                }
            }
        }
    }

    /** A dmesg line without its "[    1.234567] " time stamp. */
    private static String text(String line) {
        int end = line.startsWith("[") ? line.indexOf("] ") : -1;
        return end < 0 ? line : line.substring(end + 2);
    }

    /** Names the crash from how the machine stopped and what the kernel logged last. */
    private static void classify(Result r) {
        if (r.crash != null) {
            return;
        }
        String bug = null;
        String panic = null;
        for (String l : r.log) {
            if (l.startsWith("BUG: kernel Java routine failed: ") && bug == null) {
                bug = l.substring("BUG: kernel Java routine failed: ".length());
            }
            if (l.startsWith("Kernel panic - not syncing: ") && panic == null) {
                panic = l.substring("Kernel panic - not syncing: ".length());
            }
        }
        if (r.exit == null) {
            return;
        }
        switch (r.exit.kind) {
            case POWER_OFF:
                if (r.exit.status != 0) {
                    // /bin/fuzz as init always exits 0: something killed it or made it fail.
                    r.kind = "init-died";
                    r.crash = "the fuzzer's parent (init) ended with status " + r.exit.status;
                }
                return;
            case TRIPLE_FAULT:
                r.kind = "triple-fault";
                r.crash = "triple fault: " + r.exit.detail;
                return;
            case IDLE_FOREVER:
                r.kind = "hang";
                r.crash = "hang: " + r.exit.detail;
                return;
            default:
                if (bug != null) {
                    r.kind = "host-exception";
                    r.crash = "host exception in the kernel: " + bug;
                } else {
                    r.kind = "panic";
                    r.crash = "kernel panic: " + (panic != null ? panic : r.exit.toString());
                }
        }
    }
}

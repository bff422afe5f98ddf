package microlith.tools.compare;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import microlith.hw.MachineExit;
import microlith.hw.PerfCounters;
import microlith.kernel.proc.InitArgs;
import microlith.modules.mlfs.Layout;
import microlith.modules.mlfs.Mkfs;
import microlith.tools.Initramfs;
import microlith.tools.Session;
import microlith.tools.fs.ImageDevice;

/**
 * Boots one machine for one workload at one scale: the workload's command line runs
 * under /bin/sh as init, and the counters from the start of init to power-off are its
 * sample. Everything that can differ between runs is fixed: the image, the seed, the
 * memory size, a freshly formatted disk.
 */
final class Runner {
    static final long MEMORY = 64L << 20;
    static final int SEED = 27756;
    private static final long DISK_BYTES = 16L << 20;

    /** One boot: the program's counters, its output, or why it failed. */
    record Sample(PerfCounters perf, String out, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final Path scratch;

    /** scratch: a directory for disk images (deleted after each run). */
    Runner(Path scratch) {
        this.scratch = scratch;
    }

    /** The kernel command line for model, with tagged TLBs if pcid. */
    static String cmdline(String model, boolean pcid) {
        return "init.stdin=uart0 init.stdout=uart0 init.stderr=uart1 init.protect=0 serial.echo=0 serial.onlcr=0"
            + " random.seed=" + SEED + " model=" + model + (pcid ? " pcid=1" : "") + " init=/bin/sh";
    }

    Sample run(Workload w, String model, boolean pcid, long n) throws IOException {
        Initramfs image = Initramfs.standard();
        image.dir("/var/compare", 0755, 0, 0);
        image.file(Workloads.BLOB, blob(), 0644, 0, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Session s = new Session(MEMORY, new ByteArrayInputStream(new byte[0]), out,
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        Path disk = null;
        try {
            if (w.disk) {
                disk = Files.createTempFile(scratch, "disk", ".img");
                format(disk);
                s.machine().attachDisk(disk);
            }
            InitArgs args = new InitArgs(List.of("sh", "-c", w.script(n)), InitArgs.DEFAULT_ENVP);
            MachineExit exit = s.boot(image.build(), cmdline(model, pcid), args.encode(), 0);
            String text = out.toString(StandardCharsets.UTF_8);
            String failure = failure(exit, err.toString(StandardCharsets.UTF_8), s);
            PerfCounters boot = s.kernel().bootCounters();
            PerfCounters perf = boot == null ? s.machine().perf().copy() : s.machine().perf().since(boot);
            return new Sample(perf, text, failure);
        } finally {
            if (disk != null) {
                Files.deleteIfExists(disk);
            }
        }
    }

    /** Null if init powered off with status 0, else one line saying what went wrong. */
    private static String failure(MachineExit exit, String stderr, Session s) {
        String firstErr = stderr.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        if (exit.kind == MachineExit.Kind.POWER_OFF) {
            int status = exit.status;
            if (status == 0) {
                return null;
            }
            String how = (status & 0x7f) != 0 ? "killed by signal " + (status & 0x7f)
                : "exit status " + ((status >> 8) & 0xff);
            return how + (firstErr.isEmpty() ? "" : ": " + firstErr);
        }
        String last = s.kernel().dmesg().stream().reduce((a, b) -> b).orElse("");
        return "machine stopped: " + exit.kind.name().toLowerCase().replace('_', ' ')
            + (exit.detail == null ? "" : " (" + exit.detail + ")") + (last.isEmpty() ? "" : ": " + last);
    }

    /** The same megabyte every run: bytes from a fixed linear congruential sequence. */
    static byte[] blob() {
        byte[] b = new byte[Workloads.BLOB_BYTES];
        long x = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < b.length; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            b[i] = (byte) (x >>> 56);
        }
        return b;
    }

    private static void format(Path disk) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
        }
        long blocks = DISK_BYTES / Layout.BLOCK_SIZE;
        try (ImageDevice dev = ImageDevice.open(disk, true)) {
            Mkfs.format(dev, blocks, Layout.defaultInodes(blocks), 0);
        } catch (RuntimeException e) {
            throw new IOException("cannot format a scratch disk: " + e.getMessage(), e);
        }
    }
}

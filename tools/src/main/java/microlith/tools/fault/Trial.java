package microlith.tools.fault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import microlith.hw.Machine;
import microlith.hw.MachineExit;
import microlith.hw.dev.AtaController;
import microlith.kernel.CommandLine;
import microlith.kernel.module.fault.FaultInjection;
import microlith.kernel.module.fault.FaultSpec;
import microlith.kernel.proc.InitArgs;
import microlith.module.api.FileSystemType;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;
import microlith.modules.mlfs.Layout;
import microlith.modules.mlfs.Mkfs;
import microlith.modules.mlfs.MlfsType;
import microlith.tools.Initramfs;
import microlith.tools.Session;
import microlith.tools.fs.ImageDevice;

/**
 * One boot of a campaign: a fresh copy of the pristine disk, the workload script as init's
 * shell, at most one fault, and everything there is to see once the machine has stopped:
 * how it stopped, what the workload printed, the kernel log, the fault's activations and
 * the disk as the host reads it.
 */
public final class Trial {
    /** RAM of each trial's machine (a wild write's address is drawn from all of it). */
    public static final long MEMORY = 32L << 20;

    /**
     * The directory of the pristine disk the workload writes into: it exists only on the
     * disk, so files cannot land in the root filesystem's /mnt when the mount failed.
     */
    public static final String DIR = "data";

    /** What the guest runs: the fault-injection workload of docs/fault-injection.md. */
    public static String script(long seed) {
        return "modprobe ata\nmodprobe mlfs\nmount -t mlfs /dev/hda /mnt\nmodprobe ringbuf\n"
            + "fiwork files /mnt/" + DIR + " 6 " + seed + "\nfiwork ring 16 " + seed + "\numount /mnt\necho END\n";
    }

    /** Everything a trial leaves to classify. */
    public record Result(MachineExit exit, String out, String err, List<String> dmesg, DiskCheck.State disk,
                         long activations, String site, long instructions) {
    }

    private final byte[] initramfs;
    private final Path pristine;
    private final long memoryBytes;

    /** initramfs holds the workload as /host/fiwork.sh; pristine is an mlfs image with DIR in it. */
    private Trial(byte[] initramfs, Path pristine, long memoryBytes) {
        this.initramfs = initramfs;
        this.pristine = pristine;
        this.memoryBytes = memoryBytes;
    }

    /** A trial's makings in work: the standard image with the workload of seed, and the pristine disk. */
    public static Trial prepare(Path work, long seed) throws IOException {
        Path pristine = work.resolve("pristine.img");
        long bytes = 8L << 20;
        try (RandomAccessFile f = new RandomAccessFile(pristine.toFile(), "rw")) {
            f.setLength(bytes);
        }
        try (ImageDevice dev = ImageDevice.open(pristine, true)) {
            long blocks = bytes / Layout.BLOCK_SIZE;
            Mkfs.format(dev, blocks, Layout.defaultInodes(blocks), 0);
            SuperBlock fs = new MlfsType(w -> { }).mount(dev, "", false);
            fs.create(fs.rootIno(), DIR, InodeAttr.S_IFDIR | 0777, 0, 0, 0);
            fs.unmount();
        } catch (FileSystemType.MountException e) {
            throw new IOException("cannot prepare the disk: " + e.getMessage());
        }
        Initramfs image = Initramfs.standard();
        image.dir("/host", 0755, 0, 0);
        image.file("/host/fiwork.sh", script(seed).getBytes(StandardCharsets.UTF_8), 0755, 0, 0);
        return new Trial(image.build(), pristine, MEMORY);
    }

    /** Runs the workload in model with fault (null: none), on a copy of the pristine disk in disk. */
    public Result run(String model, FaultSpec fault, Path disk, long maxInstructions) throws IOException {
        Files.copy(pristine, disk, StandardCopyOption.REPLACE_EXISTING);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Session s = new Session(memoryBytes, InputStream.nullInputStream(), out,
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        AtaController ata = s.machine().attachDisk(disk);
        s.machine().setConsoleEof(Machine.ConsoleEof.HANGUP);
        String cmd = "init.stdin=uart0 init.stdout=uart0 init.stderr=uart1 init.protect=0 serial.echo=0 "
            + "serial.onlcr=0 random.seed=27756 model=" + model + (fault == null ? "" : " faultinject=" + fault.format())
            + " init=" + CommandLine.quote("/bin/sh");
        InitArgs args = new InitArgs(List.of("/bin/sh", "/host/fiwork.sh"), InitArgs.DEFAULT_ENVP);
        MachineExit exit;
        try {
            exit = s.boot(initramfs, cmd, args.encode(), maxInstructions);
        } finally {
            ata.close();
        }
        FaultInjection f = s.kernel().faultInjection();
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
            s.kernel().dmesg(), DiskCheck.read(disk, DIR), f == null ? 0 : f.activations(), f == null ? null : f.site(),
            s.machine().perf().instructions);
    }
}

package microlith.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import microlith.hw.Machine;
import microlith.hw.MachineExit;
import microlith.kernel.Kernel;
import microlith.kernel.proc.InitArgs;

/**
 * A machine booted with one program as init, driven from the test rather than through
 * the command line, so that the test sees the kernel itself (its census, its log) and
 * may run the machine in slices.
 */
final class GuestMachine {
    final Machine machine;
    final Kernel kernel = new Kernel();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * Boots argv[0] (a path in the image, or a host file's path, copied in as /host/NAME)
     * in the given model; stdout is collected.
     */
    GuestMachine(String model, List<String> argv) throws IOException {
        Initramfs image = Initramfs.standard();
        String init = argv.get(0);
        if (!image.contains(init)) {
            Path host = Path.of(init);
            init = "/host/" + host.getFileName();
            image.dir("/host", 0755, 0, 0);
            image.file(init, Files.readAllBytes(host), 0755, 0, 0);
        }
        machine = new Machine(64L << 20, InputStream.nullInputStream(), out, OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream());
        List<String> args = new java.util.ArrayList<>(argv);
        args.set(0, init);
        machine.boot(kernel, image.build(), "init.stdin=uart0 init.stdout=uart0 init.stderr=uart1 init.protect=0"
            + " serial.onlcr=0 model=" + model + " init=" + init, new InitArgs(args, InitArgs.DEFAULT_ENVP).encode());
    }

    /** Runs to the end in slices of the given number of instructions; how it ended. */
    MachineExit runInSlices(long slice) {
        MachineExit e;
        do {
            e = machine.run(slice);
        } while (e.kind == MachineExit.Kind.LIMIT);
        return e;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String log() {
        return String.join("\n", kernel.dmesg());
    }
}

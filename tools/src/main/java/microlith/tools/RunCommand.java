package microlith.tools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import microlith.hw.MachineExit;
import microlith.kernel.proc.ElfImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code microlith run FILE [ARGS...]}: boots the machine with FILE as init and returns
 * its exit status, like running the program in a shell.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Boot the machine and run one static x86-64 program as init.",
        "FILE is a path inside the image (e.g. /bin/hello) or a host path to a static x86-64 ELF;",
        "a path that exists in the image wins. Host stdin/stdout are the program's console.",
        "Exit status: the program's, or 128+N if signal N killed it; 126/127 if FILE cannot run."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    MachineOptions machine;

    @Option(names = {"-v", "--verbose"}, description = "Show the kernel log on stderr.")
    boolean verbose;

    @Option(names = "--add", paramLabel = "HOSTFILE",
        description = "Also copy HOSTFILE into the image as /host/NAME (repeatable), e.g. to run it from the shell.")
    List<Path> extra = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "FILE", description = "Program to run.")
    String file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        String bad = machine.validate();
        if (bad != null) {
            err.println("microlith: " + bad);
            return 2;
        }
        Initramfs image = Initramfs.standard();
        image.dir("/host", 0755, 0, 0);
        for (Path p : extra) {
            if (!Files.isRegularFile(p)) {
                err.println("microlith: " + p + ": No such file or directory");
                return 127;
            }
            image.file("/host/" + p.getFileName(), Files.readAllBytes(p), 0755, 0, 0);
        }
        String initPath;
        if (file.startsWith("/") && image.contains(file)) {
            initPath = file;
        } else {
            Path host = Path.of(file);
            if (!Files.exists(host)) {
                err.println("microlith: " + file + ": No such file or directory");
                return 127;
            }
            if (Files.isDirectory(host)) {
                err.println("microlith: " + file + ": Is a directory");
                return 126;
            }
            byte[] data;
            try {
                data = Files.readAllBytes(host);
            } catch (IOException e) {
                err.println("microlith: " + file + ": Permission denied");
                return 126;
            }
            try {
                ElfImage.parse(data);
            } catch (ElfImage.FormatException e) {
                err.println("microlith: " + file + ": cannot execute: " + e.getMessage());
                return 126;
            }
            String name = host.getFileName().toString();
            initPath = "/host/" + name;
            image.file(initPath, data, 0755, 0, 0);
        }
        StringBuilder cmd = new StringBuilder("console=ttyS2 init.stderr=ttyS1 init.protect=0 serial.echo=0 serial.onlcr=0 random.seed=" + machine.seed);
        try {
            cmd.append(machine.addModules(image));
        } catch (IOException e) {
            err.println("microlith: " + e.getMessage());
            return 2;
        }
        cmd.append(" init=").append(microlith.kernel.CommandLine.quote(initPath));
        cmd.append(" argv0=").append(microlith.kernel.CommandLine.quote(file));
        if (!args.isEmpty()) {
            cmd.append(" --");
            for (String a : args) {
                cmd.append(' ').append(microlith.kernel.CommandLine.quote(a));
            }
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
        Session s = new Session(machine.memoryBytes(), System.in, out, err, verbose);
        if (machine.disk != null) {
            s.machine().attachDisk(machine.disk);
        }
        MachineExit exit = s.boot(image.build(), cmd.toString(), machine.maxInstructions);
        out.flush();
        if (machine.stats) {
            err.println("microlith: " + s.machine().perf().summary());
        }
        return s.status(exit);
    }
}

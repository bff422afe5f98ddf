package microlith.tools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import microlith.hw.Machine;
import microlith.hw.MachineExit;
import microlith.kernel.proc.ArgLimits;
import microlith.kernel.proc.ElfImage;
import microlith.kernel.proc.InitArgs;
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
        "a path that exists in the image wins. Host stdin, stdout and stderr are the program's fds 0-2:",
        "a terminal where the host's is one, otherwise a byte stream that is not a terminal, as a pipe.",
        "Exit status: the program's, or 128+N if signal N killed it; 126/127 if FILE cannot run."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    MachineOptions machine;

    @Option(names = {"-v", "--verbose"}, description = "Show the kernel log on stderr.")
    boolean verbose;

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
        try {
            machine.addHostFiles(image);
        } catch (IOException e) {
            err.println("microlith: " + e.getMessage());
            return 127;
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
        List<String> argv = new ArrayList<>();
        argv.add(file);
        argv.addAll(args);
        List<String> envp = InitArgs.DEFAULT_ENVP;
        if (!ArgLimits.fits(initPath, argv, envp)) {
            err.println("microlith: " + file + ": Argument list too long (more than ARG_MAX, "
                + ArgLimits.ARG_MAX + " bytes, or one argument over " + ArgLimits.MAX_ARG_STRLEN + ")");
            return 126;
        }
        // Each of the program's fds 0-2 is a terminal exactly where the host's is: a
        // ttyS line under the line discipline; otherwise the same UART without one (uart0,
        // uart1), which carries bytes unchanged and is not a terminal (docs/console.md).
        boolean[] tty = {HostStdio.isTerminal(0), HostStdio.isTerminal(1), HostStdio.isTerminal(2)};
        StringBuilder cmd = new StringBuilder(verbose ? "console=ttyS2 " : "");
        cmd.append("init.stdin=").append(tty[0] ? "ttyS0" : "uart0")
            .append(" init.stdout=").append(tty[1] ? "ttyS0" : "uart0")
            .append(" init.stderr=").append(tty[2] ? "ttyS1" : "uart1")
            .append(" init.protect=0 serial.echo=0 serial.onlcr=0 random.seed=").append(machine.seed);
        try {
            cmd.append(machine.addModules(image));
        } catch (IOException e) {
            err.println("microlith: " + e.getMessage());
            return 2;
        }
        cmd.append(" init=").append(microlith.kernel.CommandLine.quote(initPath));
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
        Session s = new Session(machine.memoryBytes(), System.in, out, err, verbose);
        if (machine.disk != null) {
            s.machine().attachDisk(machine.disk);
        }
        // A terminal's end of input is the EOF key; a pipe's is its writer going away.
        s.machine().setConsoleEof(tty[0] ? Machine.ConsoleEof.EOF_CHARACTER : Machine.ConsoleEof.HANGUP);
        MachineExit exit = s.boot(image.build(), cmd.toString(), new InitArgs(argv, envp).encode(),
            machine.maxInstructions);
        out.flush();
        if (machine.stats) {
            err.println(s.stats());
        }
        return s.status(exit);
    }
}

package microlith.tools;

import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import microlith.hw.MachineExit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code microlith boot}: boots with the boot log on the console and runs /sbin/init. */
@Command(name = "boot", mixinStandardHelpOptions = true,
    description = {"Boot the machine, show the boot log on the console and run the sample init.",
        "The console is host stdin/stdout; the session ends when init exits (power-off)."})
public final class BootCommand implements Callable<Integer> {
    @Mixin
    MachineOptions machine;

    @Option(names = "--script", paramLabel = "FILE", description = "Feed FILE to the console instead of stdin.")
    Path script;

    @Option(names = "--init", defaultValue = "/sbin/init", paramLabel = "PATH", description = "Program to run as init.")
    String init;

    @Option(names = "--quiet", description = "Only warnings and errors from the kernel log.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        String bad = machine.validate();
        if (bad != null) {
            System.err.println("microlith: " + bad);
            return 2;
        }
        InputStream in = System.in;
        if (script != null) {
            if (!Files.isReadable(script)) {
                System.err.println("microlith: " + script + ": No such file or directory");
                return 2;
            }
            in = new FileInputStream(script.toFile());
        }
        Initramfs image = Initramfs.standard();
        String moduleArgs;
        try {
            machine.addHostFiles(image);
            moduleArgs = machine.addModules(image);
        } catch (IOException e) {
            System.err.println("microlith: " + e.getMessage());
            return 2;
        }
        HostTerminal raw = script == null ? HostTerminal.rawIfInteractive() : null;
        // In raw mode the guest's line discipline echoes and maps NL to CR NL; otherwise
        // the host terminal (or a script) does, and the guest must not echo again.
        String tty = raw != null ? "serial.echo=1 serial.onlcr=1" : "serial.echo=0 serial.onlcr=0";
        String cmd = "console=ttyS0 " + tty + " random.seed=" + machine.seed
            + " init=" + microlith.kernel.CommandLine.quote(init) + (quiet ? " quiet" : "") + moduleArgs;
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
        MachineExit exit;
        Session s;
        try {
            if (raw != null) {
                System.err.print("microlith: raw console; Ctrl-A x stops the machine\r\n");
            }
            Session[] holder = new Session[1];
            InputStream console = raw != null ? new EscapeInput(in, () -> holder[0].machine().interrupt()) : in;
            // reboot in the guest resets the machine: boot it again, as a PC would.
            do {
                out.flush();
                s = new Session(machine.memoryBytes(), console, out, System.err, false);
                holder[0] = s;
                if (machine.disk != null) {
                    s.machine().attachDisk(machine.disk);
                }
                s.machine().setInteractive(raw != null);
                exit = s.boot(image.build(), cmd, machine.maxInstructions);
            } while (exit.kind == MachineExit.Kind.RESET);
            out.flush();
        } finally {
            if (raw != null) {
                raw.close();
            }
        }
        if (machine.stats) {
            System.err.println(s.stats());
        }
        return s.status(exit);
    }
}

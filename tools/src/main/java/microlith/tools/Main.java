package microlith.tools;

import microlith.hw.BootException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code microlith} command line. */
@Command(name = "microlith", mixinStandardHelpOptions = true, version = "microlith 0.1.0",
    description = "A miniature operating system in Java on a simulated AMD64 machine.",
    subcommands = {RunCommand.class, BootCommand.class, BenchCommand.class, LmbenchCommand.class, CompareCommand.class,
        MkfsCommand.class, FsckCommand.class, FuzzCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // Everything after FILE belongs to the guest program, options included.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof BootException) {
                // What was asked for cannot boot (too little memory for the image): say what is needed.
                cmd.getErr().println("microlith: " + ex.getMessage());
                return 2;
            }
            boolean debug = Boolean.getBoolean("microlith.debug");
            if (debug) {
                ex.printStackTrace();
            } else {
                cmd.getErr().println("microlith: internal error: " + ex + " (run with --debug for details)");
            }
            return 70;
        });
        return cl.execute(args);
    }
}

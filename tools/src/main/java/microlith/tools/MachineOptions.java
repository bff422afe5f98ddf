package microlith.tools;

import picocli.CommandLine.Option;

/** Options shared by the commands that boot a machine. */
final class MachineOptions {
    @Option(names = "--model", defaultValue = "monolithic", paramLabel = "MODEL",
        description = "OS model: monolithic (microkernel and hybrid are not implemented yet).")
    String model;

    @Option(names = "--memory", defaultValue = "64M", paramLabel = "SIZE",
        description = "Physical memory, e.g. 64M or 1G (16M to 1G; default ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = {"--max-instructions"}, defaultValue = "0", paramLabel = "N",
        description = "Stop the machine after N guest instructions (exit status 124); 0 means no limit.")
    long maxInstructions;

    @Option(names = "--seed", defaultValue = "27756", paramLabel = "N",
        description = "Seed for AT_RANDOM and getrandom bytes (runs are reproducible per seed).")
    int seed;

    @Option(names = "--stats", description = "Print the machine's event counters to stderr at the end.")
    boolean stats;

    @Option(names = "--debug", description = "Show Java stack traces for internal errors.")
    void debug(boolean on) {
        if (on) {
            System.setProperty("microlith.debug", "true");
            // Must be set before the first logger is created (logback reads it at start).
            System.setProperty("microlith.loglevel", "DEBUG");
        }
    }

    long memoryBytes() {
        String m = memory.trim().toUpperCase();
        long mult = 1;
        if (m.endsWith("K")) {
            mult = 1L << 10;
        } else if (m.endsWith("M")) {
            mult = 1L << 20;
        } else if (m.endsWith("G")) {
            mult = 1L << 30;
        }
        if (mult != 1) {
            m = m.substring(0, m.length() - 1);
        }
        return Long.parseLong(m) * mult;
    }

    /** Null if the options are usable, else a one-line complaint. */
    String validate() {
        if (!model.equals("monolithic")) {
            if (model.equals("microkernel") || model.equals("hybrid")) {
                return "--model=" + model + " is not implemented yet; only monolithic runs today";
            }
            return "unknown model '" + model + "' (monolithic, microkernel or hybrid)";
        }
        try {
            long b = memoryBytes();
            if (b < 16L << 20 || b > 1L << 30 || b % 4096 != 0) {
                return "--memory must be between 16M and 1G";
            }
        } catch (NumberFormatException e) {
            return "bad --memory value '" + memory + "'";
        }
        return null;
    }
}

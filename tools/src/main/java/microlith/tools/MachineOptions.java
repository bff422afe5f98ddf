package microlith.tools;

import java.io.IOException;
import java.nio.file.Path;
import microlith.hw.dev.DiskImage;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the commands that boot a machine. */
final class MachineOptions {
    @Mixin
    ModelOptions models = new ModelOptions();

    @Option(names = "--mitigations", defaultValue = "all", paramLabel = "LIST",
        description = "Exploit mitigations left on: all (the default, as on Linux), none, or a comma-separated list "
            + "of smep, smap, kaslr, nx; the others are turned off with the kernel's nosmep, nosmap, nokaslr and "
            + "noexec=off (see docs/security-lab.md).")
    String mitigations = "all";

    @Option(names = "--pcid", defaultValue = "${sys:microlith.pcid:-false}",
        description = "Tagged TLBs: the kernel turns on CR4.PCIDE and gives address spaces PCIDs, so a switch back "
            + "to one keeps its TLB entries (the kernel command line's pcid=1).")
    boolean pcid;

    @Option(names = "--memory", defaultValue = "64M", paramLabel = "SIZE",
        description = "Physical memory, e.g. 64M or 1G (16M to 1G; default ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = {"--max-instructions"}, defaultValue = "0", paramLabel = "N",
        description = "Stop the machine after N guest instructions (exit status 124); 0 means no limit.")
    long maxInstructions;

    @Option(names = "--seed", defaultValue = "27756", paramLabel = "N",
        description = "Seed for AT_RANDOM and getrandom bytes (runs are reproducible per seed).")
    int seed;

    @Option(names = "--disk", paramLabel = "IMAGE",
        description = "Attach host file IMAGE as the disk on the primary ATA channel (hda); guest writes change the file.")
    Path disk;

    @Option(names = "--module", paramLabel = "FILE.ko",
        description = "Load this module at boot, before init (repeatable); it is copied to /lib/modules/extra/.")
    java.util.List<Path> modules = new java.util.ArrayList<>();

    @Option(names = "--add", paramLabel = "HOSTFILE",
        description = "Also copy HOSTFILE into the image as /host/NAME (repeatable), e.g. to run it from the shell.")
    java.util.List<Path> extra = new java.util.ArrayList<>();

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

    /**
     * Creates /host in the image with the --add files in it (executable, owned by root),
     * or throws with a one-line complaint.
     */
    void addHostFiles(Initramfs image) throws IOException {
        image.dir("/host", 0755, 0, 0);
        for (Path p : extra) {
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new IOException(p + ": No such file or directory");
            }
            image.file("/host/" + p.getFileName(), java.nio.file.Files.readAllBytes(p), 0755, 0, 0);
        }
    }

    /**
     * Copies the --module files into the image and returns the command-line words that
     * make the kernel load them before init (and those of --model, --placement and
     * --mitigations), or throws with a one-line complaint.
     */
    String addModules(Initramfs image) throws IOException {
        StringBuilder cmd = new StringBuilder(ModelOptions.words(models.model, models.placements));
        if (pcid) {
            cmd.append(" pcid=1");
        }
        String off = mitigationSet().commandLineWords();
        if (!off.isEmpty()) {
            cmd.append(' ').append(off);
        }
        if (!modules.isEmpty()) {
            image.dir("/lib/modules/extra", 0755, 0, 0);
        }
        for (Path ko : modules) {
            if (!java.nio.file.Files.isRegularFile(ko)) {
                throw new IOException(ko + ": No such file or directory");
            }
            String guest = "/lib/modules/extra/" + ko.getFileName();
            image.file(guest, ModPost.annotate(java.nio.file.Files.readAllBytes(ko)), 0644, 0, 0);
            cmd.append(" module=").append(microlith.kernel.CommandLine.quote(guest));
        }
        return cmd.toString();
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

    /** --mitigations as the kernel's switches; null if the list names something else. */
    microlith.kernel.Mitigations mitigationSet() {
        String m = mitigations.trim();
        if (m.equals("all")) {
            return microlith.kernel.Mitigations.ALL;
        }
        java.util.List<String> on = m.equals("none") ? java.util.List.of() : java.util.List.of(m.split(",", -1));
        for (String w : on) {
            if (!java.util.List.of("smep", "smap", "kaslr", "nx").contains(w)) {
                return null;
            }
        }
        return new microlith.kernel.Mitigations(on.contains("smep"), on.contains("smap"), on.contains("kaslr"),
            on.contains("nx"));
    }

    /** Null if the options are usable, else a one-line complaint. */
    String validate() {
        String bad = models.validate();
        if (bad != null) {
            return bad;
        }
        if (mitigationSet() == null) {
            return "bad --mitigations '" + mitigations + "' (all, none, or a comma-separated list of smep, smap, kaslr, nx)";
        }
        try {
            long b = memoryBytes();
            if (b < 16L << 20 || b > 1L << 30 || b % 4096 != 0) {
                return "--memory must be between 16M and 1G";
            }
        } catch (NumberFormatException e) {
            return "bad --memory value '" + memory + "'";
        }
        if (maxInstructions < 0) {
            return "--max-instructions must be a positive count, or 0 for no limit (got " + maxInstructions + ")";
        }
        if (disk != null) {
            try {
                DiskImage.open(disk).close();
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        return null;
    }
}

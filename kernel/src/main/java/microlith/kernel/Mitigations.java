package microlith.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's exploit mitigations, read from the command line. Each is on unless a word
 * turns it off, with Linux's words:
 *
 * <pre>
 * nosmep      CR4.SMEP stays clear: ring 0 may execute code in user pages (ret2usr)
 * nosmap      CR4.SMAP stays clear: ring 0 may read and write user pages without STAC
 * nokaslr     the kernel text at its link address, 0xffffffff81000000, and the module area
 *             at 0xffffffffa0000000, instead of slid by a seed-derived offset
 * noexec=off  no NX bit in any page-table entry (Linux's __supported_pte_mask): kernel
 *             data, the direct map and kmalloc memory, module data, user stacks and heaps
 *             all become executable
 * </pre>
 *
 * Turning SMEP or SMAP off also clears the feature from /proc/cpuinfo, as Linux's
 * setup_clear_cpu_cap does; the CPU itself still reports both in CPUID leaf 7.
 */
public record Mitigations(boolean smep, boolean smap, boolean kaslr, boolean nx) {
    public static final Mitigations ALL = new Mitigations(true, true, true, true);

    public static Mitigations fromCommandLine(CommandLine c) {
        return new Mitigations(!c.has("nosmep"), !c.has("nosmap"), !c.has("nokaslr"),
            !c.get("noexec", "on").equals("off"));
    }

    /** The command-line words that give exactly these mitigations on a kernel where all are on by default. */
    public String commandLineWords() {
        List<String> w = new ArrayList<>();
        if (!smep) {
            w.add("nosmep");
        }
        if (!smap) {
            w.add("nosmap");
        }
        if (!kaslr) {
            w.add("nokaslr");
        }
        if (!nx) {
            w.add("noexec=off");
        }
        return String.join(" ", w);
    }

    /** One line for the boot log. */
    public String describe() {
        return String.format("SMEP %s, SMAP %s, KASLR %s, NX %s", on(smep), on(smap), on(kaslr), on(nx));
    }

    private static String on(boolean b) {
        return b ? "on" : "off";
    }
}

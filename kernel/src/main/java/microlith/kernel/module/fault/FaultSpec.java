package microlith.kernel.module.fault;

/**
 * One fault to inject: into which module, of which type, at which site (the n-th place of
 * that type in the module's bytecode, counted as {@link FaultInjector#sites} counts), and
 * the type's parameters: the bit mask of a flip, or a wild write's address and value.
 * On the kernel command line: {@code faultinject=MODULE:TYPE:SITE:PARAM:PARAM2}, the
 * numbers in hex.
 */
public record FaultSpec(String module, FaultType type, int site, long param, long param2) {
    /** The command-line form. */
    public String format() {
        return module + ":" + type.key + ":" + site + ":" + Long.toHexString(param) + ":" + Long.toHexString(param2);
    }

    /** Parses the command-line form; null if it is not one. */
    public static FaultSpec parse(String s) {
        String[] f = s.split(":");
        if (f.length != 5 || FaultType.of(f[1]) == null || !f[0].matches("[A-Za-z0-9_]{1,55}")) {
            return null;
        }
        try {
            return new FaultSpec(f[0], FaultType.of(f[1]), Integer.parseInt(f[2]), Long.parseUnsignedLong(f[3], 16),
                Long.parseUnsignedLong(f[4], 16));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package microlith.tools.fault;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import microlith.hw.MachineExit;

/**
 * What one injected fault did, as the rules of docs/fault-injection.md decide it from how
 * the machine stopped, what the workload printed, the kernel log and the disk. The classes
 * are ordered by severity; a trial gets the most severe one whose rule holds.
 */
public enum Outcome {
    /** The workload ran to its end, every call succeeded and every byte came back. */
    NO_EFFECT("no effect"),
    /** Some call failed with an error (or a module did not load), and the system went on. */
    CALL_FAILED("call failed, recovered"),
    /** A server died and the reincarnation server started it again. */
    RESTARTED("server restarted"),
    /** The kernel reported a bug in ring 0 (an oops, a soft lockup) and went on. */
    OOPS("kernel oops"),
    /** The machine stopped (panic, triple fault) or never finished (the instruction limit, idle forever). */
    PANIC_OR_HANG("kernel panic or hang"),
    /** Data came back wrong without an error, an acknowledged write is not on the disk, or fsck found damage. */
    CORRUPTION("silent corruption");

    public final String label;

    Outcome(String label) {
        this.label = label;
    }

    private static final Pattern ACK = Pattern.compile("(?m)^ack (\\S+) \\d+ ([0-9a-f]{8})$");
    private static final Pattern FAIL = Pattern.compile("(?m)^(fail |ring fail )");
    private static final Pattern BAD = Pattern.compile("(?m)^(read \\S+ bad|ring bad)");

    /** A trial's outcome, with the facts that decided it. */
    public record Classified(Outcome outcome, int lostWrites, boolean fsckLeaks, String detail) {
    }

    /** The "ack NAME SIZE CRC" lines: files the workload was told are safe, with their CRC-32. */
    public static Map<String, Long> acked(String out) {
        Map<String, Long> acks = new TreeMap<>();
        Matcher m = ACK.matcher(out);
        while (m.find()) {
            acks.put(m.group(1), Long.parseLong(m.group(2), 16));
        }
        return acks;
    }

    public static Classified classify(Trial.Result r) {
        Map<String, Long> acks = acked(r.out());
        int lost = 0;
        for (Map.Entry<String, Long> a : acks.entrySet()) {
            if (!a.getValue().equals(r.disk().files().get(a.getKey()))) {
                lost++;
            }
        }
        DiskCheck.State disk = r.disk();
        boolean fsckDamage = disk.unreadable() != null || !disk.problems().isEmpty() && !disk.leaksOnly();
        boolean leaks = disk.unreadable() == null && !disk.problems().isEmpty() && disk.leaksOnly();
        boolean badData = BAD.matcher(r.out()).find();
        boolean oops = r.dmesg().stream().anyMatch(l -> l.contains("] Oops: ") || l.contains("] RIP: 0010:"));
        boolean restarted = r.dmesg().stream().anyMatch(l -> l.contains("] rs: ") && l.contains(" restarted ("));
        boolean finished = r.out().contains("\nEND\n") || r.out().startsWith("END\n");
        boolean failed = FAIL.matcher(r.out()).find() || !finished || !r.err().isEmpty();
        Outcome o;
        String detail;
        if (r.exit().kind != MachineExit.Kind.POWER_OFF) {
            o = PANIC_OR_HANG;
            detail = r.exit().kind.name().toLowerCase() + (r.exit().detail == null ? "" : ": " + r.exit().detail);
        } else if (lost > 0 || badData || fsckDamage) {
            o = CORRUPTION;
            detail = lost > 0 ? lost + " acknowledged write(s) lost" : badData ? "data read back wrong"
                : disk.unreadable() != null ? "disk unreadable: " + disk.unreadable() : "fsck: " + disk.problems().get(0);
        } else if (oops) {
            o = OOPS;
            detail = firstLine(r, "] BUG: ", "] watchdog: ", "] Oops: ");
        } else if (restarted) {
            o = RESTARTED;
            detail = firstLine(r, " died", "] rs: ");
        } else if (failed) {
            o = CALL_FAILED;
            detail = !r.err().isEmpty() ? r.err().lines().findFirst().orElse("") : firstOutLine(r.out());
        } else {
            o = NO_EFFECT;
            detail = "";
        }
        return new Classified(o, lost, leaks, detail.length() > 160 ? detail.substring(0, 160) : detail);
    }

    private static String firstLine(Trial.Result r, String... marks) {
        for (String m : marks) {
            for (String l : r.dmesg()) {
                if (l.contains(m)) {
                    return l.replaceFirst("^\\[ *[0-9.]+\\] ", "");
                }
            }
        }
        return "";
    }

    private static String firstOutLine(String out) {
        Matcher m = FAIL.matcher(out);
        if (m.find()) {
            int end = out.indexOf('\n', m.start());
            return out.substring(m.start(), end < 0 ? out.length() : end);
        }
        return "the workload did not finish";
    }
}

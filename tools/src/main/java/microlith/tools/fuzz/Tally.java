package microlith.tools.fuzz;

import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a campaign, added up from the "fuzz:" lines /bin/fuzz prints:
 *
 * <pre>
 * fuzz: child 12 end pid=40 calls=97 signal=11 in rt_sigreturn
 * fuzz: sys read calls=812 OK=301 EBADF=200 EFAULT=311
 * fuzz: summary children=20 calls=2000 distinct=120 implemented=110 timeouts=1
 * fuzz: deaths 9=3 11=12
 * </pre>
 */
final class Tally {
    long calls;
    long children;
    long timeouts;
    /** Per system call: outcome name (OK, an errno name, noreturn) to count. */
    final Map<String, Map<String, Long>> bySyscall = new TreeMap<>();
    final Map<String, Long> outcomes = new TreeMap<>();
    /** How children died: signal number to count. */
    final Map<Integer, Long> deaths = new TreeMap<>();

    /** Adds what one run of /bin/fuzz printed (a run that finished: it has a summary). */
    void add(String out) {
        for (String line : out.split("\n")) {
            int at = line.indexOf("fuzz: ");
            if (at < 0) {
                continue;
            }
            String[] w = line.substring(at + 6).trim().split(" ");
            if (w.length == 0) {
                continue;
            }
            switch (w[0]) {
                case "sys": {
                    Map<String, Long> m = bySyscall.computeIfAbsent(w[1], x -> new TreeMap<>());
                    for (int i = 2; i < w.length; i++) {
                        String[] kv = w[i].split("=", 2);
                        if (kv.length == 2 && !kv[0].equals("calls")) {
                            long n = Long.parseLong(kv[1]);
                            m.merge(kv[0], n, Long::sum);
                            outcomes.merge(kv[0], n, Long::sum);
                        }
                    }
                    break;
                }
                case "summary":
                    calls += value(w, "calls");
                    children += value(w, "children");
                    timeouts += value(w, "timeouts");
                    break;
                case "deaths":
                    for (int i = 1; i < w.length; i++) {
                        String[] kv = w[i].split("=", 2);
                        if (kv.length == 2) {
                            deaths.merge(Integer.parseInt(kv[0]), Long.parseLong(kv[1]), Long::sum);
                        }
                    }
                    break;
                default:
                    break;
            }
        }
    }

    private static long value(String[] words, String key) {
        for (String w : words) {
            if (w.startsWith(key + "=")) {
                return Long.parseLong(w.substring(key.length() + 1));
            }
        }
        return 0;
    }

    /** System calls issued with typed arguments (the "(random)" numbers not counted). */
    int distinct() {
        int n = 0;
        for (String s : bySyscall.keySet()) {
            n += s.startsWith("(") ? 0 : 1;
        }
        return n;
    }

    /** Of those, the ones the kernel implements: some outcome other than ENOSYS. */
    int implemented() {
        int n = 0;
        for (Map.Entry<String, Map<String, Long>> e : bySyscall.entrySet()) {
            if (!e.getKey().startsWith("(") && e.getValue().keySet().stream().anyMatch(o -> !o.equals("ENOSYS"))) {
                n++;
            }
        }
        return n;
    }
}

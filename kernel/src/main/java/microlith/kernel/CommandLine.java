package microlith.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel command line, parsed as Linux does: space-separated {@code key=value} or
 * {@code flag} words; everything after {@code --} is handed to init as its arguments.
 * Double quotes group a value containing spaces.
 *
 * <p>Parameters: {@code init=PATH} (default /sbin/init), {@code argv0=NAME} (init's
 * argv[0]), {@code console=ttyS0|ttyS1|ttyS2} (where the kernel log goes),
 * {@code init.stdin=}, {@code init.stdout=}, {@code init.stderr=} (the device under /dev for
 * init's fd 0, 1 or 2, default console: e.g. uart0, a serial line that is not a terminal),
 * {@code init.protect=0} (init dies of signals like any process), {@code loglevel=N},
 * {@code quiet}, {@code serial.echo=0|1} and {@code serial.onlcr=0|1} (the serial driver's
 * parameters, as NAME.param for any built-in driver), {@code random.seed=N} (AT_RANDOM and
 * getrandom bytes).
 */
public final class CommandLine {
    private final Map<String, String> params = new LinkedHashMap<>();
    private final List<String> initArgs = new ArrayList<>();
    private final String raw;

    public CommandLine(String raw) {
        this.raw = raw;
        List<String> words = split(raw);
        boolean afterDashes = false;
        for (String w : words) {
            if (afterDashes) {
                initArgs.add(w);
            } else if (w.equals("--")) {
                afterDashes = true;
            } else {
                int eq = w.indexOf('=');
                if (eq < 0) {
                    params.put(w, "");
                } else {
                    params.put(w.substring(0, eq), w.substring(eq + 1));
                }
            }
        }
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Quotes an argument so that {@link #split} gives it back unchanged. */
    public static String quote(String arg) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : arg.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    public String get(String key, String dflt) {
        return params.getOrDefault(key, dflt);
    }

    public boolean has(String key) {
        return params.containsKey(key);
    }

    public int getInt(String key, int dflt) {
        try {
            return Integer.parseInt(params.getOrDefault(key, Integer.toString(dflt)));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    public long getLong(String key, long dflt) {
        try {
            return Long.parseLong(get(key, Long.toString(dflt)));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** Every value of a repeatable key (module=a.ko module=b.ko), in order. */
    public List<String> getAll(String key) {
        List<String> out = new java.util.ArrayList<>();
        for (String w : raw().split(" ")) {
            if (w.startsWith(key + "=")) {
                String v = w.substring(key.length() + 1);
                out.add(v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v);
            }
        }
        return out;
    }

    public List<String> initArgs() {
        return initArgs;
    }

    public String raw() {
        return raw;
    }
}

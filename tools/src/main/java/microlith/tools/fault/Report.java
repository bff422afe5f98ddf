package microlith.tools.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import microlith.kernel.module.fault.FaultSpec;
import microlith.kernel.module.fault.FaultType;

/**
 * A campaign's results: one row per fault, the table printed at the end (outcomes per
 * class, by fault type and by target, for each model), and the same rows as CSV or JSON.
 */
public final class Report {
    /** One trial. */
    public record Row(String model, int index, FaultSpec fault, long activations, String site,
                      Outcome.Classified result) {
    }

    /** Wide enough for the longest row name, "type exception" or "target ringbuf". */
    private static final int NAME_WIDTH = 16;

    private final long seed;
    private final List<Row> rows = new ArrayList<>();

    public Report(long seed) {
        this.seed = seed;
    }

    public void add(Row r) {
        rows.add(r);
    }

    public List<Row> rows() {
        return rows;
    }

    /** {faults, activated, one count per outcome, lost writes, fsck leaks} over the rows that match. */
    private static long[] tally(List<Row> rs) {
        Outcome[] all = Outcome.values();
        long[] t = new long[4 + all.length];
        for (Row r : rs) {
            t[0]++;
            t[1] += r.activations() > 0 ? 1 : 0;
            t[2 + r.result().outcome().ordinal()]++;
            t[2 + all.length] += r.result().lostWrites();
            t[3 + all.length] += r.result().fsckLeaks() ? 1 : 0;
        }
        return t;
    }

    /** The table, one section per model. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        Map<String, List<Row>> byModel = group(rows, Row::model);
        for (Map.Entry<String, List<Row>> m : byModel.entrySet()) {
            sb.append(String.format("faultinject: model %s, %d faults, seed %d%n", m.getKey(), m.getValue().size(),
                seed));
            sb.append(String.format("%-" + NAME_WIDTH + "s %7s %9s", "", "faults", "activated"));
            for (Outcome o : Outcome.values()) {
                sb.append(String.format(" %11s", shortLabel(o)));
            }
            sb.append(String.format(" %11s %10s%n", "lost acked", "fsck leaks"));
            Map<String, List<Row>> byType = new LinkedHashMap<>();
            for (FaultType t : FaultType.values()) {
                byType.put("type " + t.key, new ArrayList<>());
            }
            for (Row r : m.getValue()) {
                byType.get("type " + r.fault().type().key).add(r);
            }
            for (Map.Entry<String, List<Row>> e : byType.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    line(sb, e.getKey(), tally(e.getValue()));
                }
            }
            for (Map.Entry<String, List<Row>> e : group(m.getValue(), r -> "target " + r.fault().module()).entrySet()) {
                line(sb, e.getKey(), tally(e.getValue()));
            }
            line(sb, "total", tally(m.getValue()));
        }
        return sb.toString();
    }

    private static String shortLabel(Outcome o) {
        switch (o) {
            case NO_EFFECT: return "no effect";
            case CALL_FAILED: return "call failed";
            case RESTARTED: return "restarted";
            case OOPS: return "oops";
            case PANIC_OR_HANG: return "panic/hang";
            default: return "corruption";
        }
    }

    private static void line(StringBuilder sb, String name, long[] t) {
        sb.append(String.format("%-" + NAME_WIDTH + "s %7d %9d", name, t[0], t[1]));
        for (int i = 0; i < Outcome.values().length; i++) {
            sb.append(String.format(" %11d", t[2 + i]));
        }
        sb.append(String.format(" %11d %10d%n", t[2 + Outcome.values().length], t[3 + Outcome.values().length]));
    }

    private static <K> Map<K, List<Row>> group(List<Row> rs, java.util.function.Function<Row, K> key) {
        Map<K, List<Row>> out = new LinkedHashMap<>();
        for (Row r : rs) {
            out.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** One line per fault, with a header. */
    public String csv() {
        StringBuilder sb = new StringBuilder(
            "model,index,target,type,site,param,param2,activations,outcome,lost_acked_writes,fsck_leaks,where,detail\n");
        for (Row r : rows) {
            FaultSpec f = r.fault();
            sb.append(String.join(",", r.model(), Integer.toString(r.index()), f.module(), f.type().key,
                Integer.toString(f.site()), hex(f.param()), hex(f.param2()), Long.toString(r.activations()),
                r.result().outcome().name().toLowerCase(Locale.ROOT), Integer.toString(r.result().lostWrites()),
                Boolean.toString(r.result().fsckLeaks()), quote(r.site()), quote(r.result().detail()))).append('\n');
        }
        return sb.toString();
    }

    /** The totals per model and every row, as one JSON object. */
    public String json() {
        StringBuilder sb = new StringBuilder("{\n  \"seed\": " + seed + ",\n  \"models\": {");
        String sep = "";
        for (Map.Entry<String, List<Row>> m : group(rows, Row::model).entrySet()) {
            long[] t = tally(m.getValue());
            sb.append(sep).append("\n    ").append(jstr(m.getKey())).append(": {\"faults\": ").append(t[0])
                .append(", \"activated\": ").append(t[1]);
            for (Outcome o : Outcome.values()) {
                sb.append(", ").append(jstr(o.name().toLowerCase(Locale.ROOT))).append(": ").append(t[2 + o.ordinal()]);
            }
            sb.append(", \"lost_acked_writes\": ").append(t[2 + Outcome.values().length])
                .append(", \"fsck_leaks\": ").append(t[3 + Outcome.values().length]).append('}');
            sep = ",";
        }
        sb.append("\n  },\n  \"trials\": [");
        sep = "";
        for (Row r : rows) {
            FaultSpec f = r.fault();
            sb.append(sep).append("\n    {\"model\": ").append(jstr(r.model())).append(", \"index\": ").append(r.index())
                .append(", \"target\": ").append(jstr(f.module())).append(", \"type\": ").append(jstr(f.type().key))
                .append(", \"site\": ").append(f.site()).append(", \"param\": ").append(jstr(hex(f.param())))
                .append(", \"param2\": ").append(jstr(hex(f.param2()))).append(", \"activations\": ")
                .append(r.activations()).append(", \"outcome\": ")
                .append(jstr(r.result().outcome().name().toLowerCase(Locale.ROOT))).append(", \"lost_acked_writes\": ")
                .append(r.result().lostWrites()).append(", \"fsck_leaks\": ").append(r.result().fsckLeaks())
                .append(", \"where\": ").append(jstr(r.site())).append(", \"detail\": ")
                .append(jstr(r.result().detail())).append('}');
            sep = ",";
        }
        return sb.append("\n  ]\n}\n").toString();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String quote(String s) {
        return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String jstr(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}

package microlith.tools.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A fuzzing campaign: /bin/fuzz runs in batches of children, one boot per batch, until
 * the requested number of calls is issued, in any OS model. After each batch the
 * kernel's final state is compared with a reference boot that ran no children (no page,
 * kmalloc object, server heap byte, task or timer left behind); during each batch every
 * page table is checked between slices. An oops, and in the microkernel and hybrid
 * models a server's death, is a finding too: contained, but a bug all the same.
 * A batch that kills the machine (kernel panic, Java exception in the kernel, triple
 * fault, hang) is a finding: the child that was running is replayed alone with every
 * call printed, and the calls it issued are reduced (the call in flight alone first,
 * then delta debugging) to the fewest that still kill the machine the same way. The
 * campaign then goes on from the next child.
 */
public final class Campaign {
    /** Everything the command line can set. */
    public static final class Options {
        public int seed = 1;
        public long calls = 20_000;
        public int perChild = 1000;
        public String users = "both";
        public int batch = 40;
        /** The first child: a later one starts the campaign where a leak's batch began. */
        public long first;
        public int timeoutMs = 1000;
        public long memory = 64L << 20;
        /** The OS model (monolithic, microkernel, hybrid) and --placement overrides. */
        public String model = "monolithic";
        public List<String> placements = new ArrayList<>();
        public long checkEvery = 20_000_000L;
        public boolean reduce = true;
        public int maxReduceRuns = 60;
        public boolean table;
        /** Sample modules (by name) the fuzzer loads first and fuzzes through their devices. */
        public List<String> modules = new ArrayList<>();
    }

    /** A machine-killing input, reduced. */
    public static final class Finding {
        public String kind;
        public String crash;
        public long child;
        public String replay;
        public final List<String> calls = new ArrayList<>();
        public final List<String> log = new ArrayList<>();
        public boolean reproducible;
    }

    private final Options o;
    private final PrintStream out;
    public final Tally tally = new Tally();
    public final List<Finding> findings = new ArrayList<>();
    public final List<String> leaks = new ArrayList<>();
    public final List<String> oopses = new ArrayList<>();
    public final List<String> serverDeaths = new ArrayList<>();
    public final List<String> tableViolations = new ArrayList<>();
    public long tableChecks;
    public int boots;
    public int panics, hostExceptions, hangs, tripleFaults, initDeaths;

    public Campaign(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    private List<String> baseArgs() {
        List<String> a = new ArrayList<>(List.of("-s", Integer.toString(o.seed), "-k", Integer.toString(o.perChild),
            "-u", o.users, "-t", Integer.toString(o.timeoutMs)));
        for (String m : o.modules) {
            a.addAll(List.of("-M", m));
        }
        return a;
    }

    private GuestRun.Result boot(List<String> args, long children) throws IOException {
        boots++;
        // A generous budget: 200k instructions per call, 50 M per child at least.
        long budget = Math.max(50_000_000L, o.perChild * 200_000L) * Math.max(1, children) + 100_000_000L;
        long wall = 60 + children * Math.max(5, o.perChild / 50);
        GuestRun.Result r = GuestRun.run(new GuestRun.Setup(o.memory, o.model, o.placements), o.seed, args,
            o.checkEvery, budget, wall);
        tableChecks += r.checks;
        if (r.checkViolations > 0) {
            for (String v : r.violationSamples) {
                tableViolations.add(v);
            }
        }
        oopses.addAll(r.oopses());
        serverDeaths.addAll(r.serverDeaths());
        return r;
    }

    /** Runs the campaign; returns true when nothing was found. */
    public boolean run() throws IOException {
        List<String> none = baseArgs();
        none.addAll(List.of("-C", "0"));
        GuestRun.Result ref = boot(none, 1);
        if (ref.crashed() || ref.end == null) {
            throw new IOException("the reference boot (no children) failed: " + ref.crash);
        }
        long next = o.first;
        while (tally.calls < o.calls) {
            List<String> args = baseArgs();
            args.addAll(List.of("-c", Long.toString(next), "-C", Integer.toString(o.batch), "-n",
                Long.toString(o.calls - tally.calls)));
            GuestRun.Result r = boot(args, o.batch);
            if (!r.crashed()) {
                tally.add(r.out);
                List<String> left = r.end.differences(ref.end);
                for (String d : left) {
                    leaks.add("children " + next + "..: " + d);
                }
                if (!left.isEmpty() && o.reduce) {
                    reduceLeak(next, (int) (lastChild(r.out, "end") - next + 1), ref, left.get(0));
                }
                for (String m : moduleTrouble(r.out)) {
                    leaks.add("children " + next + "..: " + m);
                }
                long last = lastChild(r.out, "end");
                if (last < next) {
                    break; // nothing ran: nothing more will
                }
                next = last + 1;
                progress();
                continue;
            }
            long culprit = lastChild(r.out, "begin");
            count(r.kind);
            Finding f = new Finding();
            f.kind = r.kind;
            f.crash = r.crash;
            f.child = culprit;
            f.log.addAll(tail(r.log, 12));
            if (culprit >= next) {
                if (culprit > next) {
                    // The children before the culprit did finish: count them from a run of their own.
                    List<String> before = baseArgs();
                    before.addAll(List.of("-c", Long.toString(next), "-C", Long.toString(culprit - next)));
                    GuestRun.Result b = boot(before, culprit - next);
                    if (!b.crashed()) {
                        tally.add(b.out);
                    }
                }
                if (o.reduce) {
                    reduce(f, sameFailure(r));
                }
                next = culprit + 1;
            } else {
                next += o.batch;
            }
            findings.add(f);
            out.println("microlith fuzz: FOUND " + f.crash + " (child " + f.child + ")");
            for (String c : f.calls) {
                out.println("    " + c);
            }
        }
        return findings.isEmpty() && leaks.isEmpty() && oopses.isEmpty() && serverDeaths.isEmpty()
            && tableViolations.isEmpty();
    }

    private void count(String kind) {
        switch (kind) {
            case "host-exception": hostExceptions++; break;
            case "hang": hangs++; break;
            case "triple-fault": tripleFaults++; break;
            case "init-died": initDeaths++; break;
            default: panics++; break;
        }
    }

    private void progress() {
        out.printf("microlith fuzz: %,d calls, %,d children, %d boots, %d finding(s)%n", tally.calls, tally.children,
            boots, findings.size());
        out.flush();
    }

    /**
     * A module that would not load, or would not unload once the children were gone (an
     * open file of its device left behind holds it): "fuzz: module NAME load|unload=R".
     */
    static List<String> moduleTrouble(String out) {
        List<String> r = new ArrayList<>();
        for (String line : out.split("\n")) {
            int at = line.indexOf("fuzz: module ");
            if (at >= 0) {
                String[] w = line.substring(at + 13).trim().split(" ");
                if (w.length == 2 && !w[1].endsWith("=0")) {
                    r.add("module " + w[0] + ": " + w[1] + (w[1].equals("unload=-16") ? " (still in use)" : ""));
                }
            }
        }
        return r;
    }

    /** The highest child number on a "fuzz: child J KIND" line, or -1. */
    static long lastChild(String out, String kind) {
        long last = -1;
        for (String line : out.split("\n")) {
            int at = line.indexOf("fuzz: child ");
            if (at < 0) {
                continue;
            }
            String[] w = line.substring(at + 12).split(" ");
            if (w.length >= 2 && w[1].equals(kind)) {
                last = Math.max(last, Long.parseLong(w[0]));
            }
        }
        return last;
    }

    private static List<String> tail(List<String> l, int n) {
        return new ArrayList<>(l.subList(Math.max(0, l.size() - n), l.size()));
    }

    /** The same way of dying: same kind and the same message, numbers aside. */
    static Predicate<GuestRun.Result> sameFailure(GuestRun.Result first) {
        String want = normalize(first.crash);
        return r -> r.crashed() && r.kind.equals(first.kind) && normalize(r.crash).equals(want);
    }

    private static String normalize(String s) {
        return s == null ? "" : s.replaceAll("0x[0-9a-fA-F]+|\\d+", "N");
    }

    /**
     * A leak after the batch of count children from first: the child that leaves it is
     * found by halving the batch (each half booted on its own), then its calls are
     * reduced as a crash's are, all of them candidates, to the fewest that leave the same
     * kind of leak. Recorded as a finding of kind "leak".
     */
    private void reduceLeak(long first, int count, GuestRun.Result ref, String leak) throws IOException {
        Predicate<GuestRun.Result> leaks = sameLeak(ref, leak);
        long from = first;
        int n = count;
        while (n > 1) {
            int half = n / 2;
            if (leaks.test(bootChildren(from, half))) {
                n = half;
            } else if (leaks.test(bootChildren(from + half, n - half))) {
                from += half;
                n -= half;
            } else {
                break; // only together: the children's interplay leaks
            }
        }
        Finding f = new Finding();
        f.kind = "leak";
        f.crash = "leak: " + leak;
        f.child = from;
        if (n == 1) {
            reduce(f, leaks, false);
        } else {
            f.calls.add("(children " + from + "-" + (from + n - 1) + " leave it together, none alone)");
        }
        findings.add(f);
        out.println("microlith fuzz: FOUND " + f.crash + " (child " + f.child + ")");
        for (String c : f.calls) {
            out.println("    " + c);
        }
    }

    private GuestRun.Result bootChildren(long from, long count) throws IOException {
        List<String> a = baseArgs();
        a.addAll(List.of("-c", Long.toString(from), "-C", Long.toString(count), "-S"));
        return boot(a, count);
    }

    /** A run that powered off leaving the same kind of leak (the same line, numbers aside). */
    static Predicate<GuestRun.Result> sameLeak(GuestRun.Result ref, String leak) {
        String want = normalize(leak);
        return r -> !r.crashed() && r.end != null
            && r.end.differences(ref.end).stream().anyMatch(d -> normalize(d).equals(want));
    }

    /**
     * Replays child f.child alone with every call printed, then looks for the fewest of
     * its calls that still fail the same way: the call in flight alone, else delta
     * debugging over the calls before it (the call in flight always kept).
     */
    public void reduce(Finding f, Predicate<GuestRun.Result> fails) throws IOException {
        reduce(f, fails, true);
    }

    /**
     * The reduction; with inFlight false (a leak, which no call is in the middle of) every
     * call the child issued is a candidate for delta debugging.
     */
    private void reduce(Finding f, Predicate<GuestRun.Result> fails, boolean inFlightFirst) throws IOException {
        List<String> replay = baseArgs();
        replay.addAll(List.of("-c", Long.toString(f.child), "-C", "1", "-v", "-S"));
        f.replay = "/bin/fuzz " + String.join(" ", replay);
        GuestRun.Result r = boot(replay, 1);
        if (!fails.test(r)) {
            f.reproducible = false;
            f.calls.add("(does not reproduce when child " + f.child + " runs alone)");
            return;
        }
        f.reproducible = true;
        Map<Long, String> lines = callLines(r.out);
        if (lines.isEmpty()) {
            f.calls.add("(the child died before its first call)");
            return;
        }
        long last = lines.keySet().stream().max(Long::compare).get();
        long inFlight = inFlightFirst ? last : -1;
        int[] runs = {0};
        Predicate<List<Long>> test = set -> {
            if (runs[0]++ >= o.maxReduceRuns) {
                return false;
            }
            TreeSet<Long> keep = new TreeSet<>(set);
            if (inFlight >= 0) {
                keep.add(inFlight);
            }
            if (keep.isEmpty()) {
                return false;
            }
            List<String> a = new ArrayList<>(replay);
            a.addAll(List.of("-m", ranges(keep)));
            try {
                GuestRun.Result t = boot(a, 1);
                if (fails.test(t)) {
                    lines.putAll(callLines(t.out));
                    return true;
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        };
        List<Long> kept;
        if (inFlight >= 0 && test.test(List.of())) {
            kept = List.of();
        } else {
            List<Long> before = new ArrayList<>();
            for (long i = 0; i < (inFlight >= 0 ? inFlight : last + 1); i++) {
                before.add(i);
            }
            kept = ddmin(before, test);
        }
        TreeSet<Long> all = new TreeSet<>(kept);
        if (inFlight >= 0) {
            all.add(inFlight);
        }
        for (long i : all) {
            f.calls.add(lines.getOrDefault(i, "call " + i));
        }
        f.replay += " -m " + ranges(all);
    }

    /** "fuzz: call I NAME(...)" lines by index. */
    private static Map<Long, String> callLines(String out) {
        Map<Long, String> m = new java.util.TreeMap<>();
        for (String line : out.split("\n")) {
            int at = line.indexOf("fuzz: call ");
            if (at >= 0) {
                String rest = line.substring(at + 11);
                int sp = rest.indexOf(' ');
                if (sp > 0) {
                    m.put(Long.parseLong(rest.substring(0, sp)), rest.substring(sp + 1));
                }
            }
        }
        return m;
    }

    /** Sorted indices as "a-b,c" (what fuzz -m takes). */
    static String ranges(java.util.SortedSet<Long> s) {
        StringBuilder b = new StringBuilder();
        Long start = null;
        Long prev = null;
        for (long v : s) {
            if (prev != null && v == prev + 1) {
                prev = v;
                continue;
            }
            if (start != null) {
                b.append(b.length() > 0 ? "," : "").append(start).append(start.equals(prev) ? "" : "-" + prev);
            }
            start = v;
            prev = v;
        }
        if (start != null) {
            b.append(b.length() > 0 ? "," : "").append(start).append(start.equals(prev) ? "" : "-" + prev);
        }
        return b.toString();
    }

    /** Zeller's ddmin: a 1-minimal subset of c for which test holds (test(c) assumed). */
    static <T> List<T> ddmin(List<T> c, Predicate<List<T>> test) {
        int n = 2;
        while (c.size() >= 2) {
            List<List<T>> chunks = new ArrayList<>();
            int size = (c.size() + n - 1) / n;
            for (int i = 0; i < c.size(); i += size) {
                chunks.add(new ArrayList<>(c.subList(i, Math.min(c.size(), i + size))));
            }
            boolean reduced = false;
            for (List<T> chunk : chunks) {
                if (test.test(chunk)) {
                    c = chunk;
                    n = 2;
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                for (List<T> chunk : chunks) {
                    List<T> rest = new ArrayList<>(c);
                    rest.removeAll(chunk);
                    if (test.test(rest)) {
                        c = rest;
                        n = Math.max(n - 1, 2);
                        reduced = true;
                        break;
                    }
                }
            }
            if (!reduced) {
                if (n >= c.size()) {
                    break;
                }
                n = Math.min(c.size(), 2 * n);
            }
        }
        return c;
    }

    /** The figures, for the command and the tests. */
    public void report(PrintStream p, long seconds) {
        p.println("microlith fuzz: seed " + o.seed + ", model " + o.model
            + (o.placements.isEmpty() ? "" : " (" + String.join(" ", o.placements) + ")")
            + ", " + o.perChild + " calls per child, users " + o.users
            + ", " + (o.memory >> 20) + " MiB, per-child timeout " + o.timeoutMs + " ms"
            + (o.modules.isEmpty() ? "" : ", modules " + String.join(" ", o.modules)));
        p.printf("  calls issued           %,d%n", tally.calls);
        p.printf("  children               %,d (%,d killed by the watchdog)%n", tally.children, tally.timeouts);
        p.printf("  distinct syscalls      %d with typed arguments (%d implemented), plus random numbers%n",
            tally.distinct(), tally.implemented());
        StringBuilder outc = new StringBuilder();
        tally.outcomes.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .forEach(e -> outc.append(outc.length() > 0 ? ", " : "").append(e.getKey().equals("OK") ? "success" : e.getKey())
                .append(' ').append(String.format("%,d", e.getValue())));
        p.println("  outcomes               " + outc);
        StringBuilder sig = new StringBuilder();
        tally.deaths.forEach((s, n) -> sig.append(sig.length() > 0 ? ", " : "").append(signalName(s)).append(' ').append(n));
        p.println("  children's deaths      " + (sig.length() == 0 ? "none" : sig));
        p.println("  kernel panics          " + panics);
        p.println("  host exceptions        " + hostExceptions);
        p.println("  machine hangs          " + hangs + (tripleFaults > 0 ? " (and " + tripleFaults + " triple faults)" : ""));
        p.println("  init deaths            " + initDeaths + " (the fuzzer's parent killed or failing)");
        p.println("  kernel oopses          " + oopses.size());
        p.println("  server deaths          " + serverDeaths.size());
        p.println("  leaks                  " + leaks.size() + " (pages, kmalloc, tasks, timers after every boot)");
        p.printf("  page-table checks      %,d, %d violation(s)%n", tableChecks, tableViolations.size());
        p.printf("  boots                  %d, %d s%n", boots, seconds);
        for (Finding f : findings) {
            p.println("  FINDING: " + f.crash + " (child " + f.child + ")");
            for (String c : f.calls) {
                p.println("    " + c);
            }
            if (f.replay != null) {
                p.println("    replay: ./microlith run " + f.replay);
            }
        }
        leaks.forEach(l -> p.println("  LEAK: " + l));
        oopses.forEach(l -> p.println("  OOPS: " + l));
        serverDeaths.forEach(l -> p.println("  SERVER DIED: " + l));
        tableViolations.forEach(l -> p.println("  PAGE TABLES: " + l));
        if (o.table) {
            tally.bySyscall.forEach((name, m) -> {
                StringBuilder b = new StringBuilder();
                m.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
                p.println("  " + name + b);
            });
        }
    }

    private static String signalName(int s) {
        String[] n = {"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
            "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
            "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
            "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
        return s < n.length ? n[s] : "SIGRT" + s;
    }
}

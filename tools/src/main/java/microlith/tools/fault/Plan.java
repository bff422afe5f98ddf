package microlith.tools.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import microlith.kernel.mm.Layout;
import microlith.kernel.module.KoFile;
import microlith.kernel.module.fault.FaultInjector;
import microlith.kernel.module.fault.FaultSpec;
import microlith.kernel.module.fault.FaultType;

/**
 * Which fault each trial of a campaign injects: fault i depends only on the seed, i, the
 * targets' .ko files and the fault types chosen, never on the OS model, so the same seed
 * puts the same faults into every model. A (target, type) pair is drawn among those with
 * a site, then a site of it, then the type's parameters: the bit a flip flips (0-31 for a
 * result, 0-47 for an address), or a wild write's address (8-byte aligned, anywhere in
 * the direct map of RAM) and value.
 */
public final class Plan {
    private final long seed;
    private final long memoryBytes;
    /** (target, type) pairs with at least one site, and how many. */
    private final List<String> targets = new ArrayList<>();
    private final List<FaultType> types = new ArrayList<>();
    private final List<Integer> sites = new ArrayList<>();

    public Plan(long seed, long memoryBytes, Map<String, KoFile> targetKos, List<FaultType> chosen) {
        this.seed = seed;
        this.memoryBytes = memoryBytes;
        for (Map.Entry<String, KoFile> e : targetKos.entrySet()) {
            for (FaultType t : chosen) {
                int n = FaultInjector.sites(e.getValue().classes, t);
                if (n > 0) {
                    targets.add(e.getKey());
                    types.add(t);
                    sites.add(n);
                }
            }
        }
    }

    /** Whether any fault can be drawn at all. */
    public boolean empty() {
        return targets.isEmpty();
    }

    /** The i-th fault of the campaign. */
    public FaultSpec fault(int i) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        int pair = r.nextInt(targets.size());
        FaultType t = types.get(pair);
        int site = r.nextInt(sites.get(pair));
        long param = 0;
        long param2 = 0;
        switch (t) {
            case ARITH:
            case RETURN:
                param = 1L << r.nextInt(32);
                break;
            case POINTER:
                param = 1L << r.nextInt(48);
                break;
            case WILD:
                param = Layout.PAGE_OFFSET + (r.nextLong(memoryBytes) & ~7L);
                param2 = r.nextLong();
                break;
            default:
                break;
        }
        return new FaultSpec(targets.get(pair), t, site, param, param2);
    }

    /** Sites per target and type, for --list. */
    public static Map<String, Map<FaultType, Integer>> census(Map<String, KoFile> targetKos) {
        Map<String, Map<FaultType, Integer>> out = new LinkedHashMap<>();
        targetKos.forEach((name, ko) -> out.put(name, FaultInjector.census(ko.classes)));
        return out;
    }
}

package microlith.hw.cpu.translate;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import static microlith.hw.PhysicalMemory.PAGE_SIZE;

import microlith.hw.cpu.decode.DecodedPage;
import microlith.hw.cpu.decode.Insn;

/**
 * Translates hot code into JVM bytecode: each {@link Region} becomes the {@code run}
 * method of a hidden class extending {@link Block} (written by {@link BlockWriter}),
 * which the JIT then compiles like any other Java code. Inside a block the guest's
 * registers and flags are JVM locals, its loads and stores hit the TLB inline, its
 * branches are JVM branches and its loops JVM loops; the rare instructions call their
 * interpreter handler.
 *
 * <p>Architectural behaviour is exactly the interpreter's:
 * <ul>
 *   <li>at a fault the registers, flags and counters are what the interpreter would
 *       have at that instruction: the handler writes them back and records where it
 *       faulted ({@code Core.insnStart}) and how many instructions retired, counting the
 *       faulting one as the interpreter does;</li>
 *   <li>after any store the block checks that its code page is still valid, and leaves
 *       (at the next instruction) if the store dropped it;</li>
 *   <li>every basic block starts only if all its instructions fit in what is left of the
 *       slice, so slices, and with them timer interrupts, end on the same instruction as
 *       without translation; TLB hits are counted as the interpreter counts them.</li>
 * </ul>
 * Generated code refers to addresses only relative to the block's start, and to its page
 * and entries through {@link Block}'s fields, so the generated classes are cached by
 * content and shared by every machine in the JVM.
 */
public final class Translator {
    /** Whether new CPUs translate (system property {@code microlith.translate}, default true). */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("microlith.translate"));
    /**
     * Whether each block made is reported on stderr (system property
     * {@code microlith.translate.log}): its page offset, guest instructions, bytes of
     * bytecode and how often the region was formed smaller to fit {@link #MAX_CODE_BYTES}.
     */
    private static final boolean LOG = Boolean.getBoolean("microlith.translate.log");
    /** Jumps to an entry before it is translated: only code that runs often pays for a class. */
    public static final int HOT = 1024;

    /**
     * Entries per region: keeps a block's method within what the JIT compiles quickly and
     * inlines well (system property {@code microlith.translate.nodes}, for measurements;
     * 128 doubled the JIT's work on corebench and made it slower).
     */
    private static final int MAX_NODES = Integer.getInteger("microlith.translate.nodes", 64);
    /**
     * Regions whose method exceeds this are formed again, smaller: the JIT does not compile
     * methods of more than 8000 bytes of bytecode at all.
     */
    private static final int MAX_CODE_BYTES = 7900;

    /** Generated classes by content, least recently used first. */
    private static final Map<Key, MethodHandle> CLASSES = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, MethodHandle> eldest) {
            return size() > 4096;
        }
    };

    /**
     * A block for the entries starting at page offset {@code start}, or null when there is
     * nothing there worth translating (only instructions that run their generic handler).
     */
    public Block translate(DecodedPage page, int start) {
        return translate(page, start, 0, NO_SEEDS);
    }

    private static final int[] NO_SEEDS = new int[0];

    /**
     * A block formed again from the same start, or the same block. A region covers only
     * code the interpreter had decoded when it was formed; a block that keeps leaving for
     * other addresses of its own page (a path first taken later, a function first called
     * later) is formed again from what has been decoded since, taking in the addresses it
     * left for (the new block reaches them from its returns and indirect jumps); a few
     * times at most.
     */
    public Block reform(Block old, int start) {
        if (old.generation >= MAX_GENERATIONS || !old.page.valid) {
            old.pageExits = Integer.MIN_VALUE;
            return old;
        }
        int[] seeds = java.util.Arrays.stream(old.exitTargets).filter(t -> t >= 0).distinct().toArray();
        Block b = translate(old.page, start, old.generation + 1, seeds);
        if (b == null) {
            old.generation++;
            old.pageExits = 0;
            return old;
        }
        return b;
    }

    /** Page exits after which a block is formed again (see {@link #reform}). */
    public static final int REFORM_EXITS = 4096;
    private static final int MAX_GENERATIONS = 4;

    /**
     * A block of generation {@code generation} for the region from start and the seeds, or
     * null if none is worth it: nothing but generic handlers, or (when formed again) a
     * region that takes in none of the seeds.
     */
    private Block translate(DecodedPage page, int start, int generation, int[] seeds) {
        int shrunk = 0;
        for (int max = MAX_NODES;; shrunk++) {
            Region r = Region.form(page, start, seeds, max);
            if (r.nodes.isEmpty() || !worthwhile(r) || !r.hasAny(seeds)) {
                return null;
            }
            BlockWriter w = new BlockWriter(r);
            byte[] bytes = w.classBytes();
            if (w.codeLength > MAX_CODE_BYTES && max > 4) {
                // Fewer entries in proportion, aiming a little under the limit.
                max = Math.max(4, Math.min(max - 1, (int) ((long) max * MAX_CODE_BYTES * 9 / 10 / w.codeLength)));
                continue;
            }
            if (LOG) {
                log(r, w.codeLength, shrunk, generation);
            }
            Block b = instantiate(bytes);
            b.page = page;
            b.insns = w.genericInsns.toArray(new Insn[0]);
            b.entryLength = r.first().reach;
            b.entries = new long[PAGE_SIZE / 64];
            for (Region.Node n : r.nodes) {
                b.entries[n.off >>> 6] |= 1L << n.off;
            }
            b.generation = generation;
            b.faultDelta = new long[w.faultSites.size()];
            b.faultAdjust = new int[w.faultSites.size()];
            for (int k = 0; k < b.faultDelta.length; k++) {
                b.faultDelta[k] = w.faultSites.get(k)[0];
                b.faultAdjust[k] = (int) w.faultSites.get(k)[1] + (Planted.active == Planted.FAULT_COUNTS_ONE_MORE ? 1 : 0);
            }
            return b;
        }
    }

    private static void log(Region r, int bytes, int shrunk, int generation) {
        int insns = 0;
        for (Region.Node n : r.nodes) {
            insns += n.weight();
        }
        System.err.printf("translate: offset 0x%03x generation %d: %d entries, %d instructions, %d bytes of bytecode "
            + "(%d per instruction), formed smaller %d times%n", r.start, generation, r.nodes.size(), insns, bytes,
            bytes / Math.max(1, insns), shrunk);
    }

    private static boolean worthwhile(Region r) {
        for (Region.Node n : r.nodes) {
            if (n.kind != Region.GENERIC) {
                return true;
            }
        }
        return false;
    }

    private static Block instantiate(byte[] bytes) {
        Key key = new Key(bytes);
        try {
            MethodHandle ctor;
            synchronized (CLASSES) {
                ctor = CLASSES.get(key);
                if (ctor == null) {
                    MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
                    ctor = lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class));
                    CLASSES.put(key, ctor);
                }
            }
            return (Block) ctor.invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("translated block rejected by the JVM", e);
        }
    }

    /** Class bytes compared by content. */
    private static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(bytes, ((Key) o).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}

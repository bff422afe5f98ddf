package microlith.hw.cpu.translate;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.decode.DecodedPage;
import microlith.hw.cpu.decode.Insn;

/**
 * A translated region: predecoded entries of one code page compiled into one JVM method by
 * {@link Translator}. The generated subclass holds only code; everything that ties it to a
 * particular page is in these fields, so one generated class serves every copy of the same
 * instructions, on any machine and at any address.
 */
public abstract class Block {
    /** The page the instructions came from: a store that drops it ends the block. */
    public DecodedPage page;
    /** The entries handed to their generic handler, by call site. */
    Insn[] insns;
    /**
     * The most instructions the block retires before it first checks the slice: the caller
     * runs the block only when at least that many are left.
     */
    public int entryLength;
    /** How often the region was formed again (see {@link Translator#reform}). */
    int generation;
    /** Exits to another address of the block's own page since it was formed. */
    public int pageExits;
    /** The page offsets the last few of those exits went to, each once in a row. */
    final int[] exitTargets = {-1, -1, -1, -1, -1, -1, -1, -1};
    private int lastExit;

    /** The page offsets where the region's entries start, as a bitmap. */
    long[] entries;

    /**
     * By fault site (a call that may fault, numbered by the writer): the instruction's
     * distance from the block's start, and the instructions retired at a fault there
     * relative to the block's count (the faulting one counts, as in the interpreter).
     */
    long[] faultDelta;
    int[] faultAdjust;

    /**
     * Called by the block's exception handler when the call at fault site {@code site}
     * threw, after the state went back to the core: records the faulting instruction and
     * the retired count as the interpreter would have them.
     */
    public final void fault(Core c, long pc, long n, int site) {
        c.insnStart = pc + faultDelta[site];
        c.retired = n + faultAdjust[site];
    }

    /**
     * Notes an exit to page offset {@code offset} of the block's own page, unless the
     * region covers it (the slice ended there): only exits to code the block lacks count
     * towards forming it again.
     */
    public void pageExit(int offset) {
        if ((entries[offset >>> 6] & 1L << offset) != 0) {
            return;
        }
        if (exitTargets[lastExit & 7] != offset) {
            exitTargets[++lastExit & 7] = offset;
        }
        pageExits++;
    }

    /**
     * Runs the block from its first instruction, which is at linear address {@code pc},
     * and returns the address of the next instruction to run. Sets {@link Core#retired}.
     * Loop heads and other checkpoints go on only while {@code budget}, the instructions
     * left in the slice, holds every path to the next checkpoint. A fault leaves every
     * register and flag as the interpreter would have, and {@link Core#insnStart} and
     * {@link Core#retired} at the faulting instruction: handlers that work on the core's
     * state get it written back first, and any other call that may fault is covered by the
     * block's exception handler, which writes it back then (see {@link #fault}).
     */
    public abstract long run(Core c, long pc, long budget);
}

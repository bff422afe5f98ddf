package microlith.hw.cpu.translate;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.decode.DecodedPage;
import microlith.hw.cpu.decode.Insn;

/**
 * A translated block: a run of predecoded entries of one code page compiled into one JVM
 * method by {@link Translator}. The generated subclass holds only code; what ties it to a
 * particular page is in these fields, so one generated class serves every copy of the
 * same instructions, on any machine and at any address.
 */
public abstract class Block {
    /** The page the instructions came from: a store that drops it ends the block. */
    public DecodedPage page;
    /** The block's entries, for the instructions it hands to their generic handlers. */
    public Insn[] insns;
    /** The most instructions one pass through the block retires (the longest path). */
    public int length;

    /**
     * Runs the block from its first instruction, which is at linear address {@code pc},
     * and returns the address of the next instruction to run. Sets {@link Cpu#retired}.
     * A block that branches back to its own start repeats while {@code budget}, the
     * instructions left in the slice, allows another full pass. On a fault it sets
     * {@link Cpu#insnStart} to the faulting instruction and rethrows.
     */
    public abstract long run(Core c, long pc, long budget);
}

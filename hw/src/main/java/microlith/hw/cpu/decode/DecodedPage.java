package microlith.hw.cpu.decode;

/**
 * Predecoded instructions of one physical page, indexed by the byte offset where each
 * instruction starts. Dropped (and marked invalid) when anything writes to the page.
 */
public final class DecodedPage {
    public final Insn[] insns = new Insn[4096];
    public boolean valid = true;
}

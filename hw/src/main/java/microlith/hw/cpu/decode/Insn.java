package microlith.hw.cpu.decode;

import microlith.hw.cpu.translate.Block;

/**
 * One predecoded instruction: the opcode's handler id plus every operand field the decoder
 * worked out, so that executing it again costs no decoding.
 *
 * <p>Register numbers are 0-15 for RAX..R15. For byte operands without a REX prefix the
 * encodings 4-7 mean AH, CH, DH, BH; the decoder stores those as 16-19.
 */
public final class Insn {
    /** Handler id from {@link Op}. */
    public int op;
    public int len;
    /** Operand size in bytes: 1, 2, 4 or 8. */
    public int osz;
    /** Address size in bytes: 4 or 8. */
    public int asz = 8;
    /** ModRM r/m is a memory operand. */
    public boolean mem;
    public int reg;
    public int rm;
    public int base = -1;
    public int index = -1;
    public int scale;
    public long disp;
    public boolean ripRel;
    /** Segment override: -1 none, 4 FS, 5 GS. */
    public int seg = -1;
    public long imm;
    public long imm2;
    /** Group sub-operation, ALU kind or condition code. */
    public int sub;
    /** 0 none, 1 REP/REPE (F3), 2 REPNE (F2). */
    public int rep;
    /** Mandatory-prefix selector for SSE: 0 none, 0x66, 0xF3, 0xF2. */
    public int pfx;
    public boolean lock;
    public boolean rexW;
    /**
     * The cached entry that starts where this one ends, in the same {@link DecodedPage}, or
     * null: the hot loop follows it instead of looking the next entry up. Entries of a page
     * die with the page (any write to it), so a link never outlives the bytes it stands for.
     */
    public Insn next;
    /**
     * The translated block that starts here, or null (see {@link microlith.hw.cpu.translate.Translator}); it lives in
     * this entry, so it dies with the page like the entry itself.
     */
    public Block block;
    /** How often the hot loop reached this entry by a jump, until it is translated. */
    public int heat;
    /** Fused Jcc (see {@link Fuse}): its condition code, length and displacement. */
    public int jcc;
    public int jlen;
    public long jdisp;
}

package microlith.hw.cpu.translate;

import static org.objectweb.asm.Opcodes.*;

import microlith.hw.cpu.Flags;
import microlith.hw.cpu.LazyFlags;
import org.objectweb.asm.Label;

/**
 * The arithmetic flags in generated code. Inside a block the lazy record of
 * {@link LazyFlags} (operation, operands, result, size, carry, other bits) lives in
 * locals, written to the core only when the block leaves or faults. A flag-setting
 * instruction whose flags are dead (see {@link Region}) records nothing at all.
 *
 * <p>Where the instruction that set the flags is known (earlier in the same basic block),
 * a condition is decided from its operands directly, as the hardware's compare-and-branch
 * does: after CMP a, b, JL is one signed comparison of a and b. Elsewhere the record is
 * evaluated as the interpreter does.
 */
final class FlagCode {
    private static final String FLAGS_D = "L" + Gen.FLAGS_T + ";";

    private final Gen g;
    /** The operation that set the flags, if known here, its size and where its values are. */
    private int knownOp = -1;
    private int knownSize;
    private int aSlot;
    private int bSlot;
    private int resSlot;
    private int carrySlot;
    /** Whether the known operation's record is in the flag locals. */
    private boolean recorded;

    FlagCode(Gen g) {
        this.g = g;
    }

    /** Nothing is known about the flags (a basic block's start, after a generic handler). */
    void unknown() {
        knownOp = -1;
    }

    /**
     * An instruction boundary: the operand temporaries of the known operation may be
     * reused from here on, so it stays known only if its record is in the flag locals.
     */
    void settle() {
        if (knownOp >= 0 && !recorded) {
            knownOp = -1;
        } else if (knownOp >= 0) {
            aSlot = Gen.FA;
            bSlot = Gen.FB;
            resSlot = Gen.FRES;
            carrySlot = Gen.FCARRY;
        }
    }

    /**
     * An instruction set the flags by lazy operation {@code op}: operands and result in
     * long slots a, b, res, the carry (ADC, SBB, INC, DEC, MUL) in int slot carry or -1.
     * Recorded into the flag locals only when {@code live}.
     */
    void produce(int op, int size, int a, int b, int res, int carry, boolean live) {
        knownOp = op;
        knownSize = size;
        aSlot = a;
        bSlot = b;
        resSlot = res;
        carrySlot = carry;
        recorded = false;
        if (live) {
            record();
        }
    }

    private void record() {
        g.flagsUsed = true;
        g.flagsWritten = true;
        g.iconst(knownOp);
        g.istore(Gen.FOP);
        if (knownOp != LazyFlags.LOGIC && knownOp != LazyFlags.MUL) {
            g.lload(aSlot);
            g.lstore(Gen.FA);
            g.lload(bSlot);
            g.lstore(Gen.FB);
        }
        g.lload(resSlot);
        g.lstore(Gen.FRES);
        g.iconst(knownSize);
        g.istore(Gen.FSIZE);
        if (carrySlot >= 0) {
            g.iload(carrySlot);
            g.istore(Gen.FCARRY);
        }
        recorded = true;
    }

    /**
     * Rotates: CF and OF become the given ints (0 or 1), every other flag is kept; the
     * flags become eager bits.
     */
    void eagerCarryOverflow(int cfSlot, int ofSlot) {
        pushEvaluate();
        g.lconst(~(Flags.CF | Flags.OF));
        g.insn(LAND);
        g.iload(cfSlot);
        g.insn(I2L);
        g.insn(LOR);
        g.iload(ofSlot);
        g.insn(I2L);
        g.iconst(11);
        g.insn(LSHL);
        g.insn(LOR);
        g.lstore(Gen.FBITS);
        g.iconst(LazyFlags.EAGER);
        g.istore(Gen.FOP);
        g.flagsWritten = true;
        g.bitsWritten = true;
        knownOp = -1;
    }

    // ---------------------------------------------------------------- conditions

    /** Jumps to {@code ifTrue} when condition cc (Jcc's low nibble) holds. */
    void branch(int cc, Label ifTrue) {
        if (!direct(cc, ifTrue)) {
            g.iconst(cc);
            pushEvaluate();
            g.invokeStatic(Gen.FLAGS_T, "test", "(IJ)Z");
            g.jump(IFNE, ifTrue);
        }
    }

    /** Pushes condition cc as an int, 1 or 0. */
    void pushCondition(int cc) {
        Label yes = new Label();
        Label done = new Label();
        branch(cc, yes);
        g.iconst(0);
        g.jump(GOTO, done);
        g.label(yes);
        g.iconst(1);
        g.label(done);
    }

    /** Pushes CF as an int, 1 or 0 (the carry into ADC, SBB, INC and DEC). */
    void pushCarry() {
        switch (knownOp) {
            case LazyFlags.LOGIC:
                g.iconst(0);
                return;
            case LazyFlags.SUB:
            case LazyFlags.ADD:
                pushCondition(2);
                return;
            default:
                pushEvaluate();
                g.insn(L2I);
                g.iconst(1);
                g.insn(IAND);
        }
    }

    /** The full RFLAGS value of the lazy record, as a long. */
    private void pushEvaluate() {
        if (knownOp >= 0 && !recorded) {
            record();
        }
        g.flagsUsed = true;
        g.iload(Gen.FOP);
        g.lload(Gen.FA);
        g.lload(Gen.FB);
        g.lload(Gen.FRES);
        g.iload(Gen.FSIZE);
        g.iload(Gen.FCARRY);
        g.lload(Gen.FBITS);
        g.invokeStatic(Gen.FLAGS_T, "evaluate", "(IJJJIZJ)J");
    }

    /** Decides cc from the known operation's values; false if that takes the full record. */
    private boolean direct(int cc, Label ifTrue) {
        int s = knownSize;
        boolean negate = (cc & 1) != 0;
        switch (knownOp) {
            case LazyFlags.SUB:
                switch (cc >>> 1) {
                    case 1: compare(aSlot, bSlot, s, true, negate ? IFGE : IFLT, ifTrue); return true;
                    case 2: compare(aSlot, bSlot, s, false, negate ? IFNE : IFEQ, ifTrue); return true;
                    case 3: compare(aSlot, bSlot, s, true, negate ? IFGT : IFLE, ifTrue); return true;
                    case 4: sign(resSlot, s, negate ? IFGE : IFLT, ifTrue); return true;
                    case 6: compare(aSlot, bSlot, s, false, negate ? IFGE : IFLT, ifTrue); return true;
                    case 7: compare(aSlot, bSlot, s, false, negate ? IFGT : IFLE, ifTrue); return true;
                    default: return false;
                }
            case LazyFlags.LOGIC:
                switch (cc >>> 1) {
                    case 0: case 1:
                        // OF and CF are clear: O and B never hold, NO and AE always.
                        if (negate) {
                            g.jump(GOTO, ifTrue);
                        }
                        return true;
                    case 2: case 3: sign(resSlot, s, negate ? IFNE : IFEQ, ifTrue); return true;
                    case 4: case 6: sign(resSlot, s, negate ? IFGE : IFLT, ifTrue); return true;
                    case 7: sign(resSlot, s, negate ? IFGT : IFLE, ifTrue); return true;
                    default: return false;
                }
            case LazyFlags.ADD:
                switch (cc >>> 1) {
                    case 1: compare(resSlot, aSlot, s, true, negate ? IFGE : IFLT, ifTrue); return true;
                    case 2: sign(resSlot, s, negate ? IFNE : IFEQ, ifTrue); return true;
                    case 4: sign(resSlot, s, negate ? IFGE : IFLT, ifTrue); return true;
                    default: return false;
                }
            case LazyFlags.INC: case LazyFlags.DEC: case LazyFlags.SHL: case LazyFlags.SHR: case LazyFlags.SAR:
            case LazyFlags.MUL:
                switch (cc >>> 1) {
                    case 2: sign(resSlot, s, negate ? IFNE : IFEQ, ifTrue); return true;
                    case 4: sign(resSlot, s, negate ? IFGE : IFLT, ifTrue); return true;
                    default: return false;
                }
            default:
                return false;
        }
    }

    /** Pushes the long in slot moved to the top of the long: bit 8*size-1 becomes bit 63. */
    private void shifted(int slot, int size) {
        g.lload(slot);
        if (size != 8) {
            g.iconst(64 - 8 * size);
            g.insn(LSHL);
        }
    }

    /** Compares x and y at {@code size} bytes, signed or unsigned, jumping on {@code test}. */
    private void compare(int x, int y, int size, boolean unsigned, int test, Label target) {
        shifted(x, size);
        if (unsigned) {
            g.lconst(Long.MIN_VALUE);
            g.insn(LADD);
        }
        shifted(y, size);
        if (unsigned) {
            g.lconst(Long.MIN_VALUE);
            g.insn(LADD);
        }
        g.insn(LCMP);
        g.jump(test, target);
    }

    /** Compares the value at {@code size} bytes, as signed, with zero. */
    private void sign(int slot, int size, int test, Label target) {
        shifted(slot, size);
        g.lconst(0);
        g.insn(LCMP);
        g.jump(test, target);
    }

    // ---------------------------------------------------------------- entry and exit

    /** Loads the core's lazy flags into the flag locals. */
    void load() {
        field("op", "I", ILOAD, Gen.FOP, false);
        field("a", "J", LLOAD, Gen.FA, false);
        field("b", "J", LLOAD, Gen.FB, false);
        field("res", "J", LLOAD, Gen.FRES, false);
        field("size", "I", ILOAD, Gen.FSIZE, false);
        field("carry", "Z", ILOAD, Gen.FCARRY, false);
        field("bits", "J", LLOAD, Gen.FBITS, false);
    }

    /**
     * Writes the flag locals back to the core, the bits only if the block changes them:
     * for the exit and fault tails, which are written last, when that is known.
     */
    void store() {
        store(g.bitsWritten);
    }

    /** Writes the flag locals back to the core; the other bits too if {@code bits}. */
    void store(boolean bits) {
        field("op", "I", ILOAD, Gen.FOP, true);
        field("a", "J", LLOAD, Gen.FA, true);
        field("b", "J", LLOAD, Gen.FB, true);
        field("res", "J", LLOAD, Gen.FRES, true);
        field("size", "I", ILOAD, Gen.FSIZE, true);
        field("carry", "Z", ILOAD, Gen.FCARRY, true);
        if (bits) {
            field("bits", "J", LLOAD, Gen.FBITS, true);
        }
    }

    private void field(String name, String desc, int loadOp, int slot, boolean put) {
        g.coreField("flags", FLAGS_D);
        if (put) {
            g.mv.visitVarInsn(loadOp, slot);
            g.mv.visitFieldInsn(PUTFIELD, Gen.FLAGS_T, name, desc);
        } else {
            g.mv.visitFieldInsn(GETFIELD, Gen.FLAGS_T, name, desc);
            g.mv.visitVarInsn(loadOp == ILOAD ? ISTORE : LSTORE, slot);
        }
    }
}

package microlith.hw.cpu.x87;

/**
 * The x87 FPU's architectural state: eight physical data registers R0-R7 used as a stack
 * (ST(i) is R((TOP + i) mod 8)), the control, status and tag words, and the last
 * instruction/operand pointers.
 *
 * <pre>
 * Status word                                   Control word
 *  15 14 13-11 10  9  8  7  6  5  4  3  2  1  0   11-10 9-8  5  4  3  2  1  0
 *  B  C3  TOP  C2 C1 C0 ES SF PE UE OE ZE DE IE    RC   PC  PM UM OM ZM DM IM
 * </pre>
 * Tag word: two bits per physical register, 00 valid, 01 zero, 10 special (NaN, infinity,
 * denormal, unsupported), 11 empty. Only "empty" is state; the other three values are
 * derived from the register's contents whenever the tag word is read, as the hardware does.
 */
public final class X87State {
    public static final int C0 = 1 << 8, C1 = 1 << 9, C2 = 1 << 10, C3 = 1 << 14;
    public static final int ES = 1 << 7, B = 1 << 15;
    public static final int DEFAULT_CW = 0x037F;

    public final Float80[] regs = new Float80[8];
    /** Bit i set: physical register i is empty. */
    public int empty = 0xFF;
    public int top;
    public int cw = DEFAULT_CW;
    /** Status word with TOP (bits 11-13) kept zero; TOP lives in {@link #top}. */
    public int sw;
    /** Last non-control instruction: address, opcode (11 bits) and memory operand address. */
    public long fip;
    public long fdp;
    public int fop;
    /**
     * Not architectural state but a model option: FSIN, FCOS, FSINCOS and FPTAN reduce their
     * argument with the 66-bit pi that real x87 hardware (Intel and AMD alike) uses: true,
     * the default, because the reference is the real CPU; false reduces with an exact pi
     * and gives correctly rounded results instead. Untouched by FNINIT and the saves.
     */
    public boolean pi66 = true;

    public X87State() {
        for (int i = 0; i < 8; i++) {
            regs[i] = Float80.POS_ZERO;
        }
    }

    /** FNINIT. The registers keep their contents but are all tagged empty. */
    public void init() {
        cw = DEFAULT_CW;
        sw = 0;
        top = 0;
        empty = 0xFF;
        fip = 0;
        fdp = 0;
        fop = 0;
    }

    public int phys(int i) {
        return (top + i) & 7;
    }

    public boolean isEmpty(int i) {
        return (empty >>> phys(i) & 1) != 0;
    }

    public Float80 st(int i) {
        return regs[phys(i)];
    }

    public void set(int i, Float80 v) {
        int p = phys(i);
        regs[p] = v;
        empty &= ~(1 << p);
    }

    public void free(int i) {
        empty |= 1 << phys(i);
    }

    public void push(Float80 v) {
        top = (top - 1) & 7;
        set(0, v);
    }

    public void pop() {
        free(0);
        top = (top + 1) & 7;
    }

    public int statusWord() {
        return (sw & ~(7 << 11)) | top << 11;
    }

    public void setStatusWord(int v) {
        sw = v & 0xFFFF & ~(7 << 11);
        top = v >>> 11 & 7;
    }

    public int rc() {
        return cw >>> 10 & 3;
    }

    /** Precision control in significand bits: 24, 53 (PC = 10b) or 64 (11b; 01b is reserved). */
    public int precision() {
        switch (cw >>> 8 & 3) {
            case 0: return 24;
            case 2: return 53;
            default: return 64;
        }
    }

    public static int tagOf(Float80 v) {
        if (v.isZero()) {
            return 1;
        }
        if (v.exp() == 0 || v.exp() == Float80.EXP_MAX || (v.sig & Float80.J) == 0) {
            return 2;
        }
        return 0;
    }

    /** The full 16-bit tag word (FNSTENV, FNSAVE). */
    public int tagWord() {
        int t = 0;
        for (int p = 0; p < 8; p++) {
            int tag = (empty >>> p & 1) != 0 ? 3 : tagOf(regs[p]);
            t |= tag << (2 * p);
        }
        return t;
    }

    /** FLDENV/FRSTOR: only the "empty" information of a loaded tag word is kept. */
    public void setTagWord(int t) {
        empty = 0;
        for (int p = 0; p < 8; p++) {
            if ((t >>> (2 * p) & 3) == 3) {
                empty |= 1 << p;
            }
        }
    }

    /** The abridged tag byte of FXSAVE: bit p set when physical register p is not empty. */
    public int abridgedTag() {
        return ~empty & 0xFF;
    }

    public void setAbridgedTag(int t) {
        empty = ~t & 0xFF;
    }

    /** Recomputes ES and B from the exception flags and masks. */
    public void updateSummary() {
        if ((sw & ~cw & 0x3F) != 0) {
            sw |= ES | B;
        } else {
            sw &= ~(ES | B);
        }
    }
}

package microlith.hw.cpu.decode;

/**
 * Decodes the x87 escape opcodes D8-DF (Intel SDM vol. 2, appendix A.4; AMD APM vol. 5).
 *
 * <p>The escape byte and ModRM are folded into one number in {@code Insn.sub} that
 * {@link X87#execute} switches on:
 * <pre>
 *   memory operand (mod != 11):   sub = (escape - D8) * 8 + reg            0..63
 *   register operand (mod = 11):  sub = 64 + (escape - D8) * 64 + modrm[5:0]  64..575
 * </pre>
 * so a register form reads as {@code reg(0xD9, 0xE8)} (FLD1) and {@code Insn.rm} carries
 * the ST(i) index. Encodings the manuals leave undefined decode to #UD; the undocumented
 * aliases every x87 since the 387 executes (FSTP1, FCOM2, FXCH4, FFREEP...) are kept.
 */
public final class X87Decode {
    /** FWAIT/WAIT (9B). */
    public static final int FWAIT = 1000;

    private X87Decode() {
    }

    /** The sub code of a memory form: escape byte and ModRM reg field. */
    public static int mem(int escape, int reg) {
        return (escape - 0xD8) << 3 | reg;
    }

    /** The sub code of a register form: escape byte and the full ModRM byte (C0-FF). */
    public static int reg(int escape, int modrm) {
        return 64 + ((escape - 0xD8) << 6 | (modrm & 0x3F));
    }

    public static void decode(Decoder dec, Insn d, Decoder.Ctx c, int opcode) {
        int m = dec.modrm(d, c, false);
        d.op = Op.X87;
        d.osz = c.osz;
        // The 11-bit FOP that FNSTENV/FXSAVE report: escape bits 2-0 and the ModRM byte.
        d.imm2 = (opcode & 7) << 8 | m;
        if ((m & 0xC0) != 0xC0) {
            int r = m >>> 3 & 7;
            d.sub = mem(opcode, r);
            boolean reserved = opcode == 0xD9 && r == 1 || opcode == 0xDB && (r == 4 || r == 6)
                || opcode == 0xDD && r == 5;
            if (reserved) {
                d.op = Op.UD;
            }
            return;
        }
        d.rm = m & 7;
        d.sub = reg(opcode, m);
        if (!validRegisterForm(opcode, m)) {
            d.op = Op.UD;
        }
    }

    /** FWAIT, from the one-byte map. */
    public static void fwait(Insn d) {
        d.op = Op.X87;
        d.sub = FWAIT;
    }

    private static boolean validRegisterForm(int opcode, int m) {
        switch (opcode) {
            case 0xD9:
                if (m >= 0xD1 && m <= 0xD7) {
                    return false;
                }
                return m != 0xE2 && m != 0xE3 && m != 0xE6 && m != 0xE7 && m != 0xEF;
            case 0xDA:
                return m < 0xE0 || m == 0xE9;
            case 0xDB:
                return m < 0xE5 || m >= 0xE8 && m < 0xF8;
            case 0xDD:
                return m < 0xF0;
            case 0xDE:
                return m < 0xD8 || m == 0xD9 || m >= 0xE0;
            case 0xDF:
                return m < 0xE1 || m >= 0xE8 && m < 0xF8;
            default:
                return true;
        }
    }
}

package microlith.hw.cpu.translate;

import static microlith.hw.cpu.sse.Sse.*;
import static org.objectweb.asm.Opcodes.*;

import microlith.hw.cpu.decode.Insn;
import org.objectweb.asm.Label;

/**
 * The SSE instructions a block runs inline: the moves (MOVAPS/MOVUPS/MOVDQA/MOVDQU, MOVSD,
 * MOVSS, MOVQ, MOVD), the 128-bit logic (AND, ANDN, OR, XOR in their PS, PD and integer
 * forms), PADDQ and PSUBQ, and scalar ADD, SUB, MUL, DIV, MIN, MAX and SQRT in single and
 * double precision. Each mirrors its handler in {@code SseOps}, {@code SseInt} and
 * {@code SseArith}: the same loads and stores in the same order (a 128-bit store probes
 * its high half first), the same alignment check. The arithmetic itself calls
 * {@code SseArith.scalar} with the operands fetched here: IEEE results, MXCSR flags and
 * #XM are that one implementation's.
 *
 * <p>XMM registers stay in the core's array (the generic handlers work on it directly);
 * only general registers live in locals.
 */
final class SseCode {
    private static final int LO = Gen.temp(2), HI = Gen.temp(3), X = Gen.temp(4);
    private static final int ADDR = Operands.ADDR;
    private static final String SSE_T = "microlith/hw/cpu/sse/Sse";
    private static final String ARITH_T = "microlith/hw/cpu/sse/SseArith";
    /** MXCSR's six exception mask bits. */
    private static final int ALL_MASKED = 0x1F80;

    private final Gen g;
    private final Operands o;

    SseCode(Gen g, Operands o) {
        this.g = g;
        this.o = o;
    }

    static boolean handles(Insn i) {
        switch (i.sub) {
            case MOV_LD: case MOV_ST: case MOVSS_LD: case MOVSS_ST: case MOVSD_LD: case MOVSD_ST:
            case MOVD_TO: case MOVD_FROM: case MOVQ_LD: case MOVQ_ST:
            case AND: case ANDN: case OR: case XOR: case PADDQ: case PSUBQ:
                return true;
            default:
                return scalar(i.sub);
        }
    }

    /** Scalar arithmetic: FP + 4 * kind + form, form 2 (SS) or 3 (SD), kinds ADD..SQRT. */
    private static boolean scalar(int sub) {
        int kind = (sub - FP) >> 2;
        int form = (sub - FP) & 3;
        return sub >= FP && sub < UCOMISS && form >= 2 && kind <= FP_SQRT;
    }

    static boolean mayFault(Insn i) {
        // Scalar arithmetic may raise #XM even on registers.
        return i.mem || scalar(i.sub);
    }

    void emit(Insn i) {
        int d = 2 * i.reg;
        int s = 2 * i.rm;
        switch (i.sub) {
            case MOV_LD:
                source128(i);
                setXmm(d, LO);
                setXmm(d + 1, HI);
                return;
            case MOV_ST:
                if (i.mem) {
                    address(i);
                    xmm(d);
                    g.lstore(LO);
                    xmm(d + 1);
                    g.lstore(HI);
                    store128();
                } else {
                    copyXmm(s, d);
                    copyXmm(s + 1, d + 1);
                }
                return;
            case MOVSS_LD: case MOVSD_LD:
                if (i.mem) {
                    o.addressToTemp(i);
                    o.load(i.sub == MOVSS_LD ? 4 : 8, false);
                    g.lstore(LO);
                    setXmm(d, LO);
                    zeroXmm(d + 1);
                } else {
                    lowPart(i.sub == MOVSS_LD, d, s);
                }
                return;
            case MOVSS_ST: case MOVSD_ST:
                if (i.mem) {
                    o.addressToTemp(i);
                    xmm(d);
                    g.lstore(Operands.VAL);
                    o.store(i.sub == MOVSS_ST ? 4 : 8, Operands.VAL);
                } else {
                    lowPart(i.sub == MOVSS_ST, s, d);
                }
                return;
            case MOVD_TO:
                o.readRm(i, i.osz);
                g.lstore(LO);
                setXmm(d, LO);
                zeroXmm(d + 1);
                return;
            case MOVD_FROM:
                if (i.mem) {
                    o.addressToTemp(i);
                }
                xmm(d);
                g.mask(i.osz);
                g.lstore(Operands.VAL);
                o.writeRm(i, i.osz, Operands.VAL);
                return;
            case MOVQ_LD:
                if (i.mem) {
                    o.addressToTemp(i);
                    o.load(8, false);
                } else {
                    xmm(s);
                }
                g.lstore(LO);
                setXmm(d, LO);
                zeroXmm(d + 1);
                return;
            case MOVQ_ST:
                if (i.mem) {
                    o.addressToTemp(i);
                    xmm(d);
                    g.lstore(Operands.VAL);
                    o.store(8, Operands.VAL);
                } else {
                    copyXmm(s, d);
                    zeroXmm(s + 1);
                }
                return;
            case AND: case ANDN: case OR: case XOR: case PADDQ: case PSUBQ:
                source128(i);
                lane(i.sub, d, LO);
                lane(i.sub, d + 1, HI);
                return;
            default:
                arithmetic(i, d, s);
        }
    }

    /** A 64-bit lane of the logic and quadword forms: xmm[q] = xmm[q] op the long in slot b. */
    private void lane(int sub, int q, int b) {
        xmm(q);
        if (sub == ANDN) {
            g.lconst(-1);
            g.insn(LXOR);
        }
        g.lload(b);
        switch (sub) {
            case AND: case ANDN: g.insn(LAND); break;
            case OR: g.insn(LOR); break;
            case XOR: g.insn(LXOR); break;
            case PADDQ: g.insn(LADD); break;
            default: g.insn(LSUB); break;
        }
        g.lstore(X);
        setXmm(q, X);
    }

    /** Scalar SS/SD arithmetic through SseArith.scalar; the rest of the destination is kept. */
    private void arithmetic(Insn i, int d, int s) {
        int kind = (i.sub - FP) >> 2;
        boolean dbl = ((i.sub - FP) & 1) != 0;
        if (i.mem) {
            o.addressToTemp(i);
            o.load(dbl ? 8 : 4, false);
        } else {
            xmm(s);
            if (!dbl) {
                g.mask(4);
            }
        }
        g.lstore(HI);
        // With every exception masked (MXCSR's default) the arithmetic cannot fault; otherwise
        // the same call runs out of line as a call that may fault.
        Label unmasked = new Label();
        Label done = new Label();
        g.coreField("mxcsr", "I");
        g.iconst(ALL_MASKED);
        g.insn(IAND);
        g.iconst(ALL_MASKED);
        g.jump(IF_ICMPNE, unmasked);
        Runnable call = () -> {
            g.aload(Gen.CORE);
            g.iconst(kind);
            xmm(d);
            if (!dbl) {
                g.mask(4);
            }
            g.lload(HI);
            g.iconst(dbl ? 1 : 0);
            g.invokeStatic(ARITH_T, "scalar", "(" + Gen.CORE_D + "IJJZ)J");
            g.lstore(LO);
        };
        call.run();
        g.label(done);
        long[] at = g.position();
        g.coldCode.add(() -> {
            g.label(unmasked);
            g.mayFault(at, call);
            g.jump(GOTO, done);
        });
        if (dbl) {
            setXmm(d, LO);
        } else {
            xmm(d);
            g.lconst(~0xffffffffL);
            g.insn(LAND);
            g.lload(LO);
            g.insn(LOR);
            g.lstore(X);
            setXmm(d, X);
        }
    }

    /** LO, HI = the 128-bit r/m source (Sse.src128): aligned forms check the address first. */
    private void source128(Insn i) {
        if (!i.mem) {
            xmm(2 * i.rm);
            g.lstore(LO);
            xmm(2 * i.rm + 1);
            g.lstore(HI);
            return;
        }
        address(i);
        o.load(8, false);
        g.lstore(LO);
        g.lload(ADDR);
        g.lconst(8);
        g.insn(LADD);
        g.lstore(ADDR);
        o.load(8, false);
        g.lstore(HI);
    }

    /** ADDR = the memory operand's address, #GP(0) if it must be aligned and is not (Sse.ea). */
    private void address(Insn i) {
        o.addressToTemp(i);
        if ((i.imm2 & ALIGNED) != 0) {
            Label misaligned = new Label();
            Label aligned = new Label();
            g.lload(ADDR);
            g.lconst(15);
            g.insn(LAND);
            g.lconst(0);
            g.insn(LCMP);
            g.jump(IFNE, misaligned);
            g.label(aligned);
            long[] at = g.position();
            g.coldCode.add(() -> {
                g.label(misaligned);
                g.mayFault(at, () -> g.invokeStatic(SSE_T, "misaligned", "()V"));
                g.jump(GOTO, aligned);
            });
        }
    }

    /**
     * Sse.store128 of LO, HI at ADDR: the high half is read and written back first, so that
     * a fault there leaves memory unchanged, then the low half and the high half are written.
     */
    private void store128() {
        g.lload(ADDR);
        g.lstore(X);
        g.lload(X);
        g.lconst(8);
        g.insn(LADD);
        g.lstore(ADDR);
        o.load(8, false);
        g.lstore(Operands.VAL);
        o.store(8, Operands.VAL);
        g.lload(X);
        g.lstore(ADDR);
        o.store(8, LO);
        g.lload(X);
        g.lconst(8);
        g.insn(LADD);
        g.lstore(ADDR);
        o.store(8, HI);
    }

    /** Pushes xmm[q] (q = 2 * register + half). */
    private void xmm(int q) {
        g.coreField("xmm", "[J");
        g.iconst(q);
        g.insn(LALOAD);
    }

    /** xmm[q] = the long in slot v. */
    private void setXmm(int q, int v) {
        g.coreField("xmm", "[J");
        g.iconst(q);
        g.lload(v);
        g.insn(LASTORE);
    }

    private void zeroXmm(int q) {
        g.coreField("xmm", "[J");
        g.iconst(q);
        g.lconst(0);
        g.insn(LASTORE);
    }

    /** xmm[to] = xmm[from]. */
    private void copyXmm(int to, int from) {
        g.coreField("xmm", "[J");
        g.iconst(to);
        xmm(from);
        g.insn(LASTORE);
    }

    /** The low single (32 bits) or double (64) of xmm[to] becomes xmm[from]'s; the rest stays. */
    private void lowPart(boolean single, int to, int from) {
        if (single) {
            merge32(to, from);
        } else {
            copyXmm(to, from);
        }
    }

    /** The low 32 bits of xmm[to] become those of xmm[from]; the rest stays. */
    private void merge32(int to, int from) {
        g.coreField("xmm", "[J");
        g.iconst(to);
        xmm(to);
        g.lconst(~0xffffffffL);
        g.insn(LAND);
        xmm(from);
        g.mask(4);
        g.insn(LOR);
        g.insn(LASTORE);
    }
}

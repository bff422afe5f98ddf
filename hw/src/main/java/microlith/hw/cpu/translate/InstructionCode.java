package microlith.hw.cpu.translate;

import static org.objectweb.asm.Opcodes.*;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.LazyFlags;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.decode.Op;
import org.objectweb.asm.Label;

/**
 * Straight-line bytecode for the integer instructions a block runs inline: moves, the
 * ALU, shifts and rotates by a known count, multiplies, conditional moves and sets, stack
 * operations. Each mirrors its interpreter handler ({@code IntOps}, {@code FastOps},
 * {@code Shifts}, {@code MulDiv}) exactly, flags included, and keeps that handler's order:
 * every memory access that may fault comes before any register or flag changes, so a
 * faulting instruction leaves the state as it found it.
 *
 * <p>SSE instructions go to {@link SseCode}; everything else a block may contain runs its
 * generic handler (see {@link BlockWriter}).
 */
final class InstructionCode {
    /** Long temporaries: destination and source values, the result. */
    private static final int A = Gen.temp(2), B = Gen.temp(3), RES = Gen.temp(4), X = Gen.temp(5);
    /** Int temporaries: a carry in, a shift count, another flag. */
    private static final int CIN = Gen.itemp(1), COUNT = Gen.itemp(2), BIT = Gen.itemp(3);
    private static final int VAL = Operands.VAL, ADDR = Operands.ADDR;

    private final Gen g;
    private final Operands o;
    private final FlagCode f;
    private final SseCode sse;

    InstructionCode(Gen g, Operands o, FlagCode f) {
        this.g = g;
        this.o = o;
        this.f = f;
        this.sse = new SseCode(g, o);
    }

    /** Whether {@code op} (i's handler or its fused first half) is written inline. */
    static boolean handles(Insn i, int op) {
        switch (op) {
            case Op.NOP: case Op.PAUSE: case Op.FENCE:
            case Op.MOV_RM_R: case Op.MOV_R_RM: case Op.MOV_RM_I: case Op.MOV_R_I:
            case Op.F_MOV_RR64: case Op.F_MOV_RR32: case Op.F_MOV_RI64: case Op.F_MOV_RI32:
            case Op.F_LOAD64: case Op.F_LOAD32: case Op.F_STORE64: case Op.F_STORE32:
            case Op.LEA: case Op.F_LEA: case Op.MOVZX: case Op.MOVSX: case Op.MOVSXD:
            case Op.F_MOVZX8_M: case Op.F_MOVZX16_M: case Op.F_MOVSX8_M: case Op.F_MOVSX16_M: case Op.F_MOVSXD_M:
            case Op.ALU_RM_R: case Op.ALU_R_RM: case Op.ALU_RM_I: case Op.ALU_RR_ANY: case Op.ALU_RI_ANY:
            case Op.F_ADD_RR64: case Op.F_ADD_RR32: case Op.F_SUB_RR64: case Op.F_SUB_RR32:
            case Op.F_CMP_RR64: case Op.F_CMP_RR32: case Op.F_XOR_RR64: case Op.F_XOR_RR32:
            case Op.F_AND_RR64: case Op.F_AND_RR32: case Op.F_OR_RR64: case Op.F_OR_RR32:
            case Op.F_ADD_RI64: case Op.F_ADD_RI32: case Op.F_SUB_RI64: case Op.F_SUB_RI32:
            case Op.F_CMP_RI64: case Op.F_CMP_RI32: case Op.F_AND_RI64: case Op.F_AND_RI32:
            case Op.F_CMP_MR: case Op.TEST_RM_R: case Op.TEST_RM_I: case Op.F_TEST_RR64: case Op.F_TEST_RR32:
            case Op.INC: case Op.DEC: case Op.NOT: case Op.NEG:
            case Op.F_SHL_RI: case Op.F_SHR_RI: case Op.F_SAR_RI: case Op.F_ROL_RI: case Op.F_ROR_RI:
            case Op.IMUL_R_RM: case Op.IMUL_R_RM_I: case Op.MUL: case Op.IMUL1:
            case Op.F_IMUL_RR64: case Op.F_IMUL_RRI64: case Op.F_IMUL_RR32: case Op.F_IMUL_RRI32:
            case Op.CMOVCC: case Op.SETCC: case Op.CBW: case Op.CWD: case Op.XCHG: case Op.XCHG_AX:
            case Op.PUSH_R: case Op.F_PUSH64: case Op.POP_R: case Op.F_POP64: case Op.PUSH_I: case Op.PUSH_RM:
            case Op.LEAVE:
                return true;
            case Op.SHIFT_1: case Op.SHIFT_I:
                return i.sub != 2 && i.sub != 3;
            case Op.SHIFT_CL:
                return i.sub >= 4;
            case Op.SSE:
                return SseCode.handles(i);
            default:
                return false;
        }
    }

    /** Whether the inline form of {@code op} accesses memory (and so may fault). */
    static boolean mayFault(Insn i, int op) {
        switch (op) {
            case Op.LEA: case Op.F_LEA: case Op.NOP: case Op.PAUSE: case Op.FENCE:
                return false;
            case Op.PUSH_R: case Op.F_PUSH64: case Op.POP_R: case Op.F_POP64: case Op.PUSH_I: case Op.PUSH_RM:
            case Op.LEAVE:
                return true;
            case Op.SSE:
                return SseCode.mayFault(i);
            default:
                return i.mem;
        }
    }

    /**
     * Writes instruction i with handler {@code op}; {@code flagsLive} says whether the flags
     * it sets may be read later, {@code branches} that a fused Jcc reads them right away.
     * Leaves the operand stack empty.
     */
    void emit(Insn i, int op, boolean flagsLive, boolean branches) {
        if (!flagsLive && !branches && deadFlags(i, op)) {
            return;
        }
        switch (op) {
            case Op.NOP: case Op.PAUSE: case Op.FENCE:
                return;
            case Op.F_MOV_RR64: case Op.F_MOV_RR32:
                o.readReg(i.rm, op == Op.F_MOV_RR64 ? 8 : 4);
                g.storeReg(i.reg);
                return;
            case Op.F_MOV_RI64: case Op.F_MOV_RI32:
                g.lconst(i.imm);
                g.storeReg(i.reg);
                return;
            case Op.MOV_R_I:
                g.lconst(i.imm);
                o.writeReg(i.reg, i.osz);
                return;
            case Op.MOV_R_RM: case Op.F_LOAD64: case Op.F_LOAD32:
                o.readRm(i, i.osz);
                o.writeReg(i.reg, i.osz);
                return;
            case Op.MOV_RM_R: case Op.F_STORE64: case Op.F_STORE32:
                if (i.mem) {
                    o.addressToTemp(i);
                    o.readReg(i.reg, i.osz);
                    g.lstore(VAL);
                    o.store(i.osz, VAL);
                } else {
                    o.readReg(i.reg, i.osz);
                    o.writeReg(i.rm, i.osz);
                }
                return;
            case Op.MOV_RM_I:
                if (i.mem) {
                    o.addressToTemp(i);
                }
                g.lconst(i.imm);
                g.lstore(VAL);
                o.writeRm(i, i.osz, VAL);
                return;
            case Op.LEA:
                o.address(i, true);
                o.writeReg(i.reg, i.osz);
                return;
            case Op.F_LEA:
                o.address(i, true);
                g.lconst(i.imm);
                g.insn(LAND);
                g.storeReg(i.reg);
                return;
            case Op.MOVZX:
                o.readRm(i, i.sub);
                o.writeReg(i.reg, i.osz);
                return;
            case Op.MOVSX:
                o.readRm(i, i.sub);
                g.signExtend(i.sub);
                o.writeReg(i.reg, i.osz);
                return;
            case Op.MOVSXD:
                o.readRm(i, 4);
                if (i.osz == 8) {
                    g.signExtend(4);
                }
                o.writeReg(i.reg, i.osz);
                return;
            case Op.F_MOVZX8_M: case Op.F_MOVZX16_M:
                o.addressToTemp(i);
                o.load(op == Op.F_MOVZX8_M ? 1 : 2, false);
                g.storeReg(i.reg);
                return;
            case Op.F_MOVSX8_M: case Op.F_MOVSX16_M:
                o.addressToTemp(i);
                o.load(op == Op.F_MOVSX8_M ? 1 : 2, true);
                g.lconst(i.imm);
                g.insn(LAND);
                g.storeReg(i.reg);
                return;
            case Op.F_MOVSXD_M:
                o.addressToTemp(i);
                o.load(4, true);
                g.storeReg(i.reg);
                return;
            case Op.CBW: cbw(i); return;
            case Op.CWD: cwd(i); return;
            case Op.XCHG: xchg(i); return;
            case Op.XCHG_AX:
                o.readReg(Cpu.RAX, i.osz);
                g.lstore(X);
                o.readReg(i.reg, i.osz);
                o.writeReg(Cpu.RAX, i.osz);
                g.lload(X);
                o.writeReg(i.reg, i.osz);
                return;
            case Op.CMOVCC: cmov(i); return;
            case Op.SETCC:
                if (i.mem) {
                    o.addressToTemp(i);
                }
                f.pushCondition(i.sub);
                g.insn(I2L);
                g.lstore(VAL);
                o.writeRm(i, 1, VAL);
                return;
            case Op.PUSH_R: case Op.F_PUSH64: {
                int size = op == Op.F_PUSH64 ? 8 : i.osz;
                o.readReg(i.reg, size);
                g.lstore(VAL);
                o.push(VAL, size);
                return;
            }
            case Op.PUSH_I:
                g.lconst(i.imm);
                g.lstore(VAL);
                o.push(VAL, i.osz);
                return;
            case Op.PUSH_RM:
                o.readRm(i, i.osz);
                g.lstore(VAL);
                o.push(VAL, i.osz);
                return;
            case Op.POP_R: case Op.F_POP64: {
                int size = op == Op.F_POP64 ? 8 : i.osz;
                o.pop(size);
                o.writeReg(i.reg, size);
                return;
            }
            case Op.LEAVE:
                g.loadReg(Cpu.RBP);
                g.lstore(ADDR);
                o.load(i.osz, false);
                g.lload(ADDR);
                g.lconst(i.osz);
                g.insn(LADD);
                g.storeReg(Cpu.RSP);
                o.writeReg(Cpu.RBP, i.osz);
                return;
            case Op.SSE:
                sse.emit(i);
                return;
            default:
                break;
        }
        arithmetic(i, op, flagsLive);
    }

    /**
     * Register ALU forms whose flags nobody reads: just the result (nothing at all for CMP
     * and TEST). Returns false for the forms that need the general path.
     */
    private boolean deadFlags(Insn i, int op) {
        int kind;
        int size;
        int dst;
        int src = -1;
        long imm = 0;
        switch (op) {
            case Op.F_ADD_RR64: case Op.F_ADD_RR32: case Op.F_SUB_RR64: case Op.F_SUB_RR32:
            case Op.F_CMP_RR64: case Op.F_CMP_RR32: case Op.F_XOR_RR64: case Op.F_XOR_RR32:
            case Op.F_AND_RR64: case Op.F_AND_RR32: case Op.F_OR_RR64: case Op.F_OR_RR32:
                kind = kind(op);
                size = wide(op) ? 8 : 4;
                dst = i.reg;
                src = i.rm;
                break;
            case Op.F_ADD_RI64: case Op.F_ADD_RI32: case Op.F_SUB_RI64: case Op.F_SUB_RI32:
            case Op.F_CMP_RI64: case Op.F_CMP_RI32: case Op.F_AND_RI64: case Op.F_AND_RI32:
                kind = kind(op);
                size = wide(op) ? 8 : 4;
                dst = i.reg;
                imm = i.imm;
                break;
            case Op.F_TEST_RR64: case Op.F_TEST_RR32:
                return true;
            case Op.TEST_RM_R: case Op.TEST_RM_I:
                return !i.mem;
            default:
                return false;
        }
        if (kind == 7) {
            return true;
        }
        o.readReg(dst, size);
        if (src >= 0) {
            o.readReg(src, size);
        } else {
            g.lconst(imm & LazyFlags.mask(size));
        }
        switch (kind) {
            case 0: g.insn(LADD); break;
            case 1: g.insn(LOR); break;
            case 4: g.insn(LAND); break;
            case 5: g.insn(LSUB); break;
            default: g.insn(LXOR); break;
        }
        o.writeReg(dst, size);
        return true;
    }

    /** The flag-setting forms. */
    private void arithmetic(Insn i, int op, boolean live) {
        switch (op) {
            case Op.ALU_RM_R:
                destination(i, i.osz);
                o.readReg(i.reg, i.osz);
                g.lstore(B);
                alu(i, i.sub, i.osz, i.mem, i.rm, live);
                return;
            case Op.ALU_R_RM:
                o.readRm(i, i.osz);
                g.lstore(B);
                o.readReg(i.reg, i.osz);
                g.lstore(A);
                alu(i, i.sub, i.osz, false, i.reg, live);
                return;
            case Op.ALU_RM_I:
                destination(i, i.osz);
                immediate(i.imm, i.osz);
                alu(i, i.sub, i.osz, i.mem, i.rm, live);
                return;
            case Op.ALU_RR_ANY:
                registers(i.reg, i.rm, i.osz);
                alu(i, i.sub, i.osz, false, i.reg, live);
                return;
            case Op.ALU_RI_ANY:
                o.readReg(i.reg, i.osz);
                g.lstore(A);
                immediate(i.imm, i.osz);
                alu(i, i.sub, i.osz, false, i.reg, live);
                return;
            case Op.F_ADD_RR64: case Op.F_ADD_RR32: case Op.F_SUB_RR64: case Op.F_SUB_RR32:
            case Op.F_CMP_RR64: case Op.F_CMP_RR32: case Op.F_XOR_RR64: case Op.F_XOR_RR32:
            case Op.F_AND_RR64: case Op.F_AND_RR32: case Op.F_OR_RR64: case Op.F_OR_RR32: {
                int size = wide(op) ? 8 : 4;
                registers(i.reg, i.rm, size);
                alu(i, kind(op), size, false, i.reg, live);
                return;
            }
            case Op.F_ADD_RI64: case Op.F_ADD_RI32: case Op.F_SUB_RI64: case Op.F_SUB_RI32:
            case Op.F_CMP_RI64: case Op.F_CMP_RI32: case Op.F_AND_RI64: case Op.F_AND_RI32: {
                int size = wide(op) ? 8 : 4;
                o.readReg(i.reg, size);
                g.lstore(A);
                immediate(i.imm, size);
                alu(i, kind(op), size, false, i.reg, live);
                return;
            }
            case Op.F_CMP_MR:
                o.addressToTemp(i);
                o.load(i.osz, false);
                g.lstore(A);
                o.readReg(i.reg, i.osz);
                g.lstore(B);
                alu(i, 7, i.osz, false, 0, live);
                return;
            case Op.TEST_RM_R: case Op.F_TEST_RR64: case Op.F_TEST_RR32: {
                int size = op == Op.TEST_RM_R ? i.osz : op == Op.F_TEST_RR64 ? 8 : 4;
                o.readRm(i, size);
                o.readReg(i.reg, size);
                g.insn(LAND);
                g.lstore(RES);
                f.produce(LazyFlags.LOGIC, size, A, B, RES, -1, live);
                return;
            }
            case Op.TEST_RM_I:
                o.readRm(i, i.osz);
                g.lconst(i.imm & LazyFlags.mask(i.osz));
                g.insn(LAND);
                g.lstore(RES);
                f.produce(LazyFlags.LOGIC, i.osz, A, B, RES, -1, live);
                return;
            case Op.INC: case Op.DEC: incDec(i, op == Op.INC, live); return;
            case Op.NOT:
                destination(i, i.osz);
                g.lload(A);
                g.lconst(-1);
                g.insn(LXOR);
                g.lstore(RES);
                writeDestination(i, i.osz, RES);
                return;
            case Op.NEG:
                destination(i, i.osz);
                g.lload(A);
                g.insn(LNEG);
                g.lstore(RES);
                writeDestination(i, i.osz, RES);
                g.lconst(0);
                g.lstore(B);
                f.produce(LazyFlags.SUB, i.osz, B, A, RES, -1, live);
                return;
            case Op.SHIFT_1: case Op.SHIFT_I: {
                int count = (op == Op.SHIFT_1 ? 1 : (int) i.imm) & (i.osz == 8 ? 0x3f : 0x1f);
                if (i.sub <= 1) {
                    rotate(i, i.rm, i.osz, count, i.sub == 0, true);
                } else {
                    shift(i, i.osz, i.sub, count, live);
                }
                return;
            }
            case Op.SHIFT_CL: shiftByCl(i, live); return;
            case Op.F_SHL_RI: case Op.F_SHR_RI: case Op.F_SAR_RI:
                // The specialized form keeps the register in reg; the shift code reads rm.
                shiftRegister(i, op == Op.F_SHL_RI ? 4 : op == Op.F_SHR_RI ? 5 : 7, live);
                return;
            case Op.F_ROL_RI: case Op.F_ROR_RI:
                rotate(i, i.reg, i.osz, (int) i.imm, op == Op.F_ROL_RI, false);
                return;
            case Op.IMUL_R_RM:
                o.readReg(i.reg, i.osz);
                g.lstore(B);
                o.readRm(i, i.osz);
                g.lstore(A);
                imul(i.reg, i.osz, live);
                return;
            case Op.IMUL_R_RM_I:
                o.readRm(i, i.osz);
                g.lstore(A);
                g.lconst(i.imm);
                g.lstore(B);
                imul(i.reg, i.osz, live);
                return;
            case Op.F_IMUL_RR64: case Op.F_IMUL_RR32: {
                int size = op == Op.F_IMUL_RR64 ? 8 : 4;
                registers(i.rm, i.reg, size);
                imul(i.reg, size, live);
                return;
            }
            case Op.F_IMUL_RRI64: case Op.F_IMUL_RRI32: {
                int size = op == Op.F_IMUL_RRI64 ? 8 : 4;
                o.readReg(i.rm, size);
                g.lstore(A);
                g.lconst(i.imm);
                g.lstore(B);
                imul(i.reg, size, live);
                return;
            }
            case Op.MUL: case Op.IMUL1: widening(i, op == Op.IMUL1, live); return;
            default:
                throw new IllegalStateException("no inline code for op " + op);
        }
    }

    private static boolean wide(int op) {
        switch (op) {
            case Op.F_ADD_RR64: case Op.F_SUB_RR64: case Op.F_CMP_RR64: case Op.F_XOR_RR64: case Op.F_AND_RR64:
            case Op.F_OR_RR64: case Op.F_ADD_RI64: case Op.F_SUB_RI64: case Op.F_CMP_RI64: case Op.F_AND_RI64:
                return true;
            default:
                return false;
        }
    }

    /** The ALU kind (ADD OR ADC SBB AND SUB XOR CMP = 0..7) of a specialized form. */
    private static int kind(int op) {
        switch (op) {
            case Op.F_ADD_RR64: case Op.F_ADD_RR32: case Op.F_ADD_RI64: case Op.F_ADD_RI32: return 0;
            case Op.F_OR_RR64: case Op.F_OR_RR32: return 1;
            case Op.F_AND_RR64: case Op.F_AND_RR32: case Op.F_AND_RI64: case Op.F_AND_RI32: return 4;
            case Op.F_SUB_RR64: case Op.F_SUB_RR32: case Op.F_SUB_RI64: case Op.F_SUB_RI32: return 5;
            case Op.F_XOR_RR64: case Op.F_XOR_RR32: return 6;
            default: return 7;
        }
    }

    /** A = register a, B = register b, at size. */
    private void registers(int a, int b, int size) {
        o.readReg(a, size);
        g.lstore(A);
        o.readReg(b, size);
        g.lstore(B);
    }

    /** B = the immediate at size. */
    private void immediate(long imm, int size) {
        g.lconst(imm & LazyFlags.mask(size));
        g.lstore(B);
    }

    /** A = the r/m destination's value; a memory destination's address stays in ADDR. */
    private void destination(Insn i, int size) {
        o.readRm(i, size);
        g.lstore(A);
    }

    /** Writes slot v to the r/m destination (memory at ADDR). */
    private void writeDestination(Insn i, int size, int v) {
        o.writeRm(i, size, v);
    }

    /**
     * ALU kind on A (destination value) and B: the result goes to memory at ADDR or to
     * register dst (not for CMP), then the flags are recorded.
     */
    private void alu(Insn i, int kind, int size, boolean toMemory, int dst, boolean live) {
        boolean carry = kind == 2 || kind == 3;
        if (carry) {
            f.pushCarry();
            g.istore(CIN);
        }
        g.lload(A);
        g.lload(B);
        switch (kind) {
            case 0: case 2: g.insn(LADD); break;
            case 1: g.insn(LOR); break;
            case 4: g.insn(LAND); break;
            case 6: g.insn(LXOR); break;
            default: g.insn(LSUB); break;
        }
        if (carry) {
            g.iload(CIN);
            g.insn(I2L);
            g.insn(kind == 2 ? LADD : LSUB);
        }
        g.lstore(RES);
        if (kind != 7) {
            if (toMemory) {
                o.store(size, RES);
            } else {
                g.lload(RES);
                o.writeReg(dst, size);
            }
        }
        int lazy;
        switch (kind) {
            case 0: lazy = LazyFlags.ADD; break;
            case 2: lazy = LazyFlags.ADC; break;
            case 3: lazy = LazyFlags.SBB; break;
            case 5: case 7: lazy = LazyFlags.SUB; break;
            default: lazy = LazyFlags.LOGIC; break;
        }
        f.produce(lazy, size, A, B, RES, carry ? CIN : -1, live);
    }

    /** INC/DEC: CF is kept, carried in the record. */
    private void incDec(Insn i, boolean inc, boolean live) {
        destination(i, i.osz);
        f.pushCarry();
        g.istore(CIN);
        g.lload(A);
        g.lconst(1);
        g.insn(inc ? LADD : LSUB);
        g.lstore(RES);
        writeDestination(i, i.osz, RES);
        g.lconst(1);
        g.lstore(B);
        f.produce(inc ? LazyFlags.INC : LazyFlags.DEC, i.osz, A, B, RES, CIN, live);
    }

    /** SHL/SAL (4, 6), SHR (5), SAR (7) of the r/m operand by a known count. */
    private void shift(Insn i, int size, int sub, int count, boolean live) {
        if (count == 0) {
            zeroCount(i, size);
            return;
        }
        destination(i, size);
        g.iconst(count);
        g.istore(COUNT);
        shiftBy(i, size, sub, live);
    }

    /** The specialized register form: register in reg, count (non-zero) in imm. */
    private void shiftRegister(Insn i, int sub, boolean live) {
        o.readReg(i.reg, i.osz);
        g.lstore(A);
        g.iconst((int) i.imm);
        g.istore(COUNT);
        shiftValue(i.osz, sub);
        g.lload(RES);
        o.writeReg(i.reg, i.osz);
        shiftFlags(i.osz, sub, live);
    }

    /** A shifted by COUNT (non-zero) into RES, written back to r/m, flags recorded. */
    private void shiftBy(Insn i, int size, int sub, boolean live) {
        shiftValue(size, sub);
        writeDestination(i, size, RES);
        shiftFlags(size, sub, live);
    }

    private void shiftValue(int size, int sub) {
        g.lload(A);
        if (sub == 7) {
            g.signExtend(size);
        }
        g.iload(COUNT);
        g.insn(sub == 5 ? LUSHR : sub == 7 ? LSHR : LSHL);
        g.mask(size);
        g.lstore(RES);
    }

    private void shiftFlags(int size, int sub, boolean live) {
        g.iload(COUNT);
        g.insn(I2L);
        g.lstore(B);
        f.produce(sub == 5 ? LazyFlags.SHR : sub == 7 ? LazyFlags.SAR : LazyFlags.SHL, size, A, B, RES, -1, live);
    }

    /** A shift by a masked count of zero: the operand is still read, a 32-bit register still written. */
    private void zeroCount(Insn i, int size) {
        o.readRm(i, size);
        if (!i.mem && size == 4) {
            o.writeReg(i.rm, 4);
        } else {
            g.insn(POP2);
        }
    }

    /** SHL/SHR/SAR by CL: the count is known only at run time, and may be zero. */
    private void shiftByCl(Insn i, boolean live) {
        int size = i.osz;
        Label zero = new Label();
        Label done = new Label();
        g.loadReg(Cpu.RCX);
        g.insn(L2I);
        g.iconst(size == 8 ? 0x3f : 0x1f);
        g.insn(IAND);
        g.insn(DUP);
        g.istore(COUNT);
        g.jump(IFEQ, zero);
        destination(i, size);
        shiftBy(i, size, i.sub, live);
        g.jump(GOTO, done);
        g.label(zero);
        f.unknown();
        zeroCount(i, size);
        g.label(done);
        // The flags are those of one path or the other: nothing is known statically.
        f.unknown();
    }

    /**
     * ROL/ROR by a known count (4 and 8 bytes for the specialized form, any size for the
     * generic one): only CF and OF change; a masked count of zero changes nothing.
     */
    private void rotate(Insn i, int reg, int size, int count, boolean left, boolean generic) {
        if (count == 0) {
            zeroCount(i, size);
            return;
        }
        int bits = size * 8;
        int n = count % bits;
        if (generic) {
            destination(i, size);
        } else {
            o.readReg(reg, size);
            g.lstore(A);
        }
        if (n == 0) {
            g.lload(A);
        } else {
            // Within the operand's width: (a << n | a >>> (bits - n)) & mask, or the other way.
            g.lload(A);
            g.iconst(left ? n : bits - n);
            g.insn(LSHL);
            g.lload(A);
            g.iconst(left ? bits - n : n);
            g.insn(LUSHR);
            g.insn(LOR);
            g.mask(size);
        }
        g.lstore(RES);
        if (generic) {
            writeDestination(i, size, RES);
        } else {
            g.lload(RES);
            o.writeReg(reg, size);
        }
        long sign = LazyFlags.sign(size);
        if (left) {
            // CF = bit 0 of the result, OF = MSB xor CF.
            bit(RES, 1);
            g.istore(CIN);
            bit(RES, sign);
            g.iload(CIN);
            g.insn(IXOR);
            g.istore(BIT);
        } else {
            // CF = MSB of the result, OF = MSB xor the bit below it.
            bit(RES, sign);
            g.istore(CIN);
            bit(RES, sign >>> 1);
            g.iload(CIN);
            g.insn(IXOR);
            g.istore(BIT);
        }
        f.eagerCarryOverflow(CIN, BIT);
    }

    /** Pushes 1 if (slot & m) != 0, else 0. */
    private void bit(int slot, long m) {
        g.lload(slot);
        g.lconst(m);
        g.insn(LAND);
        g.lconst(0);
        g.insn(LCMP);
        g.iconst(1);
        g.insn(IAND);
    }

    /** Two- and three-operand IMUL: reg = A * B at size, as MulDiv.imulRRm and FastOps.imul*. */
    private void imul(int reg, int size, boolean live) {
        if (size == 8) {
            g.lload(A);
            g.lload(B);
            g.insn(LMUL);
            g.lstore(RES);
            // Overflow: the high half is not the sign extension of the low half.
            g.lload(A);
            g.lload(B);
            g.invokeStatic("java/lang/Math", "multiplyHigh", "(JJ)J");
            g.lload(RES);
            g.iconst(63);
            g.insn(LSHR);
            g.insn(LCMP);
        } else {
            g.lload(A);
            g.signExtend(size);
            g.lload(B);
            g.mask(size);
            g.signExtend(size);
            g.insn(LMUL);
            g.insn(DUP2);
            g.lstore(RES);
            g.lload(RES);
            g.signExtend(size);
            g.insn(LCMP);
        }
        // LCMP leaves 0 when equal: overflow is "not equal", as an int 0 or 1.
        g.iconst(1);
        g.insn(IAND);
        g.istore(CIN);
        g.lload(RES);
        o.writeReg(reg, size);
        f.produce(LazyFlags.MUL, size, A, B, RES, CIN, live);
    }

    /** One-operand MUL and IMUL: RDX:RAX (AX for bytes) = RAX * r/m. */
    private void widening(Insn i, boolean signed, boolean live) {
        int size = i.osz;
        o.readRm(i, size);
        if (signed) {
            g.signExtend(size);
        }
        g.lstore(B);
        o.readReg(Cpu.RAX, size);
        if (signed) {
            g.signExtend(size);
        }
        g.lstore(A);
        g.lload(A);
        g.lload(B);
        g.insn(LMUL);
        g.lstore(RES);
        if (size == 8) {
            g.lload(A);
            g.lload(B);
            g.invokeStatic("java/lang/Math", "multiplyHigh", "(JJ)J");
            if (!signed) {
                // The unsigned high half: correct the signed one for operands with bit 63 set.
                g.lload(A);
                g.iconst(63);
                g.insn(LSHR);
                g.lload(B);
                g.insn(LAND);
                g.insn(LADD);
                g.lload(B);
                g.iconst(63);
                g.insn(LSHR);
                g.lload(A);
                g.insn(LAND);
                g.insn(LADD);
            }
            g.lstore(X);
            g.lload(RES);
            g.storeReg(Cpu.RAX);
            g.lload(X);
            g.storeReg(Cpu.RDX);
            // Overflow: unsigned, a non-zero high half; signed, one that is not the low half's sign.
            g.lload(X);
            if (signed) {
                g.lload(RES);
                g.iconst(63);
                g.insn(LSHR);
            } else {
                g.lconst(0);
            }
            g.insn(LCMP);
        } else {
            g.lload(RES);
            if (size == 1) {
                o.writeReg(Cpu.RAX, 2);
            } else {
                o.writeReg(Cpu.RAX, size);
                g.lload(RES);
                g.iconst(size * 8);
                g.insn(LUSHR);
                o.writeReg(Cpu.RDX, size);
            }
            // Overflow: unsigned, anything above the low half; signed, not its sign extension.
            g.lload(RES);
            if (signed) {
                g.lload(RES);
                g.signExtend(size);
            } else {
                g.iconst(size * 8);
                g.insn(LUSHR);
                g.lconst(0);
            }
            g.insn(LCMP);
        }
        g.iconst(1);
        g.insn(IAND);
        g.istore(CIN);
        f.produce(LazyFlags.MUL, size, A, B, RES, CIN, live);
    }

    private void cmov(Insn i) {
        Label keep = new Label();
        Label done = new Label();
        o.readRm(i, i.osz);
        g.lstore(X);
        f.branch(i.sub ^ 1, keep);
        g.lload(X);
        o.writeReg(i.reg, i.osz);
        g.jump(GOTO, done);
        g.label(keep);
        if (i.osz == 4) {
            // A 32-bit CMOV zero-extends its destination even when the condition is false.
            g.loadReg(i.reg);
            g.mask(4);
            g.storeReg(i.reg);
        }
        g.label(done);
    }

    private void cbw(Insn i) {
        g.loadReg(Cpu.RAX);
        switch (i.osz) {
            case 2: g.signExtend(1); o.writeReg(Cpu.RAX, 2); return;
            case 4: g.signExtend(2); o.writeReg(Cpu.RAX, 4); return;
            default: g.signExtend(4); g.storeReg(Cpu.RAX);
        }
    }

    private void cwd(Insn i) {
        g.loadReg(Cpu.RAX);
        switch (i.osz) {
            case 2: g.signExtend(2); g.iconst(15); g.insn(LSHR); o.writeReg(Cpu.RDX, 2); return;
            case 4: g.signExtend(4); g.iconst(31); g.insn(LSHR); o.writeReg(Cpu.RDX, 4); return;
            default: g.iconst(63); g.insn(LSHR); g.storeReg(Cpu.RDX);
        }
    }

    /** XCHG r/m, reg: memory is read and written before the register changes. */
    private void xchg(Insn i) {
        int size = i.osz;
        if (i.mem) {
            o.addressToTemp(i);
            o.load(size, false);
            g.lstore(X);
            o.readReg(i.reg, size);
            g.lstore(VAL);
            o.store(size, VAL);
            g.lload(X);
            o.writeReg(i.reg, size);
            return;
        }
        o.readReg(i.rm, size);
        g.lstore(X);
        o.readReg(i.reg, size);
        o.writeReg(i.rm, size);
        g.lload(X);
        o.writeReg(i.reg, size);
    }
}

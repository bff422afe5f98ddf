package microlith.hw.cpu.translate;

import java.util.ArrayList;
import java.util.List;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.decode.DecodedPage;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.decode.Op;

/**
 * The path of predecoded entries one translated block covers: from a hot entry along
 * fall-through edges (conditional branches become side exits), through unconditional jumps
 * inside the page, until a CALL, RET, a jump out of the page, an entry that was never
 * decoded or cannot be translated, or the length limit. A branch back to the first entry
 * makes the block a loop. Only entries the interpreter already decoded are used: forming
 * a trace never reads memory, so it cannot fault or change any counter.
 */
public final class Trace {
    /** How a step ends: it falls through, may branch, or leaves the block. */
    public static final int PLAIN = 0, GENERIC = 1, FUSED = 2, JCC = 3, FOLLOW = 4, JMP = 5, CALL = 6, RET = 7;

    /** Entries per block: keeps a block's method within what the JIT compiles and inlines well. */
    public static final int MAX_STEPS = 40;

    /** One entry on the path. */
    public static final class Step {
        final Insn insn;
        final int kind;
        /** The entry's address minus the block's start address. */
        final long delta;
        /** Instructions retired on this pass before this entry. */
        final int before;
        /** Branch target (JCC, FUSED, JMP, CALL), relative to the block's start. */
        long target;

        Step(Insn insn, int kind, long delta, int before) {
            this.insn = insn;
            this.kind = kind;
            this.delta = delta;
            this.before = before;
        }

        /** Instructions this entry retires: a fused pair is two. */
        int weight() {
            return kind == FUSED ? 2 : 1;
        }

        /** Where the entry falls through to, relative to the block's start. */
        long after() {
            return delta + insn.len + (kind == FUSED ? insn.jlen : 0);
        }

        boolean terminal() {
            return kind == JMP || kind == CALL || kind == RET;
        }
    }

    public final List<Step> steps = new ArrayList<>();
    /** Instructions retired by a pass along the whole path. */
    public int length;
    /** Where the path goes when it runs off its end (unless its last step is terminal). */
    public long end;
    /** Some step branches back to the start. */
    public boolean loops;

    /** The path from the entry at page offset {@code start}, which must be decoded. */
    public static Trace form(DecodedPage page, int start) {
        Trace t = new Trace();
        boolean[] seen = new boolean[PhysicalMemory.PAGE_SIZE];
        long d = 0;
        for (;;) {
            long off = start + d;
            if (t.steps.size() >= MAX_STEPS || off < 0 || off >= PhysicalMemory.PAGE_SIZE || seen[(int) off]) {
                break;
            }
            Insn i = page.insns[(int) off];
            int kind = i == null ? -1 : kindOf(i);
            if (kind < 0) {
                break;
            }
            seen[(int) off] = true;
            Step s = new Step(i, kind, d, t.length);
            t.steps.add(s);
            t.length += s.weight();
            switch (kind) {
                case FUSED:
                    s.target = s.after() + i.jdisp;
                    t.loops |= s.target == 0;
                    break;
                case JCC:
                    s.target = d + i.len + i.imm;
                    t.loops |= s.target == 0;
                    break;
                case JMP:
                case CALL:
                    s.target = d + i.len + i.imm;
                    break;
                default:
                    break;
            }
            if (kind == JMP) {
                long to = start + s.target;
                if (s.target == 0) {
                    t.loops = true;
                    return t;
                }
                if (to >= 0 && to < PhysicalMemory.PAGE_SIZE && !seen[(int) to] && page.insns[(int) to] != null) {
                    // Straight on at the target: the jump itself needs no code.
                    t.steps.set(t.steps.size() - 1, new Step(i, FOLLOW, d, s.before));
                    d = s.target;
                    continue;
                }
                return t;
            }
            if (s.terminal()) {
                return t;
            }
            d = s.after();
        }
        t.end = d;
        return t;
    }

    /** How the translator handles an entry's handler, or -1 if a block must stop before it. */
    public static int kindOf(Insn i) {
        switch (i.op) {
            case Op.FJ_TEST_RR64: case Op.FJ_TEST_RR32: case Op.FJ_CMP_RR64: case Op.FJ_CMP_RR32:
            case Op.FJ_CMP_RI64: case Op.FJ_CMP_RI32: case Op.FJ_SUB_RI64: case Op.FJ_SUB_RI32:
            case Op.FJ_CMP_MR: case Op.FJ_ALU_RM_R: case Op.FJ_ALU_RM_I: case Op.FJ_ALU_R_RM:
            case Op.FJ_TEST_RM_R: case Op.FJ_TEST_RM_I:
                return FUSED;
            case Op.JCC: return JCC;
            case Op.JMP: return JMP;
            case Op.CALL: return CALL;
            case Op.RET: return RET;
            // The specialized forms (see Specialize), each one FastOps call.
            case Op.F_MOV_RR64: case Op.F_MOV_RR32: case Op.F_MOV_RI64: case Op.F_MOV_RI32:
            case Op.F_ADD_RR64: case Op.F_ADD_RR32: case Op.F_SUB_RR64: case Op.F_SUB_RR32:
            case Op.F_CMP_RR64: case Op.F_CMP_RR32: case Op.F_XOR_RR64: case Op.F_XOR_RR32:
            case Op.F_AND_RR64: case Op.F_AND_RR32: case Op.F_OR_RR64: case Op.F_OR_RR32:
            case Op.F_TEST_RR64: case Op.F_TEST_RR32:
            case Op.F_ADD_RI64: case Op.F_ADD_RI32: case Op.F_SUB_RI64: case Op.F_SUB_RI32:
            case Op.F_CMP_RI64: case Op.F_CMP_RI32: case Op.F_AND_RI64: case Op.F_AND_RI32:
            case Op.F_LOAD64: case Op.F_LOAD32: case Op.F_STORE64: case Op.F_STORE32:
            case Op.F_MOVZX8_M: case Op.F_MOVZX16_M: case Op.F_MOVSX8_M: case Op.F_MOVSX16_M:
            case Op.F_MOVSXD_M: case Op.F_LEA: case Op.F_CMP_MR: case Op.F_PUSH64: case Op.F_POP64:
            case Op.F_SHL_RI: case Op.F_SHR_RI: case Op.F_SAR_RI: case Op.F_ROL_RI: case Op.F_ROR_RI:
            case Op.F_IMUL_RR64: case Op.F_IMUL_RRI64: case Op.F_IMUL_RR32: case Op.F_IMUL_RRI32:
            case Op.NOP: case Op.PAUSE: case Op.FENCE:
                return PLAIN;
            // Handlers that only compute on registers, flags and memory: they leave CPL,
            // CR3, the interrupt flag, the instruction count and control flow alone (so not
            // POPF, which may set IF, nor RDTSC, which reads the count).
            case Op.ALU_RR_ANY: case Op.ALU_RI_ANY:
            case Op.ALU_RM_R: case Op.ALU_R_RM: case Op.ALU_RM_I: case Op.TEST_RM_R: case Op.TEST_RM_I:
            case Op.MOV_RM_R: case Op.MOV_R_RM: case Op.MOV_RM_I: case Op.MOV_R_I: case Op.LEA:
            case Op.MOVZX: case Op.MOVSX: case Op.MOVSXD: case Op.XCHG: case Op.XCHG_AX:
            case Op.PUSH_R: case Op.POP_R: case Op.PUSH_I: case Op.PUSH_RM: case Op.POP_RM:
            case Op.INC: case Op.DEC: case Op.NOT: case Op.NEG:
            case Op.MUL: case Op.IMUL1: case Op.DIV: case Op.IDIV: case Op.IMUL_R_RM: case Op.IMUL_R_RM_I:
            case Op.SHIFT_1: case Op.SHIFT_CL: case Op.SHIFT_I:
            case Op.SHLD_I: case Op.SHLD_CL: case Op.SHRD_I: case Op.SHRD_CL:
            case Op.SETCC: case Op.CMOVCC: case Op.CBW: case Op.CWD:
            case Op.SAHF: case Op.LAHF: case Op.CLC: case Op.STC: case Op.CMC: case Op.CLD: case Op.STD:
            case Op.MOVS: case Op.STOS: case Op.LODS: case Op.CMPS: case Op.SCAS:
            case Op.BT_R: case Op.BT_I: case Op.BSF: case Op.BSR: case Op.TZCNT: case Op.LZCNT:
            case Op.POPCNT: case Op.BSWAP: case Op.CMPXCHG: case Op.XADD: case Op.CMPXCHG16B:
            case Op.MOV_MOFFS_LOAD: case Op.MOV_MOFFS_STORE: case Op.LEAVE: case Op.ENTER: case Op.PUSHF:
            case Op.X87: case Op.SSE:
                return GENERIC;
            default:
                return -1;
        }
    }
}

package microlith.hw.cpu.decode;

import microlith.hw.cpu.CpuException;

/**
 * Decodes one 64-bit-mode instruction into an {@link Insn}: legacy prefixes, REX, opcode
 * (one byte, 0F, 0F 38/3A), ModRM, SIB, displacement and immediate (AMD64 APM vol. 3,
 * chapter 1). Unknown or invalid encodings decode to {@link Op#UD}; executing those raises
 * #UD, and an instruction longer than 15 bytes raises #GP(0), as on hardware.
 */
public final class Decoder {
    public interface Bytes {
        int byteAt(long linear);
    }

    private final Bytes src;
    private long pc;
    private long start;

    public Decoder(Bytes src) {
        this.src = src;
    }

    public int next() {
        if (pc - start >= 15) {
            throw CpuException.gp(0);
        }
        return src.byteAt(pc++);
    }

    public long imm(int size) {
        switch (size) {
            case 1: return (byte) next();
            case 2: return (short) (next() | next() << 8);
            case 4: return (int) (next() | next() << 8 | next() << 16 | next() << 24);
            default: {
                long lo = imm(4) & 0xffffffffL;
                return lo | imm(4) << 32;
            }
        }
    }

    public Insn decode(long rip) {
        pc = rip;
        start = rip;
        Insn d = new Insn();
        int osz16 = 0;
        int rex = 0;
        int b;
        // Legacy prefixes, then an optional REX that must directly precede the opcode.
        for (;;) {
            b = next();
            switch (b) {
                case 0x66: osz16 = 1; d.pfx = d.pfx == 0 ? 0x66 : d.pfx; rex = 0; continue;
                case 0x67: d.asz = 4; rex = 0; continue;
                case 0xF0: d.lock = true; rex = 0; continue;
                case 0xF2: d.rep = 2; d.pfx = 0xF2; rex = 0; continue;
                case 0xF3: d.rep = 1; d.pfx = 0xF3; rex = 0; continue;
                case 0x64: d.seg = 4; rex = 0; continue;
                case 0x65: d.seg = 5; rex = 0; continue;
                case 0x26: case 0x2E: case 0x36: case 0x3E: rex = 0; continue;
                default:
                    break;
            }
            if ((b & 0xF0) == 0x40) {
                rex = b;
                continue;
            }
            break;
        }
        d.rexW = (rex & 8) != 0;
        int osz = d.rexW ? 8 : osz16 == 1 ? 2 : 4;
        Ctx c = new Ctx(rex, osz);
        if (b == 0x0F) {
            twoByte(d, c, next());
        } else {
            oneByte(d, c, b);
        }
        d.len = (int) (pc - rip);
        Specialize.apply(d);
        return d;
    }

    /** Per-instruction decoding context. */
    public static final class Ctx {
        final int rex;
        final int osz;

        Ctx(int rex, int osz) {
            this.rex = rex;
            this.osz = osz;
        }
    }

    private int byteReg(Ctx c, int r) {
        // Without REX, encodings 4-7 of a byte register are AH, CH, DH, BH.
        return c.rex == 0 && r >= 4 && r < 8 ? 16 + (r - 4) : r;
    }

    /** Reads ModRM (+SIB, displacement) into d.reg / d.rm / memory fields. */
    public int modrm(Insn d, Ctx c, boolean bytes) {
        int m = next();
        int mod = m >>> 6;
        int reg = (m >>> 3 & 7) | (c.rex & 4) << 1;
        int rm = m & 7;
        d.reg = bytes ? byteReg(c, reg) : reg;
        if (mod == 3) {
            d.mem = false;
            int r = rm | (c.rex & 1) << 3;
            d.rm = bytes ? byteReg(c, r) : r;
            return m;
        }
        d.mem = true;
        if (rm == 4) {
            int sib = next();
            int scale = sib >>> 6;
            int index = (sib >>> 3 & 7) | (c.rex & 2) << 2;
            int base = sib & 7;
            d.scale = scale;
            d.index = index == 4 ? -1 : index;
            if (base == 5 && mod == 0) {
                d.base = -1;
                d.disp = imm(4);
            } else {
                d.base = base | (c.rex & 1) << 3;
            }
        } else if (rm == 5 && mod == 0) {
            d.ripRel = true;
            d.disp = imm(4);
        } else {
            d.base = rm | (c.rex & 1) << 3;
        }
        if (mod == 1) {
            d.disp = imm(1);
        } else if (mod == 2) {
            d.disp = imm(4);
        }
        return m;
    }

    /**
     * The opcode-extension field (/digit) of a ModRM byte. Not d.reg & 7: for byte
     * operands without REX, modrm() maps reg 4-7 to AH..BH (16-19), which would turn
     * /4-/7 (AND, SUB, XOR, CMP; SHL, SHR, SAR; MUL..IDIV) into /0-/3.
     */
    private static int groupReg(int modrm) {
        return modrm >>> 3 & 7;
    }

    private static int immSize(int osz) {
        return osz == 2 ? 2 : 4;
    }

    private void oneByte(Insn d, Ctx c, int b) {
        int osz = c.osz;
        if (b < 0x40 && (b & 7) < 6) {
            d.sub = b >>> 3;
            switch (b & 7) {
                case 0: d.op = Op.ALU_RM_R; d.osz = 1; modrm(d, c, true); return;
                case 1: d.op = Op.ALU_RM_R; d.osz = osz; modrm(d, c, false); return;
                case 2: d.op = Op.ALU_R_RM; d.osz = 1; modrm(d, c, true); return;
                case 3: d.op = Op.ALU_R_RM; d.osz = osz; modrm(d, c, false); return;
                case 4: d.op = Op.ALU_RM_I; d.osz = 1; d.mem = false; d.rm = 0; d.imm = imm(1); return;
                default: d.op = Op.ALU_RM_I; d.osz = osz; d.mem = false; d.rm = 0; d.imm = imm(immSize(osz)); return;
            }
        }
        if (b >= 0x50 && b <= 0x57) {
            d.op = Op.PUSH_R; d.reg = (b & 7) | (c.rex & 1) << 3; d.osz = osz == 2 ? 2 : 8; return;
        }
        if (b >= 0x58 && b <= 0x5F) {
            d.op = Op.POP_R; d.reg = (b & 7) | (c.rex & 1) << 3; d.osz = osz == 2 ? 2 : 8; return;
        }
        if (b >= 0x70 && b <= 0x7F) {
            d.op = Op.JCC; d.sub = b & 0xF; d.imm = imm(1); return;
        }
        if (b >= 0x91 && b <= 0x97) {
            d.op = Op.XCHG_AX; d.reg = (b & 7) | (c.rex & 1) << 3; d.osz = osz; return;
        }
        if (b >= 0xB0 && b <= 0xB7) {
            d.op = Op.MOV_R_I; d.osz = 1; d.reg = byteReg(c, (b & 7) | (c.rex & 1) << 3); d.imm = imm(1); return;
        }
        if (b >= 0xB8 && b <= 0xBF) {
            d.op = Op.MOV_R_I; d.osz = osz; d.reg = (b & 7) | (c.rex & 1) << 3; d.imm = imm(osz); return;
        }
        switch (b) {
            case 0x63: d.op = Op.MOVSXD; d.osz = osz; modrm(d, c, false); return;
            case 0x68: d.op = Op.PUSH_I; d.osz = osz == 2 ? 2 : 8; d.imm = imm(immSize(osz)); return;
            case 0x6A: d.op = Op.PUSH_I; d.osz = osz == 2 ? 2 : 8; d.imm = imm(1); return;
            case 0x69: d.op = Op.IMUL_R_RM_I; d.osz = osz; modrm(d, c, false); d.imm = imm(immSize(osz)); return;
            case 0x6B: d.op = Op.IMUL_R_RM_I; d.osz = osz; modrm(d, c, false); d.imm = imm(1); return;
            case 0x6C: d.op = Op.INS; d.osz = 1; return;
            case 0x6D: d.op = Op.INS; d.osz = osz == 8 ? 4 : osz; return;
            case 0x6E: d.op = Op.OUTS; d.osz = 1; return;
            case 0x6F: d.op = Op.OUTS; d.osz = osz == 8 ? 4 : osz; return;
            case 0x80: d.op = Op.ALU_RM_I; d.osz = 1; d.sub = groupReg(modrm(d, c, true)); d.imm = imm(1); return;
            case 0x81: d.op = Op.ALU_RM_I; d.osz = osz; modrm(d, c, false); d.sub = d.reg & 7; d.imm = imm(immSize(osz)); return;
            case 0x83: d.op = Op.ALU_RM_I; d.osz = osz; modrm(d, c, false); d.sub = d.reg & 7; d.imm = imm(1); return;
            case 0x84: d.op = Op.TEST_RM_R; d.osz = 1; modrm(d, c, true); return;
            case 0x85: d.op = Op.TEST_RM_R; d.osz = osz; modrm(d, c, false); return;
            case 0x86: d.op = Op.XCHG; d.osz = 1; modrm(d, c, true); return;
            case 0x87: d.op = Op.XCHG; d.osz = osz; modrm(d, c, false); return;
            case 0x88: d.op = Op.MOV_RM_R; d.osz = 1; modrm(d, c, true); return;
            case 0x89: d.op = Op.MOV_RM_R; d.osz = osz; modrm(d, c, false); return;
            case 0x8A: d.op = Op.MOV_R_RM; d.osz = 1; modrm(d, c, true); return;
            case 0x8B: d.op = Op.MOV_R_RM; d.osz = osz; modrm(d, c, false); return;
            case 0x8C: d.op = Op.MOV_FROM_SREG; d.osz = d.rexW ? 8 : osz; modrm(d, c, false); d.reg &= 7; return;
            case 0x8D: d.op = Op.LEA; d.osz = osz; modrm(d, c, false); if (!d.mem) d.op = Op.UD; return;
            case 0x8E: d.op = Op.MOV_TO_SREG; d.osz = 2; modrm(d, c, false); d.reg &= 7; return;
            case 0x8F: d.op = Op.POP_RM; d.osz = osz == 2 ? 2 : 8; modrm(d, c, false); if ((d.reg & 7) != 0) d.op = Op.UD; return;
            case 0x90:
                if ((c.rex & 1) != 0) {
                    d.op = Op.XCHG_AX; d.reg = 8; d.osz = osz;
                } else {
                    d.op = d.rep == 1 ? Op.PAUSE : Op.NOP;
                }
                return;
            case 0x98: d.op = Op.CBW; d.osz = osz; return;
            case 0x99: d.op = Op.CWD; d.osz = osz; return;
            case 0x9B: X87Decode.fwait(d); return;
            case 0x9C: d.op = Op.PUSHF; d.osz = osz == 2 ? 2 : 8; return;
            case 0x9D: d.op = Op.POPF; d.osz = osz == 2 ? 2 : 8; return;
            case 0x9E: d.op = Op.SAHF; return;
            case 0x9F: d.op = Op.LAHF; return;
            case 0xA0: d.op = Op.MOV_MOFFS_LOAD; d.osz = 1; d.imm = imm(d.asz); return;
            case 0xA1: d.op = Op.MOV_MOFFS_LOAD; d.osz = osz; d.imm = imm(d.asz); return;
            case 0xA2: d.op = Op.MOV_MOFFS_STORE; d.osz = 1; d.imm = imm(d.asz); return;
            case 0xA3: d.op = Op.MOV_MOFFS_STORE; d.osz = osz; d.imm = imm(d.asz); return;
            case 0xA4: d.op = Op.MOVS; d.osz = 1; return;
            case 0xA5: d.op = Op.MOVS; d.osz = osz; return;
            case 0xA6: d.op = Op.CMPS; d.osz = 1; return;
            case 0xA7: d.op = Op.CMPS; d.osz = osz; return;
            case 0xA8: d.op = Op.TEST_RM_I; d.osz = 1; d.mem = false; d.rm = 0; d.imm = imm(1); return;
            case 0xA9: d.op = Op.TEST_RM_I; d.osz = osz; d.mem = false; d.rm = 0; d.imm = imm(immSize(osz)); return;
            case 0xAA: d.op = Op.STOS; d.osz = 1; return;
            case 0xAB: d.op = Op.STOS; d.osz = osz; return;
            case 0xAC: d.op = Op.LODS; d.osz = 1; return;
            case 0xAD: d.op = Op.LODS; d.osz = osz; return;
            case 0xAE: d.op = Op.SCAS; d.osz = 1; return;
            case 0xAF: d.op = Op.SCAS; d.osz = osz; return;
            case 0xC0: d.op = Op.SHIFT_I; d.osz = 1; d.sub = groupReg(modrm(d, c, true)); d.imm = next(); return;
            case 0xC1: d.op = Op.SHIFT_I; d.osz = osz; modrm(d, c, false); d.sub = d.reg & 7; d.imm = next(); return;
            case 0xC2: d.op = Op.RET_I; d.imm = imm(2) & 0xffff; return;
            case 0xC3: d.op = Op.RET; return;
            case 0xC6: d.op = Op.MOV_RM_I; d.osz = 1; d.sub = groupReg(modrm(d, c, true)); d.imm = imm(1); if (d.sub != 0) d.op = Op.UD; return;
            case 0xC7: d.op = Op.MOV_RM_I; d.osz = osz; modrm(d, c, false); d.imm = imm(immSize(osz)); if ((d.reg & 7) != 0) d.op = Op.UD; return;
            case 0xC8: d.op = Op.ENTER; d.imm = imm(2) & 0xffff; d.imm2 = next(); return;
            case 0xC9: d.op = Op.LEAVE; d.osz = osz == 2 ? 2 : 8; return;
            case 0xCC: d.op = Op.INT3; return;
            case 0xCD: d.op = Op.INT; d.imm = next(); return;
            case 0xCF: d.op = Op.IRET; d.osz = osz; return;
            case 0xD0: d.op = Op.SHIFT_1; d.osz = 1; d.sub = groupReg(modrm(d, c, true)); return;
            case 0xD1: d.op = Op.SHIFT_1; d.osz = osz; modrm(d, c, false); d.sub = d.reg & 7; return;
            case 0xD2: d.op = Op.SHIFT_CL; d.osz = 1; d.sub = groupReg(modrm(d, c, true)); return;
            case 0xD3: d.op = Op.SHIFT_CL; d.osz = osz; modrm(d, c, false); d.sub = d.reg & 7; return;
            case 0xE0: d.op = Op.LOOP; d.sub = 0; d.imm = imm(1); return;
            case 0xE1: d.op = Op.LOOP; d.sub = 1; d.imm = imm(1); return;
            case 0xE2: d.op = Op.LOOP; d.sub = 2; d.imm = imm(1); return;
            case 0xE3: d.op = Op.JRCXZ; d.imm = imm(1); return;
            case 0xE4: d.op = Op.IN_I; d.osz = 1; d.imm = next(); return;
            case 0xE5: d.op = Op.IN_I; d.osz = osz == 8 ? 4 : osz; d.imm = next(); return;
            case 0xE6: d.op = Op.OUT_I; d.osz = 1; d.imm = next(); return;
            case 0xE7: d.op = Op.OUT_I; d.osz = osz == 8 ? 4 : osz; d.imm = next(); return;
            case 0xE8: d.op = Op.CALL; d.imm = imm(4); return;
            case 0xE9: d.op = Op.JMP; d.imm = imm(4); return;
            case 0xEB: d.op = Op.JMP; d.imm = imm(1); return;
            case 0xEC: d.op = Op.IN_DX; d.osz = 1; return;
            case 0xED: d.op = Op.IN_DX; d.osz = osz == 8 ? 4 : osz; return;
            case 0xEE: d.op = Op.OUT_DX; d.osz = 1; return;
            case 0xEF: d.op = Op.OUT_DX; d.osz = osz == 8 ? 4 : osz; return;
            case 0xF4: d.op = Op.HLT; return;
            case 0xF5: d.op = Op.CMC; return;
            case 0xF6: group3(d, c, 1); return;
            case 0xF7: group3(d, c, osz); return;
            case 0xF8: d.op = Op.CLC; return;
            case 0xF9: d.op = Op.STC; return;
            case 0xFA: d.op = Op.CLI; return;
            case 0xFB: d.op = Op.STI; return;
            case 0xFC: d.op = Op.CLD; return;
            case 0xFD: d.op = Op.STD; return;
            case 0xFE:
                d.osz = 1;
                int r = groupReg(modrm(d, c, true));
                d.op = r == 0 ? Op.INC : r == 1 ? Op.DEC : Op.UD;
                return;
            case 0xFF: group5(d, c); return;
            case 0xD8: case 0xD9: case 0xDA: case 0xDB: case 0xDC: case 0xDD: case 0xDE: case 0xDF:
                X87Decode.decode(this, d, c, b);
                return;
            default:
                d.op = Op.UD;
        }
    }

    private void group3(Insn d, Ctx c, int osz) {
        d.osz = osz;
        switch (groupReg(modrm(d, c, osz == 1))) {
            case 0: case 1: d.op = Op.TEST_RM_I; d.imm = imm(osz == 1 ? 1 : immSize(osz)); return;
            case 2: d.op = Op.NOT; return;
            case 3: d.op = Op.NEG; return;
            case 4: d.op = Op.MUL; return;
            case 5: d.op = Op.IMUL1; return;
            case 6: d.op = Op.DIV; return;
            default: d.op = Op.IDIV;
        }
    }

    private void group5(Insn d, Ctx c) {
        modrm(d, c, false);
        switch (d.reg & 7) {
            case 0: d.op = Op.INC; d.osz = c.osz; return;
            case 1: d.op = Op.DEC; d.osz = c.osz; return;
            case 2: d.op = Op.CALL_RM; d.osz = 8; return;
            case 4: d.op = Op.JMP_RM; d.osz = 8; return;
            case 6: d.op = Op.PUSH_RM; d.osz = c.osz == 2 ? 2 : 8; return;
            default: d.op = Op.UD;
        }
    }

    private void twoByte(Insn d, Ctx c, int b) {
        int osz = c.osz;
        if (b >= 0x80 && b <= 0x8F) {
            d.op = Op.JCC; d.sub = b & 0xF; d.imm = imm(4); return;
        }
        if (b >= 0x90 && b <= 0x9F) {
            d.op = Op.SETCC; d.sub = b & 0xF; d.osz = 1; modrm(d, c, true); return;
        }
        if (b >= 0x40 && b <= 0x4F) {
            d.op = Op.CMOVCC; d.sub = b & 0xF; d.osz = osz; modrm(d, c, false); return;
        }
        if (b >= 0xC8 && b <= 0xCF) {
            d.op = Op.BSWAP; d.osz = osz; d.reg = (b & 7) | (c.rex & 1) << 3; return;
        }
        switch (b) {
            case 0x00: {
                modrm(d, c, false); d.osz = 2;
                int r = d.reg & 7;
                d.op = r == 0 ? Op.SLDT : r == 1 ? Op.STR : r == 2 ? Op.LLDT : r == 3 ? Op.LTR : Op.UD;
                return;
            }
            case 0x01: group7(d, c); return;
            case 0x05: d.op = Op.SYSCALL; return;
            case 0x06: d.op = Op.CLTS; return;
            case 0x07: d.op = Op.SYSRET; d.osz = d.rexW ? 8 : 4; return;
            case 0x09: d.op = Op.WBINVD; return;
            case 0x0A: d.op = Op.KCALL; d.imm = imm(4) & 0xffffffffL; return;
            case 0x0B: d.op = Op.UD2; return;
            case 0x0D: d.op = Op.NOP; modrm(d, c, false); return;
            case 0x18: case 0x19: case 0x1A: case 0x1B: case 0x1C: case 0x1D: case 0x1E: case 0x1F:
                // Hint NOPs, ENDBR64 and prefetches: no architectural effect here.
                d.op = Op.NOP; modrm(d, c, false); return;
            case 0x20: case 0x22: {
                // MOV CRn ignores ModRM.mod: the r/m field always names a register.
                int m = next();
                d.op = b == 0x20 ? Op.MOV_FROM_CR : Op.MOV_TO_CR;
                d.reg = (m >>> 3 & 7) | (c.rex & 4) << 1;
                d.rm = (m & 7) | (c.rex & 1) << 3;
                d.mem = false;
                return;
            }
            case 0x30: d.op = Op.WRMSR; return;
            case 0x31: d.op = Op.RDTSC; return;
            case 0x32: d.op = Op.RDMSR; return;
            case 0xA2: d.op = Op.CPUID; return;
            case 0xA3: d.op = Op.BT_R; d.sub = 0; d.osz = osz; modrm(d, c, false); return;
            case 0xAB: d.op = Op.BT_R; d.sub = 1; d.osz = osz; modrm(d, c, false); return;
            case 0xB3: d.op = Op.BT_R; d.sub = 2; d.osz = osz; modrm(d, c, false); return;
            case 0xBB: d.op = Op.BT_R; d.sub = 3; d.osz = osz; modrm(d, c, false); return;
            case 0xBA: {
                d.osz = osz; modrm(d, c, false); d.imm = next();
                int r = d.reg & 7;
                d.op = r >= 4 ? Op.BT_I : Op.UD; d.sub = r - 4;
                return;
            }
            case 0xA4: d.op = Op.SHLD_I; d.osz = osz; modrm(d, c, false); d.imm = next(); return;
            case 0xA5: d.op = Op.SHLD_CL; d.osz = osz; modrm(d, c, false); return;
            case 0xAC: d.op = Op.SHRD_I; d.osz = osz; modrm(d, c, false); d.imm = next(); return;
            case 0xAD: d.op = Op.SHRD_CL; d.osz = osz; modrm(d, c, false); return;
            case 0xAF: d.op = Op.IMUL_R_RM; d.osz = osz; modrm(d, c, false); return;
            case 0xB0: d.op = Op.CMPXCHG; d.osz = 1; modrm(d, c, true); return;
            case 0xB1: d.op = Op.CMPXCHG; d.osz = osz; modrm(d, c, false); return;
            case 0xB6: d.op = Op.MOVZX; d.sub = 1; d.osz = osz; modrm(d, c, true); d.reg = regOfByteForm(d, c); return;
            case 0xB7: d.op = Op.MOVZX; d.sub = 2; d.osz = osz; modrm(d, c, false); return;
            case 0xBE: d.op = Op.MOVSX; d.sub = 1; d.osz = osz; modrm(d, c, true); d.reg = regOfByteForm(d, c); return;
            case 0xBF: d.op = Op.MOVSX; d.sub = 2; d.osz = osz; modrm(d, c, false); return;
            case 0xB8: d.op = d.rep == 1 ? Op.POPCNT : Op.UD; d.osz = osz; modrm(d, c, false); return;
            case 0xBC: d.op = d.rep == 1 ? Op.TZCNT : Op.BSF; d.osz = osz; modrm(d, c, false); return;
            case 0xBD: d.op = d.rep == 1 ? Op.LZCNT : Op.BSR; d.osz = osz; modrm(d, c, false); return;
            case 0xC0: d.op = Op.XADD; d.osz = 1; modrm(d, c, true); return;
            case 0xC1: d.op = Op.XADD; d.osz = osz; modrm(d, c, false); return;
            case 0xC7: {
                modrm(d, c, false);
                d.op = (d.reg & 7) == 1 && d.mem ? Op.CMPXCHG16B : Op.UD;
                d.osz = d.rexW ? 16 : 8;
                return;
            }
            default:
                // SSE/SSE2 (and the 0F 38 / 0F 3A maps).
                SseDecode.decode(this, d, c, b);
        }
    }

    private int regOfByteForm(Insn d, Ctx c) {
        // MOVZX/MOVSX r, r/m8: the destination is a full register even though r/m is a byte.
        return d.reg >= 16 ? d.reg - 16 + 4 : d.reg;
    }

    private void group7(Insn d, Ctx c) {
        int m = modrm(d, c, false);
        int r = d.reg & 7;
        if (d.mem) {
            switch (r) {
                case 0: d.op = Op.SGDT; return;
                case 1: d.op = Op.SIDT; return;
                case 2: d.op = Op.LGDT; return;
                case 3: d.op = Op.LIDT; return;
                case 4: d.op = Op.SMSW; return;
                case 6: d.op = Op.LMSW; return;
                case 7: d.op = Op.INVLPG; return;
                default: d.op = Op.UD; return;
            }
        }
        switch (m) {
            case 0xF8: d.op = Op.SWAPGS; return;
            case 0xF9: d.op = Op.RDTSCP; return;
            case 0xCA: d.op = Op.CLAC; return;
            case 0xCB: d.op = Op.STAC; return;
            default:
                d.op = r == 4 ? Op.SMSW : r == 6 ? Op.LMSW : Op.UD;
        }
    }
}

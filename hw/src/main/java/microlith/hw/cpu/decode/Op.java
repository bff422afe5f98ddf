package microlith.hw.cpu.decode;

import microlith.hw.cpu.x87.X87;

/** Handler ids: one per instruction form the executor dispatches on. */
public final class Op {
    public static final int UD = 0;
    // Integer ALU; Insn.sub holds the kind (0 ADD,1 OR,2 ADC,3 SBB,4 AND,5 SUB,6 XOR,7 CMP).
    public static final int ALU_RM_R = 1;
    public static final int ALU_R_RM = 2;
    public static final int ALU_RM_I = 3;
    public static final int TEST_RM_R = 4;
    public static final int TEST_RM_I = 5;
    public static final int MOV_RM_R = 6;
    public static final int MOV_R_RM = 7;
    public static final int MOV_RM_I = 8;
    public static final int MOV_R_I = 9;
    public static final int LEA = 10;
    public static final int MOVZX = 11;
    public static final int MOVSX = 12;
    public static final int MOVSXD = 13;
    public static final int XCHG = 14;
    public static final int PUSH_R = 15;
    public static final int POP_R = 16;
    public static final int PUSH_I = 17;
    public static final int PUSH_RM = 18;
    public static final int POP_RM = 19;
    public static final int INC = 20;
    public static final int DEC = 21;
    public static final int NOT = 22;
    public static final int NEG = 23;
    public static final int MUL = 24;
    public static final int IMUL1 = 25;
    public static final int DIV = 26;
    public static final int IDIV = 27;
    public static final int IMUL_R_RM = 28;
    public static final int IMUL_R_RM_I = 29;
    public static final int SHIFT_1 = 30;
    public static final int SHIFT_CL = 31;
    public static final int SHIFT_I = 32;
    public static final int SHLD_I = 33;
    public static final int SHLD_CL = 34;
    public static final int SHRD_I = 35;
    public static final int SHRD_CL = 36;
    public static final int JCC = 37;
    public static final int JMP = 38;
    public static final int JMP_RM = 39;
    public static final int CALL = 40;
    public static final int CALL_RM = 41;
    public static final int RET = 42;
    public static final int RET_I = 43;
    public static final int LEAVE = 44;
    public static final int ENTER = 45;
    public static final int SETCC = 46;
    public static final int CMOVCC = 47;
    public static final int CBW = 48;
    public static final int CWD = 49;
    public static final int NOP = 50;
    public static final int PUSHF = 51;
    public static final int POPF = 52;
    public static final int SAHF = 53;
    public static final int LAHF = 54;
    public static final int CLC = 55;
    public static final int STC = 56;
    public static final int CMC = 57;
    public static final int CLD = 58;
    public static final int STD = 59;
    public static final int MOVS = 60;
    public static final int STOS = 61;
    public static final int LODS = 62;
    public static final int CMPS = 63;
    public static final int SCAS = 64;
    public static final int LOOP = 65;
    public static final int JRCXZ = 66;
    public static final int BT_R = 67;
    public static final int BT_I = 68;
    public static final int BSF = 69;
    public static final int BSR = 70;
    public static final int TZCNT = 71;
    public static final int LZCNT = 72;
    public static final int POPCNT = 73;
    public static final int BSWAP = 74;
    public static final int CMPXCHG = 75;
    public static final int XADD = 76;
    public static final int CMPXCHG16B = 77;
    public static final int MOV_MOFFS_LOAD = 78;
    public static final int MOV_MOFFS_STORE = 79;
    public static final int XCHG_AX = 80;
    public static final int CPUID = 81;
    public static final int RDTSC = 82;
    public static final int INT3 = 83;
    public static final int INT = 84;
    public static final int UD2 = 85;
    public static final int SYSCALL = 86;
    public static final int PAUSE = 87;
    // Privileged and system instructions.
    public static final int HLT = 100;
    public static final int CLI = 101;
    public static final int STI = 102;
    public static final int IN_I = 103;
    public static final int IN_DX = 104;
    public static final int OUT_I = 105;
    public static final int OUT_DX = 106;
    public static final int INS = 107;
    public static final int OUTS = 108;
    public static final int MOV_FROM_CR = 109;
    public static final int MOV_TO_CR = 110;
    public static final int RDMSR = 111;
    public static final int WRMSR = 112;
    public static final int LGDT = 113;
    public static final int LIDT = 114;
    public static final int SGDT = 115;
    public static final int SIDT = 116;
    public static final int LTR = 117;
    public static final int STR = 118;
    public static final int INVLPG = 119;
    public static final int SWAPGS = 120;
    public static final int SYSRET = 121;
    public static final int IRET = 122;
    public static final int KCALL = 123;
    public static final int CLTS = 124;
    public static final int MOV_FROM_SREG = 125;
    public static final int MOV_TO_SREG = 126;
    public static final int WBINVD = 127;
    public static final int LLDT = 128;
    public static final int SLDT = 129;
    public static final int SMSW = 130;
    public static final int LMSW = 131;
    public static final int RDTSCP = 132;
    /** STAC (0F 01 CB) and CLAC (0F 01 CA): RFLAGS.AC for SMAP. */
    public static final int STAC = 133, CLAC = 134;
    /** LFENCE/MFENCE/SFENCE: no effect on this in-order machine. */
    public static final int FENCE = 214;
    /** INVPCID r64, m128 (66 0F 38 82 /r). */
    public static final int INVPCID = 215;

    /** x87: X87.execute decodes further from the Insn fields X87Decode filled in. */
    public static final int X87 = 240;
    /** SSE/SSE2: Sse.execute dispatches on Insn.sub (see SseDecode). */
    public static final int SSE = 241;

    // Specialized forms (see Specialize): destination register in reg, source in rm.
    public static final int F_MOV_RR64 = 150, F_MOV_RR32 = 151, F_MOV_RI64 = 152, F_MOV_RI32 = 153;
    public static final int F_ADD_RR64 = 154, F_ADD_RR32 = 155, F_SUB_RR64 = 156, F_SUB_RR32 = 157;
    public static final int F_CMP_RR64 = 158, F_CMP_RR32 = 159, F_XOR_RR64 = 160, F_XOR_RR32 = 161;
    public static final int F_AND_RR64 = 162, F_AND_RR32 = 163, F_OR_RR64 = 164, F_OR_RR32 = 165;
    public static final int F_TEST_RR64 = 166, F_TEST_RR32 = 167;
    public static final int F_ADD_RI64 = 168, F_ADD_RI32 = 169, F_SUB_RI64 = 170, F_SUB_RI32 = 171;
    public static final int F_CMP_RI64 = 172, F_CMP_RI32 = 173, F_AND_RI64 = 174, F_AND_RI32 = 175;
    public static final int F_LOAD64 = 176, F_LOAD32 = 177, F_STORE64 = 178, F_STORE32 = 179;
    /** ALU register forms of the other kinds, with dst in reg and src in rm (or imm). */
    public static final int ALU_RR_ANY = 180, ALU_RI_ANY = 181;
    /** Shifts of a register by an immediate (count pre-masked and non-zero, in imm). */
    public static final int F_SHL_RI = 182, F_SHR_RI = 183, F_SAR_RI = 184;
    /** Two-operand IMUL of registers (reg = reg * rm) and three-operand with imm (reg = rm * imm). */
    public static final int F_IMUL_RR64 = 185, F_IMUL_RRI64 = 186;
    /** Rotates of a register by an immediate (count pre-masked and non-zero, in imm). */
    public static final int F_ROL_RI = 187, F_ROR_RI = 188;
    /** 32-bit IMUL of registers: reg = reg * rm, and reg = rm * imm. */
    public static final int F_IMUL_RR32 = 189, F_IMUL_RRI32 = 190;
    /** A flag-setting instruction fused with the Jcc after it (see Fuse); first half's fields. */
    public static final int FJ_TEST_RR64 = 191, FJ_TEST_RR32 = 192, FJ_CMP_RR64 = 193, FJ_CMP_RR32 = 194;
    public static final int FJ_CMP_RI64 = 195, FJ_CMP_RI32 = 196, FJ_SUB_RI64 = 197, FJ_SUB_RI32 = 198;
    public static final int FJ_ALU_RM_R = 199, FJ_ALU_RM_I = 200, FJ_ALU_R_RM = 201;
    public static final int FJ_TEST_RM_R = 202, FJ_TEST_RM_I = 203;
    /**
     * Loads with extension from a plain [base+index*scale+disp] operand (see Specialize);
     * the sign-extending ones and LEA keep the destination-size mask in imm.
     */
    public static final int F_MOVZX8_M = 204, F_MOVZX16_M = 205, F_MOVSX8_M = 206, F_MOVSX16_M = 207;
    public static final int F_MOVSXD_M = 208, F_LEA = 209;
    /** CMP [plain mem], reg at 16/32/64 bits (size mask in imm), alone and fused with a Jcc. */
    public static final int F_CMP_MR = 210, FJ_CMP_MR = 211;
    /** PUSH/POP of a 64-bit register. */
    public static final int F_PUSH64 = 212, F_POP64 = 213;

    public static final int COUNT = 256;

    private Op() {
    }
}

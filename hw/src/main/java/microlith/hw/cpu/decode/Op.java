package microlith.hw.cpu;

/** Handler ids: one per instruction form the executor dispatches on. */
final class Op {
    static final int UD = 0;
    // Integer ALU; Insn.sub holds the kind (0 ADD,1 OR,2 ADC,3 SBB,4 AND,5 SUB,6 XOR,7 CMP).
    static final int ALU_RM_R = 1;
    static final int ALU_R_RM = 2;
    static final int ALU_RM_I = 3;
    static final int TEST_RM_R = 4;
    static final int TEST_RM_I = 5;
    static final int MOV_RM_R = 6;
    static final int MOV_R_RM = 7;
    static final int MOV_RM_I = 8;
    static final int MOV_R_I = 9;
    static final int LEA = 10;
    static final int MOVZX = 11;
    static final int MOVSX = 12;
    static final int MOVSXD = 13;
    static final int XCHG = 14;
    static final int PUSH_R = 15;
    static final int POP_R = 16;
    static final int PUSH_I = 17;
    static final int PUSH_RM = 18;
    static final int POP_RM = 19;
    static final int INC = 20;
    static final int DEC = 21;
    static final int NOT = 22;
    static final int NEG = 23;
    static final int MUL = 24;
    static final int IMUL1 = 25;
    static final int DIV = 26;
    static final int IDIV = 27;
    static final int IMUL_R_RM = 28;
    static final int IMUL_R_RM_I = 29;
    static final int SHIFT_1 = 30;
    static final int SHIFT_CL = 31;
    static final int SHIFT_I = 32;
    static final int SHLD_I = 33;
    static final int SHLD_CL = 34;
    static final int SHRD_I = 35;
    static final int SHRD_CL = 36;
    static final int JCC = 37;
    static final int JMP = 38;
    static final int JMP_RM = 39;
    static final int CALL = 40;
    static final int CALL_RM = 41;
    static final int RET = 42;
    static final int RET_I = 43;
    static final int LEAVE = 44;
    static final int ENTER = 45;
    static final int SETCC = 46;
    static final int CMOVCC = 47;
    static final int CBW = 48;
    static final int CWD = 49;
    static final int NOP = 50;
    static final int PUSHF = 51;
    static final int POPF = 52;
    static final int SAHF = 53;
    static final int LAHF = 54;
    static final int CLC = 55;
    static final int STC = 56;
    static final int CMC = 57;
    static final int CLD = 58;
    static final int STD = 59;
    static final int MOVS = 60;
    static final int STOS = 61;
    static final int LODS = 62;
    static final int CMPS = 63;
    static final int SCAS = 64;
    static final int LOOP = 65;
    static final int JRCXZ = 66;
    static final int BT_R = 67;
    static final int BT_I = 68;
    static final int BSF = 69;
    static final int BSR = 70;
    static final int TZCNT = 71;
    static final int LZCNT = 72;
    static final int POPCNT = 73;
    static final int BSWAP = 74;
    static final int CMPXCHG = 75;
    static final int XADD = 76;
    static final int CMPXCHG16B = 77;
    static final int MOV_MOFFS_LOAD = 78;
    static final int MOV_MOFFS_STORE = 79;
    static final int XCHG_AX = 80;
    static final int CPUID = 81;
    static final int RDTSC = 82;
    static final int INT3 = 83;
    static final int INT = 84;
    static final int UD2 = 85;
    static final int SYSCALL = 86;
    static final int PAUSE = 87;
    // Privileged and system instructions.
    static final int HLT = 100;
    static final int CLI = 101;
    static final int STI = 102;
    static final int IN_I = 103;
    static final int IN_DX = 104;
    static final int OUT_I = 105;
    static final int OUT_DX = 106;
    static final int INS = 107;
    static final int OUTS = 108;
    static final int MOV_FROM_CR = 109;
    static final int MOV_TO_CR = 110;
    static final int RDMSR = 111;
    static final int WRMSR = 112;
    static final int LGDT = 113;
    static final int LIDT = 114;
    static final int SGDT = 115;
    static final int SIDT = 116;
    static final int LTR = 117;
    static final int STR = 118;
    static final int INVLPG = 119;
    static final int SWAPGS = 120;
    static final int SYSRET = 121;
    static final int IRET = 122;
    static final int KCALL = 123;
    static final int CLTS = 124;
    static final int MOV_FROM_SREG = 125;
    static final int MOV_TO_SREG = 126;
    static final int WBINVD = 127;
    static final int LLDT = 128;
    static final int SLDT = 129;
    static final int SMSW = 130;
    static final int LMSW = 131;
    static final int RDTSCP = 132;
    /** LFENCE/MFENCE/SFENCE: no effect on this in-order machine. */
    static final int FENCE = 214;

    /** x87: X87.execute decodes further from the Insn fields X87Decode filled in. */
    static final int X87 = 240;
    /** SSE/SSE2: Sse.execute dispatches on Insn.sub (see SseDecode). */
    static final int SSE = 241;

    // Specialized forms (see Specialize): destination register in reg, source in rm.
    static final int F_MOV_RR64 = 150, F_MOV_RR32 = 151, F_MOV_RI64 = 152, F_MOV_RI32 = 153;
    static final int F_ADD_RR64 = 154, F_ADD_RR32 = 155, F_SUB_RR64 = 156, F_SUB_RR32 = 157;
    static final int F_CMP_RR64 = 158, F_CMP_RR32 = 159, F_XOR_RR64 = 160, F_XOR_RR32 = 161;
    static final int F_AND_RR64 = 162, F_AND_RR32 = 163, F_OR_RR64 = 164, F_OR_RR32 = 165;
    static final int F_TEST_RR64 = 166, F_TEST_RR32 = 167;
    static final int F_ADD_RI64 = 168, F_ADD_RI32 = 169, F_SUB_RI64 = 170, F_SUB_RI32 = 171;
    static final int F_CMP_RI64 = 172, F_CMP_RI32 = 173, F_AND_RI64 = 174, F_AND_RI32 = 175;
    static final int F_LOAD64 = 176, F_LOAD32 = 177, F_STORE64 = 178, F_STORE32 = 179;
    /** ALU register forms of the other kinds, with dst in reg and src in rm (or imm). */
    static final int ALU_RR_ANY = 180, ALU_RI_ANY = 181;
    /** Shifts of a register by an immediate (count pre-masked and non-zero, in imm). */
    static final int F_SHL_RI = 182, F_SHR_RI = 183, F_SAR_RI = 184;
    /** Two-operand IMUL of registers (reg = reg * rm) and three-operand with imm (reg = rm * imm). */
    static final int F_IMUL_RR64 = 185, F_IMUL_RRI64 = 186;
    /** Rotates of a register by an immediate (count pre-masked and non-zero, in imm). */
    static final int F_ROL_RI = 187, F_ROR_RI = 188;
    /** 32-bit IMUL of registers: reg = reg * rm, and reg = rm * imm. */
    static final int F_IMUL_RR32 = 189, F_IMUL_RRI32 = 190;
    /** A flag-setting instruction fused with the Jcc after it (see Fuse); first half's fields. */
    static final int FJ_TEST_RR64 = 191, FJ_TEST_RR32 = 192, FJ_CMP_RR64 = 193, FJ_CMP_RR32 = 194;
    static final int FJ_CMP_RI64 = 195, FJ_CMP_RI32 = 196, FJ_SUB_RI64 = 197, FJ_SUB_RI32 = 198;
    static final int FJ_ALU_RM_R = 199, FJ_ALU_RM_I = 200, FJ_ALU_R_RM = 201;
    static final int FJ_TEST_RM_R = 202, FJ_TEST_RM_I = 203;
    /**
     * Loads with extension from a plain [base+index*scale+disp] operand (see Specialize);
     * the sign-extending ones and LEA keep the destination-size mask in imm.
     */
    static final int F_MOVZX8_M = 204, F_MOVZX16_M = 205, F_MOVSX8_M = 206, F_MOVSX16_M = 207;
    static final int F_MOVSXD_M = 208, F_LEA = 209;
    /** CMP [plain mem], reg at 16/32/64 bits (size mask in imm), alone and fused with a Jcc. */
    static final int F_CMP_MR = 210, FJ_CMP_MR = 211;
    /** PUSH/POP of a 64-bit register. */
    static final int F_PUSH64 = 212, F_POP64 = 213;

    static final int COUNT = 256;

    private Op() {
    }
}

/*
 * gen_x87.c: records x87 FPU test vectors from the host x86-64 CPU.
 *
 * Regenerate (x86-64 Linux host, gcc; the output is committed data):
 *
 *     make -C hw/src/test/c x87vectors
 *
 * Operands come from a table of edge cases (zeros, denormals, pseudo-denormals,
 * unnormals, infinities, NaNs, extreme normals, rounding ties at 24/53/64 bits, integer
 * boundaries) mixed with values from a fixed-seed xorshift generator, so a regeneration
 * on the same kind of host reproduces the files exactly. Each vector runs under one of the
 * twelve rounding-control x precision-control combinations (a few with unmasked
 * exceptions, which set ES without trapping because nothing waits before FNSAVE).
 *
 * How a vector is made: FNINIT, FLDCW, then FLDT of the stack inputs (last first, so the
 * first listed ends in ST(0)), RFLAGS from the vector, then a CALL into an mmap'd buffer
 * holding the instruction bytes and a RET. A memory operand is always [RSI], which
 * points at a 16-byte buffer initialised from the vector. Afterwards PUSHFQ and FNSAVE
 * capture the result.
 *
 * Line format (numbers hex; 80-bit values as sign+exponent ':' significand):
 *
 *   <name> <bytes> cw=.. [fl=..] st=<v>,<v>.. [mem=<32 hex digits, byte 0 first>]
 *       -> sw=.. tw=.. [fl=..] [ax=..] st=<i>=<v>,.. [mem=..]
 *
 * (on one line). On the left st lists the inputs ST(0), ST(1)...; on the right the
 * registers that are not empty, each with its ST index. fl is RFLAGS masked to CF PF AF ZF
 * SF OF and ax the low 16 bits of RAX (FNSTSW AX); both are left out when zero. mem
 * appears only for instructions with a memory operand.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    uint64_t sig;
    uint16_t se;
} __attribute__((packed)) F80;

typedef struct {
    uint16_t cw, pad0, sw, pad1, tw, pad2;
    uint32_t fip, fcs, fdp, fds;
    F80 st[8];
} __attribute__((packed)) SaveArea;

static uint8_t *code;
static FILE *out;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static F80 f80(uint16_t se, uint64_t sig) {
    F80 v = {sig, se};
    return v;
}

/* ------------------------------------------------------------------ operand pools */

static F80 special80[64];
static int nspecial80;

static void add80(uint16_t se, uint64_t sig) {
    special80[nspecial80++] = f80(se, sig);
    special80[nspecial80++] = f80(se ^ 0x8000, sig);
}

static void init_specials(void) {
    add80(0x0000, 0);                       /* zero */
    add80(0x3FFF, 0x8000000000000000ull);   /* 1 */
    add80(0x7FFF, 0x8000000000000000ull);   /* infinity */
    add80(0x7FFF, 0xC000000000000000ull);   /* QNaN (indefinite when negative) */
    add80(0x7FFF, 0xC000000000001234ull);   /* QNaN with payload */
    add80(0x7FFF, 0x8000000000000001ull);   /* SNaN */
    add80(0x7FFF, 0xA5A5A5A5A5A5A5A5ull);   /* SNaN, large payload */
    add80(0x0000, 0x0000000000000001ull);   /* smallest denormal */
    add80(0x0000, 0x7FFFFFFFFFFFFFFFull);   /* largest denormal */
    add80(0x0000, 0x8000000000000000ull);   /* pseudo-denormal */
    add80(0x0001, 0x8000000000000000ull);   /* smallest normal */
    add80(0x7FFE, 0xFFFFFFFFFFFFFFFFull);   /* largest normal */
    add80(0x4000, 0x4000000000000000ull);   /* unnormal (unsupported) */
    add80(0x3FFF, 0x8000000000000800ull);   /* 1 + tie at 53 bits */
    add80(0x3FFF, 0x8000008000000000ull);   /* 1 + tie at 24 bits */
    add80(0x3FFF, 0xFFFFFFFFFFFFFFFFull);   /* just below 2 */
    add80(0x3C01, 0x8000000000000000ull);   /* smallest double normal */
    add80(0x43FE, 0xFFFFFFFFFFFFF800ull);   /* largest double */
    add80(0x3F81, 0x8000000000000000ull);   /* smallest float normal */
    add80(0x3BCD, 0x8000000000000000ull);   /* smallest double denormal */
    add80(0x401D, 0xFFFFFFFF00000000ull);   /* 2^31 - 1 */
    add80(0x403D, 0xFFFFFFFFFFFFFFFFull);   /* 2^63 - 1/2... as extended */
    add80(0x403E, 0x8000000000000000ull);   /* 2^63 */
    add80(0x400D, 0xFFFF000000000000ull);   /* 65535.0 */
    add80(0x3FFE, 0x8000000000000000ull);   /* 0.5 */
    add80(0x4000, 0xC000000000000000ull);   /* 3 */
}

/* A random finite value: exponent near 1.0 (most), anywhere, or tiny/huge. */
static F80 rand80(void) {
    uint64_t r = rnd();
    uint64_t sig = rnd() | 0x8000000000000000ull;
    int e;
    switch (r & 7) {
        case 0: e = (int)(rnd() % 0x7FFE) + 1; break;
        case 1: e = (int)(rnd() % 64) + 1; sig = (r & 8) ? sig : sig >> (rnd() % 64); if (sig >> 63 == 0) e = 0; break;
        case 2: e = 0x3FFF + 62 - (int)(rnd() % 8); break;
        case 3: sig &= ~0ull << (rnd() % 48); e = 0x3FFF + (int)(rnd() % 40) - 20; break;
        default: e = 0x3FFF + (int)(rnd() % 128) - 64; break;
    }
    return f80((uint16_t)(e | ((r >> 4 & 1) << 15)), sig);
}

static F80 pick80(void) {
    if (rnd() % 3 == 0) {
        return special80[rnd() % nspecial80];
    }
    return rand80();
}

/* A second operand related to the first: equal exponent, neighbour, or independent. */
static F80 near80(F80 a) {
    F80 b = pick80();
    switch (rnd() % 5) {
        case 0: b.se = (uint16_t)((b.se & 0x8000) | (a.se & 0x7FFF)); break;
        case 1: b = a; b.sig ^= rnd() & 0xFFF; b.se ^= (uint16_t)(rnd() & 0x8000); break;
        case 2: b.se = (uint16_t)((b.se & 0x8000) | (((a.se & 0x7FFF) + (int)(rnd() % 140) - 70) & 0x7FFF)); break;
        default: break;
    }
    return b;
}

static uint32_t rand_f32(void) {
    static const uint32_t sp[] = {0, 0x3F800000, 0x7F800000, 0x7FC00000, 0x7F800001, 0x00000001,
                                  0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0x3EAAAAAB, 0x7FA00000};
    uint32_t v = rnd() % 3 == 0 ? sp[rnd() % (sizeof sp / sizeof sp[0])]
                                : (uint32_t)((rnd() % 254 + 1) << 23 | (rnd() & 0x7FFFFF));
    if (rnd() % 4 == 0) v = (uint32_t)((0x3F800000 + (int)(rnd() % 0x4000000) - 0x2000000) | (rnd() & 0xFF));
    return v ^ (uint32_t)(rnd() & 1) << 31;
}

static uint64_t rand_f64(void) {
    static const uint64_t sp[] = {0, 0x3FF0000000000000ull, 0x7FF0000000000000ull, 0x7FF8000000000000ull,
                                  0x7FF0000000000001ull, 1, 0x000FFFFFFFFFFFFFull, 0x0010000000000000ull,
                                  0x7FEFFFFFFFFFFFFFull, 0x3FB999999999999Aull};
    uint64_t v = rnd() % 3 == 0 ? sp[rnd() % (sizeof sp / sizeof sp[0])]
                                : (rnd() % 2046 + 1) << 52 | (rnd() & 0xFFFFFFFFFFFFFull);
    if (rnd() % 4 == 0) v = (0x3FF0000000000000ull + (rnd() % (64ull << 52)) - (32ull << 52));
    return v ^ (rnd() & 1) << 63;
}

static uint64_t rand_int(int bits) {
    static const int64_t sp[] = {0, 1, -1, 32767, -32768, 2147483647, -2147483647 - 1,
                                 INT64_MAX, INT64_MIN, 1000000};
    int64_t v = rnd() % 3 == 0 ? sp[rnd() % (sizeof sp / sizeof sp[0])] : (int64_t)rnd() >> (rnd() % 64);
    if (bits < 64) v = (int64_t)((uint64_t)v << (64 - bits)) >> (64 - bits);
    return (uint64_t)v;
}

/* ------------------------------------------------------------------ running one vector */

typedef struct {
    const char *name;
    uint8_t bytes[4];
    int len;
    uint16_t cw;
    uint64_t flags;
    int n;
    F80 in[8];
    uint8_t mem[16];
} Case;

#define FLAGMASK 0x8D5ull

static void run(Case *t) {
    memcpy(code, t->bytes, (size_t)t->len);
    code[t->len] = 0xC3;
    uint8_t mem[16];
    memcpy(mem, t->mem, 16);
    SaveArea sa;
    uint64_t flo, ax = 0;
    uint64_t fl = 0x202 | (t->flags & FLAGMASK);
    __asm__ volatile("fninit\n\tfldcw %0" ::"m"(t->cw));
    for (int k = t->n - 1; k >= 0; k--) {
        __asm__ volatile("fldt %0" ::"m"(t->in[k]));
    }
    __asm__ volatile("push %[fl]\n\tpopfq\n\tcall *%[fn]\n\tpushfq\n\tpop %[flo]"
                     : [flo] "=&r"(flo), "+a"(ax)
                     : [fn] "r"(code), [fl] "r"(fl), "S"(mem)
                     : "memory", "cc");
    __asm__ volatile("fnsave %0" : "=m"(sa));

    int hasMem = t->bytes[1] < 0xC0;
    fprintf(out, "%s ", t->name);
    for (int k = 0; k < t->len; k++) fprintf(out, "%02x", t->bytes[k]);
    fprintf(out, " cw=%04x", t->cw);
    if (t->flags & FLAGMASK) fprintf(out, " fl=%llx", (unsigned long long)(t->flags & FLAGMASK));
    fprintf(out, " st=");
    for (int k = 0; k < t->n; k++) fprintf(out, "%s%04x:%016llx", k ? "," : "", t->in[k].se, (unsigned long long)t->in[k].sig);
    if (hasMem) {
        fprintf(out, " mem=");
        for (int k = 0; k < 16; k++) fprintf(out, "%02x", t->mem[k]);
    }
    fprintf(out, " -> sw=%04x tw=%04x", sa.sw, sa.tw);
    if (flo & FLAGMASK) fprintf(out, " fl=%llx", (unsigned long long)(flo & FLAGMASK));
    if (ax & 0xFFFF) fprintf(out, " ax=%04x", (unsigned)(ax & 0xFFFF));
    fprintf(out, " st=");
    int top = sa.sw >> 11 & 7, first = 1;
    for (int k = 0; k < 8; k++) {
        if ((sa.tw >> (2 * ((top + k) & 7)) & 3) != 3) {
            fprintf(out, "%s%d=%04x:%016llx", first ? "" : ",", k, sa.st[k].se, (unsigned long long)sa.st[k].sig);
            first = 0;
        }
    }
    if (hasMem) {
        fprintf(out, " mem=");
        for (int k = 0; k < 16; k++) fprintf(out, "%02x", mem[k]);
    }
    fprintf(out, "\n");
}

/* Control words: RC x PC with everything masked; now and then some exceptions unmasked. */
static uint16_t rand_cw(int usePc) {
    static const uint16_t pcs[] = {0x000, 0x200, 0x300};
    uint16_t cw = (uint16_t)(0x037F & ~0x300);
    cw |= (uint16_t)((rnd() & 3) << 10);
    cw |= usePc ? pcs[rnd() % 3] : 0x300;
    if (rnd() % 16 == 0) cw &= (uint16_t)~(rnd() & 0x3F);
    return cw;
}

static Case base(const char *name, uint8_t b0, uint8_t b1) {
    Case t;
    memset(&t, 0, sizeof t);
    t.name = name;
    t.bytes[0] = b0;
    t.bytes[1] = b1;
    t.len = 2;
    t.cw = 0x037F;
    return t;
}

static void set_mem(Case *t, uint64_t lo, uint64_t hi) {
    memcpy(t->mem, &lo, 8);
    memcpy(t->mem + 8, &hi, 8);
}

/* ------------------------------------------------------------------ instruction tables */

typedef struct {
    const char *name;
    uint8_t b0, b1;
} Insn;

/* Two register operands: ST(0) and ST(1). */
static const Insn ARITH_REG[] = {
    {"fadd_st0_st1", 0xD8, 0xC1}, {"fmul_st0_st1", 0xD8, 0xC9}, {"fsub_st0_st1", 0xD8, 0xE1},
    {"fsubr_st0_st1", 0xD8, 0xE9}, {"fdiv_st0_st1", 0xD8, 0xF1}, {"fdivr_st0_st1", 0xD8, 0xF9},
    {"fadd_st1_st0", 0xDC, 0xC1}, {"fmul_st1_st0", 0xDC, 0xC9}, {"fsubr_st1_st0", 0xDC, 0xE1},
    {"fsub_st1_st0", 0xDC, 0xE9}, {"fdivr_st1_st0", 0xDC, 0xF1}, {"fdiv_st1_st0", 0xDC, 0xF9},
    {"faddp", 0xDE, 0xC1}, {"fmulp", 0xDE, 0xC9}, {"fsubrp", 0xDE, 0xE1}, {"fsubp", 0xDE, 0xE9},
    {"fdivrp", 0xDE, 0xF1}, {"fdivp", 0xDE, 0xF9},
};

/* ST(0) op [rsi]: ModRM reg field 0-7 (/2 /3 are FCOM/FCOMP). */
static const char *MEM_OPS[8] = {"add", "mul", "com", "comp", "sub", "subr", "div", "divr"};

static const Insn CMP_REG[] = {
    {"fcom_st1", 0xD8, 0xD1}, {"fcomp_st1", 0xD8, 0xD9}, {"fcompp", 0xDE, 0xD9},
    {"fucom_st1", 0xDD, 0xE1}, {"fucomp_st1", 0xDD, 0xE9}, {"fucompp", 0xDA, 0xE9},
    {"fcomi_st1", 0xDB, 0xF1}, {"fucomi_st1", 0xDB, 0xE9}, {"fcomip_st1", 0xDF, 0xF1},
    {"fucomip_st1", 0xDF, 0xE9},
};

static const Insn UNARY[] = {
    {"fchs", 0xD9, 0xE0}, {"fabs", 0xD9, 0xE1}, {"ftst", 0xD9, 0xE4}, {"fxam", 0xD9, 0xE5},
    {"fsqrt", 0xD9, 0xFA}, {"frndint", 0xD9, 0xFC}, {"fxtract", 0xD9, 0xF4},
};

static const Insn BINARY_MISC[] = {
    {"fscale", 0xD9, 0xFD}, {"fprem", 0xD9, 0xF8}, {"fprem1", 0xD9, 0xF5},
};

static const Insn STACK[] = {
    {"fld_st1", 0xD9, 0xC1}, {"fxch_st1", 0xD9, 0xC9}, {"fst_st1", 0xDD, 0xD1},
    {"fstp_st1", 0xDD, 0xD9}, {"fstp_st0", 0xDD, 0xD8}, {"ffree_st1", 0xDD, 0xC1},
    {"fdecstp", 0xD9, 0xF6}, {"fincstp", 0xD9, 0xF7}, {"fnop", 0xD9, 0xD0},
    {"fld1", 0xD9, 0xE8}, {"fldl2t", 0xD9, 0xE9}, {"fldl2e", 0xD9, 0xEA}, {"fldpi", 0xD9, 0xEB},
    {"fldlg2", 0xD9, 0xEC}, {"fldln2", 0xD9, 0xED}, {"fldz", 0xD9, 0xEE},
    {"fcmovb", 0xDA, 0xC1}, {"fcmove", 0xDA, 0xC9}, {"fcmovbe", 0xDA, 0xD1}, {"fcmovu", 0xDA, 0xD9},
    {"fcmovnb", 0xDB, 0xC1}, {"fcmovne", 0xDB, 0xC9}, {"fcmovnbe", 0xDB, 0xD1}, {"fcmovnu", 0xDB, 0xD9},
    {"fnclex", 0xDB, 0xE2}, {"fninit", 0xDB, 0xE3}, {"fnstsw_ax", 0xDF, 0xE0}, {"ffreep_st1", 0xDF, 0xC1},
    {"fstp1_st1", 0xD9, 0xD9}, {"fxch4_st1", 0xDD, 0xC9},
};

/* Stores from ST(0) to [rsi]. */
static const Insn STORES[] = {
    {"fst_m32", 0xD9, 0x16}, {"fstp_m32", 0xD9, 0x1E}, {"fst_m64", 0xDD, 0x16}, {"fstp_m64", 0xDD, 0x1E},
    {"fstp_m80", 0xDB, 0x3E}, {"fist_m16", 0xDF, 0x16}, {"fistp_m16", 0xDF, 0x1E}, {"fist_m32", 0xDB, 0x16},
    {"fistp_m32", 0xDB, 0x1E}, {"fistp_m64", 0xDF, 0x3E}, {"fisttp_m16", 0xDF, 0x0E},
    {"fisttp_m32", 0xDB, 0x0E}, {"fisttp_m64", 0xDD, 0x0E}, {"fbstp", 0xDF, 0x36},
    {"fnstcw", 0xD9, 0x3E}, {"fnstsw_m16", 0xDD, 0x3E},
};

/* A stack of 0-3 inputs, sometimes full (8) to provoke overflow, sometimes empty. */
static void stack_inputs(Case *t, int want) {
    int r = (int)(rnd() % 32);
    t->n = r == 0 ? 0 : r == 1 ? (want > 0 ? want - 1 : 0) : r == 2 ? 8 : want;
    for (int k = 0; k < t->n; k++) t->in[k] = pick80();
    if (t->n >= 2 && rnd() % 2) t->in[1] = near80(t->in[0]);
}

static void gen_arith(int count) {
    out = fopen("x87_arith.txt", "w");
    for (size_t i = 0; i < sizeof ARITH_REG / sizeof ARITH_REG[0]; i++) {
        for (int k = 0; k < count; k++) {
            Case t = base(ARITH_REG[i].name, ARITH_REG[i].b0, ARITH_REG[i].b1);
            t.cw = rand_cw(1);
            stack_inputs(&t, 2);
            run(&t);
        }
    }
    static const struct { uint8_t op; const char *kind; } mems[] = {
        {0xD8, "m32"}, {0xDC, "m64"}, {0xDA, "m32int"}, {0xDE, "m16int"}};
    static char names[4][8][24];
    for (int m = 0; m < 4; m++) {
        for (int r = 0; r < 8; r++) {
            if (r == 2 || r == 3) continue;
            snprintf(names[m][r], sizeof names[m][r], "f%s%s_%s", m >= 2 ? "i" : "", MEM_OPS[r], mems[m].kind);
            for (int k = 0; k < count / 2; k++) {
                Case t = base(names[m][r], mems[m].op, (uint8_t)(r << 3 | 6));
                t.cw = rand_cw(1);
                stack_inputs(&t, 1);
                uint64_t v = m == 0 ? rand_f32() : m == 1 ? rand_f64() : rand_int(m == 2 ? 32 : 16);
                set_mem(&t, v, 0);
                run(&t);
            }
        }
    }
    fclose(out);
}

static void gen_compare(int count) {
    out = fopen("x87_compare.txt", "w");
    for (size_t i = 0; i < sizeof CMP_REG / sizeof CMP_REG[0]; i++) {
        for (int k = 0; k < count; k++) {
            Case t = base(CMP_REG[i].name, CMP_REG[i].b0, CMP_REG[i].b1);
            t.cw = rand_cw(0);
            t.flags = rnd() & FLAGMASK;
            stack_inputs(&t, 2);
            if (t.n >= 2 && rnd() % 4 == 0) t.in[1] = t.in[0];
            run(&t);
        }
    }
    static const struct { uint8_t op; uint8_t modrm; const char *name; int kind; } mems[] = {
        {0xD8, 0x16, "fcom_m32", 0}, {0xD8, 0x1E, "fcomp_m32", 0}, {0xDC, 0x16, "fcom_m64", 1},
        {0xDC, 0x1E, "fcomp_m64", 1}, {0xDA, 0x16, "ficom_m32", 2}, {0xDE, 0x1E, "ficomp_m16", 3}};
    for (size_t i = 0; i < sizeof mems / sizeof mems[0]; i++) {
        for (int k = 0; k < count / 2; k++) {
            Case t = base(mems[i].name, mems[i].op, mems[i].modrm);
            t.cw = rand_cw(0);
            stack_inputs(&t, 1);
            int kind = mems[i].kind;
            uint64_t v = kind == 0 ? rand_f32() : kind == 1 ? rand_f64() : rand_int(kind == 2 ? 32 : 16);
            set_mem(&t, v, 0);
            run(&t);
        }
    }
    fclose(out);
}

static void gen_unary(int count) {
    out = fopen("x87_unary.txt", "w");
    for (size_t i = 0; i < sizeof UNARY / sizeof UNARY[0]; i++) {
        for (int k = 0; k < count; k++) {
            Case t = base(UNARY[i].name, UNARY[i].b0, UNARY[i].b1);
            t.cw = rand_cw(1);
            stack_inputs(&t, 1);
            run(&t);
        }
    }
    for (size_t i = 0; i < sizeof BINARY_MISC / sizeof BINARY_MISC[0]; i++) {
        for (int k = 0; k < count; k++) {
            Case t = base(BINARY_MISC[i].name, BINARY_MISC[i].b0, BINARY_MISC[i].b1);
            t.cw = rand_cw(1);
            stack_inputs(&t, 2);
            if (i == 0 && t.n >= 2 && rnd() % 2) {
                /* FSCALE: a moderate integer-ish scale factor */
                int64_t sc = (int64_t)(rnd() % 40000) - 20000;
                if (rnd() % 2) sc %= 70;
                uint64_t mag = (uint64_t)(sc < 0 ? -sc : sc);
                if (mag == 0) {
                    t.in[1] = f80(0, 0);
                } else {
                    int lz = __builtin_clzll(mag);
                    t.in[1] = f80((uint16_t)((0x3FFF + 63 - lz) | (sc < 0 ? 0x8000 : 0)), mag << lz);
                }
            }
            run(&t);
        }
    }
    fclose(out);
}

static void gen_stack(int count) {
    out = fopen("x87_stack.txt", "w");
    for (size_t i = 0; i < sizeof STACK / sizeof STACK[0]; i++) {
        for (int k = 0; k < count; k++) {
            Case t = base(STACK[i].name, STACK[i].b0, STACK[i].b1);
            t.cw = rand_cw(0);
            t.flags = rnd() & FLAGMASK;
            stack_inputs(&t, 2);
            run(&t);
        }
    }
    fclose(out);
}

static void gen_load(int count) {
    out = fopen("x87_load.txt", "w");
    static const struct { uint8_t op, modrm; const char *name; int kind; } loads[] = {
        {0xD9, 0x06, "fld_m32", 0}, {0xDD, 0x06, "fld_m64", 1}, {0xDB, 0x2E, "fld_m80", 2},
        {0xDF, 0x06, "fild_m16", 3}, {0xDB, 0x06, "fild_m32", 4}, {0xDF, 0x2E, "fild_m64", 5},
        {0xDF, 0x26, "fbld", 6}, {0xD9, 0x2E, "fldcw", 7}};
    for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
        for (int k = 0; k < count; k++) {
            Case t = base(loads[i].name, loads[i].op, loads[i].modrm);
            t.cw = rand_cw(1);
            stack_inputs(&t, 1);
            if (t.n == 8 && rnd() % 2) t.n = 7;
            F80 v;
            uint64_t bcd = 0;
            switch (loads[i].kind) {
                case 0: set_mem(&t, rand_f32(), 0); break;
                case 1: set_mem(&t, rand_f64(), 0); break;
                case 2: v = pick80(); set_mem(&t, v.sig, v.se); break;
                case 3: set_mem(&t, rand_int(16), 0); break;
                case 4: set_mem(&t, rand_int(32), 0); break;
                case 5: set_mem(&t, rand_int(64), 0); break;
                case 6:
                    for (int d = 0; d < 16; d++) bcd |= (rnd() % 10) << (4 * d);
                    set_mem(&t, bcd, (rnd() % 100 / 10 << 4 | rnd() % 10) | (rnd() & 1) << 15);
                    break;
                default: set_mem(&t, rnd() & 0xFFFF, 0); break;
            }
            run(&t);
        }
    }
    fclose(out);
}

static void gen_store(int count) {
    out = fopen("x87_store.txt", "w");
    for (size_t i = 0; i < sizeof STORES / sizeof STORES[0]; i++) {
        for (int k = 0; k < count; k++) {
            Case t = base(STORES[i].name, STORES[i].b0, STORES[i].b1);
            t.cw = rand_cw(1);
            stack_inputs(&t, 1);
            if (t.n > 0 && rnd() % 3 == 0) {
                /* values near integer and format boundaries */
                static const uint16_t ex[] = {0x3FFE, 0x3FFF, 0x400D, 0x400E, 0x401D, 0x401E, 0x403D, 0x403E,
                                              0x403A, 0x43FE, 0x43FF, 0x407E, 0x407F, 0x3C00, 0x3BCC, 0x3F80, 0x3F6A};
                t.in[0].se = (uint16_t)(ex[rnd() % (sizeof ex / sizeof ex[0])] | (rnd() & 1) << 15);
                t.in[0].sig |= 0x8000000000000000ull;
                if (rnd() % 2) t.in[0].sig &= ~0ull << (rnd() % 64);
            }
            set_mem(&t, rnd(), rnd());
            run(&t);
        }
    }
    fclose(out);
}

/* ------------------------------------------------------------------ transcendentals */

/*
 * x87_trans.txt: FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1. Uses its own
 * fixed seed so that it can be regenerated alone (argument "trans") without touching the
 * other files. Operands stay mostly inside each instruction's documented domain (F2XM1
 * |x| <= 1, FYL2XP1 |x| < 1 - sqrt(2)/2), with the edge-case table mixed in; the reduction
 * instructions also get values next to multiples of pi/2 and beyond +-2^63.
 */
static const Insn TRANS[] = {
    {"fsin", 0xD9, 0xFE}, {"fcos", 0xD9, 0xFF}, {"fsincos", 0xD9, 0xFB}, {"fptan", 0xD9, 0xF2},
    {"fpatan", 0xD9, 0xF3}, {"f2xm1", 0xD9, 0xF0}, {"fyl2x", 0xD9, 0xF1}, {"fyl2xp1", 0xD9, 0xF9},
};

static F80 from_ld(long double v) {
    F80 r;
    memset(&r, 0, sizeof r);
    memcpy(&r, &v, 10);
    return r;
}

/* A finite value with a random significand and a biased exponent in [lo, hi]. */
static F80 rand_exp(int lo, int hi) {
    int e = lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
    return f80((uint16_t)(e | (rnd() & 1) << 15), rnd() | 0x8000000000000000ull);
}

/* Argument of FSIN/FCOS/FSINCOS/FPTAN. */
static F80 trig_arg(void) {
    switch (rnd() % 8) {
        case 0: return special80[rnd() % nspecial80];
        case 1: {
            /* next to k * pi/2: the rounded product, then nudged by a few ulps */
            long double k = (long double)(int64_t)(rnd() % 2000000 - 1000000);
            if (rnd() % 4 == 0) k = (long double)(int64_t)(rnd() >> (rnd() % 64 | 1));
            F80 v = from_ld(k * 1.57079632679489661923132169163975144L);
            if (v.se & 0x7FFF) v.sig += (uint64_t)((int64_t)(rnd() % 9) - 4);
            v.sig |= 0x8000000000000000ull;
            return v.se == 0 ? rand_exp(0x3FFF - 3, 0x3FFF + 3) : v;
        }
        case 2: return rand_exp(0x3FFF + 60, 0x3FFF + 66);  /* around the 2^63 limit */
        case 3: return rand_exp(0x3FFF - 70, 0x3FFF - 1);   /* small */
        case 4: return rand_exp(1, 0x3FFF - 70);            /* tiny */
        default: return rand_exp(0x3FFF - 1, 0x3FFF + 20);  /* moderate */
    }
}

/* Operand x of F2XM1: |x| <= 1. */
static F80 f2xm1_arg(void) {
    switch (rnd() % 8) {
        case 0: return special80[rnd() % nspecial80];
        case 1: return f80((uint16_t)(0x3FFF | (rnd() & 1) << 15), 0x8000000000000000ull);
        case 2: return rand_exp(1, 0x3FFF - 64);
        case 3: return rand_exp(0x3FFF - 64, 0x3FFF - 2);
        default: return rand_exp(0x3FFF - 8, 0x3FFF - 1);
    }
}

/* Operand x of FYL2XP1: |x| < 1 - sqrt(2)/2 = 0.2928... */
static F80 fyl2xp1_arg(void) {
    switch (rnd() % 6) {
        case 0: {
            F80 v = special80[rnd() % nspecial80];
            int e = v.se & 0x7FFF;
            return e >= 0x3FFD && e != 0x7FFF ? rand_exp(0x3FFF - 4, 0x3FFF - 3) : v;
        }
        case 1: return rand_exp(1, 0x3FFF - 64);
        case 2: return f80((uint16_t)(0x3FFD | (rnd() & 1) << 15), 0x8000000000000000ull | (rnd() >> 3));
        default: return rand_exp(0x3FFF - 64, 0x3FFF - 3);
    }
}

/* Operand x of FYL2X: mostly positive, often near 1 or a power of two. */
static F80 fyl2x_arg(void) {
    switch (rnd() % 8) {
        case 0: return special80[rnd() % nspecial80];
        case 1: return f80((uint16_t)(0x3FFF + (int)(rnd() % 200) - 100), 0x8000000000000000ull);
        case 2: {
            F80 v = f80(0x3FFF, 0x8000000000000000ull + (rnd() >> (rnd() % 64 | 1)));
            if (rnd() % 2) v = f80(0x3FFE, 0xFFFFFFFFFFFFFFFFull - (rnd() >> (rnd() % 64 | 1)));
            return v;
        }
        case 3: return rand80();
        default: {
            F80 v = rand_exp(1, 0x7FFE);
            v.se &= 0x7FFF;
            return v;
        }
    }
}

/* Multiplier y of FYL2X/FYL2XP1. */
static F80 y_arg(void) {
    switch (rnd() % 6) {
        case 0: return special80[rnd() % nspecial80];
        case 1: return f80((uint16_t)(0x3FFF | (rnd() & 1) << 15), 0x8000000000000000ull);
        default: return rand_exp(0x3FFF - 40, 0x3FFF + 40);
    }
}

static void gen_trans(int count) {
    rng = 0x2545F4914F6CDD1Dull;
    out = fopen("x87_trans.txt", "w");
    for (size_t i = 0; i < sizeof TRANS / sizeof TRANS[0]; i++) {
        int binary = i >= 4 && i != 5;
        for (int k = 0; k < count; k++) {
            Case t = base(TRANS[i].name, TRANS[i].b0, TRANS[i].b1);
            t.cw = rand_cw(1);
            stack_inputs(&t, binary ? 2 : 1);
            if (t.n >= 1 && rnd() % 8 != 0) {
                switch (i) {
                    case 5: t.in[0] = f2xm1_arg(); break;
                    case 4: t.in[0] = rnd() % 3 ? rand80() : pick80(); t.in[1] = rnd() % 3 ? rand80() : pick80(); break;
                    case 6: t.in[0] = fyl2x_arg(); if (t.n >= 2) t.in[1] = y_arg(); break;
                    case 7: t.in[0] = fyl2xp1_arg(); if (t.n >= 2) t.in[1] = y_arg(); break;
                    default: t.in[0] = trig_arg(); break;
                }
            }
            if (i == 4 && t.n >= 2 && rnd() % 6 == 0) {
                t.in[1].se = (uint16_t)((t.in[1].se & 0x8000) | (t.in[0].se & 0x7FFF));
            }
            run(&t);
        }
    }
    fclose(out);
}

int main(int argc, char **argv) {
    if (argc > 1 && chdir(argv[1]) != 0) {
        perror(argv[1]);
        return 1;
    }
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    init_specials();
    if (argc > 2 && strcmp(argv[2], "trans") == 0) {
        gen_trans(500);
        return 0;
    }
    gen_arith(110);
    gen_compare(120);
    gen_unary(160);
    gen_stack(40);
    gen_load(120);
    gen_store(120);
    gen_trans(500);
    return 0;
}

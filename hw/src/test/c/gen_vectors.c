/*
 * gen_vectors.c: records integer-instruction test vectors from the host x86-64 CPU.
 *
 * Regenerate (needs an x86-64 Linux host with gcc; the output is committed data, so the
 * Java tests never need this):
 *
 *     make -C hw/src/test/c vectors
 *
 * which builds this program and runs it with the output directory
 * hw/src/test/resources/vectors. The random operands come from a fixed-seed xorshift
 * generator, so a regeneration on the same kind of host reproduces the files exactly.
 *
 * How a vector is made: the instruction bytes are hand-encoded here and copied into an
 * mmap'd executable buffer between a prologue and an epilogue (also hand-encoded, see
 * run()). The prologue loads RAX RBX RCX RDX RSI RDI from a struct and RFLAGS with POPFQ;
 * the epilogue saves RFLAGS with PUSHFQ and the six registers back into the struct. A
 * #DE raised by DIV/IDIV arrives as SIGFPE and is caught with sigsetjmp/siglongjmp.
 *
 * Line format (one vector per line, all numbers hex):
 *
 *     <name> <bytes> rax=.. rbx=.. rcx=.. rdx=.. rsi=.. rdi=.. fl=.. -> rax=.. ... fl=.. mask=..
 *
 * (a register whose value is zero is omitted on either side).
 *     <name> <bytes> rax=.. ... fl=.. -> #DE
 *
 * <bytes> may hold more than one instruction (the "cc_*" vectors: a flag-setting
 * instruction followed by SETcc/CMOVcc/Jcc); the Java side steps until RIP passes them.
 * mask is the set of RFLAGS status bits (CF PF AF ZF SF OF) the manuals define for that
 * instruction and operand case; the others are "undefined" (Intel SDM vol. 2 / AMD APM
 * vol. 3 per-instruction "Flags Affected") and must not be compared. Each mask below is
 * justified where it is chosen. Flags an instruction does not touch are defined (they
 * must be preserved), so those stay in the mask.
 *
 * Host note, BSF/BSR with a zero source: Intel documents the destination as undefined,
 * AMD as unchanged; AMD parts and modern Intel parts leave it unchanged. The vectors record
 * what this host did (see the bsf/bsr lines with a zero source) and the Java CPU keeps the
 * destination unchanged, so the register is compared.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800 };
#define ALL (CF | PF | AF | ZF | SF | OF)

/* Field order and offsets are baked into the hand-encoded prologue/epilogue in run(). */
typedef struct {
    uint64_t in[6];  /* rax rbx rcx rdx rsi rdi   at 0..40 */
    uint64_t fin;    /* at 48 */
    uint64_t out[6]; /* at 56..96 */
    uint64_t fout;   /* at 104 */
} State;

static const char *REGN[6] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi"};
enum { A = 0, B = 1, C = 2, D = 3, SI = 4, DI = 5 };

static uint8_t *buf;
static sigjmp_buf jb;
static uint64_t seed = 0x6d6963726f6c6974ULL; /* fixed: regenerations are reproducible */

static uint64_t rnd(void) {
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return seed * 0x2545F4914F6CDD1DULL;
}

static void on_fpe(int sig) {
    (void) sig;
    siglongjmp(jb, 1);
}

/* Runs the bytes between the load and save sequences; returns 1 if they raised #DE. */
static int run(const uint8_t *insn, int n, State *s) {
    static const uint8_t pro[] = {
        0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57, /* push rbx rbp r12-r15 */
        0x49, 0x89, 0xff,                                           /* mov r15, rdi */
        0x49, 0x8b, 0x07,                                           /* mov rax, [r15] */
        0x49, 0x8b, 0x5f, 0x08,                                     /* mov rbx, [r15+8] */
        0x49, 0x8b, 0x4f, 0x10,                                     /* mov rcx, [r15+16] */
        0x49, 0x8b, 0x57, 0x18,                                     /* mov rdx, [r15+24] */
        0x49, 0x8b, 0x77, 0x20,                                     /* mov rsi, [r15+32] */
        0x49, 0x8b, 0x7f, 0x28,                                     /* mov rdi, [r15+40] */
        0x41, 0xff, 0x77, 0x30,                                     /* push qword [r15+48] */
        0x9d,                                                       /* popfq */
    };
    static const uint8_t epi[] = {
        0x9c,                   /* pushfq */
        0x41, 0x8f, 0x47, 0x68, /* pop qword [r15+104] */
        0x49, 0x89, 0x47, 0x38, /* mov [r15+56], rax */
        0x49, 0x89, 0x5f, 0x40, /* mov [r15+64], rbx */
        0x49, 0x89, 0x4f, 0x48, /* mov [r15+72], rcx */
        0x49, 0x89, 0x57, 0x50, /* mov [r15+80], rdx */
        0x49, 0x89, 0x77, 0x58, /* mov [r15+88], rsi */
        0x49, 0x89, 0x7f, 0x60, /* mov [r15+96], rdi */
        0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, 0x5d, 0x5b, /* pop r15-r12 rbp rbx */
        0xc3,
    };
    int k = 0;
    memcpy(buf, pro, sizeof pro);
    k += sizeof pro;
    memcpy(buf + k, insn, n);
    k += n;
    memcpy(buf + k, epi, sizeof epi);
    __builtin___clear_cache((char *) buf, (char *) buf + 256);
    if (sigsetjmp(jb, 1)) {
        return 1;
    }
    ((void (*)(State *)) buf)(s);
    return 0;
}

static FILE *out;
static int nvec;

static void hex(const uint8_t *b, int n) {
    for (int i = 0; i < n; i++) fprintf(out, "%02x", b[i]);
}

/* Registers that are zero are left out (both sides): a missing register means 0. */
static void regs(const uint64_t *r, uint64_t fl) {
    for (int i = 0; i < 6; i++)
        if (r[i]) fprintf(out, " %s=%llx", REGN[i], (unsigned long long) r[i]);
    fprintf(out, " fl=%llx", (unsigned long long) fl);
}

/*
 * Executes and writes one vector. in[] and fin are the inputs; the instruction is run
 * natively and its outputs recorded. Returns 1 if it raised #DE (then "-> #DE" is written
 * only when faultOk, otherwise nothing is written).
 */
static int vec(const char *name, const uint8_t *b, int n, const uint64_t *in, uint64_t fin,
               uint64_t mask, int faultOk) {
    State s;
    memset(&s, 0, sizeof s);
    memcpy(s.in, in, sizeof s.in);
    /* Only the status flags and the fixed bit 1: TF/DF/AC stay clear. */
    s.fin = (fin & ALL) | 2;
    int de = run(b, n, &s);
    if (de && !faultOk) return 1;
    fprintf(out, "%s ", name);
    hex(b, n);
    regs(s.in, s.fin);
    if (de) {
        fprintf(out, " -> #DE\n");
    } else {
        fprintf(out, " ->");
        regs(s.out, s.fout & 0xfff);
        fprintf(out, " mask=%llx\n", (unsigned long long) mask);
    }
    nvec++;
    return de;
}

static void open_out(const char *dir, const char *file) {
    char path[512];
    if (out) fclose(out);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    out = fopen(path, "w");
    if (!out) {
        perror(path);
        exit(1);
    }
    fprintf(out, "# generated by hw/src/test/c/gen_vectors.c on the host CPU; do not edit\n");
    fprintf(stderr, "%s: ", file);
}

static void close_group(void) {
    fprintf(stderr, "%d vectors\n", nvec);
    nvec = 0;
}

/* ------------------------------------------------------------------ operands */

static const int SIZES[4] = {1, 2, 4, 8};

static uint64_t wmask(int sz) {
    return sz == 8 ? ~0ULL : (1ULL << (sz * 8)) - 1;
}

/* Edge operands of a width: 0, 1, 2, -1, min, max, min+1, -2, alternating bits, nibbles. */
#define NEDGE 12
static uint64_t edge(int sz, int k) {
    uint64_t m = wmask(sz), s = 1ULL << (sz * 8 - 1);
    switch (k) {
        case 0: return 0;
        case 1: return 1;
        case 2: return 2;
        case 3: return m;
        case 4: return s;
        case 5: return s - 1;
        case 6: return s + 1;
        case 7: return m - 1;
        case 8: return 0x5555555555555555ULL & m;
        case 9: return 0xaaaaaaaaaaaaaaaaULL & m;
        case 10: return 0x0f0f0f0f0f0f0f0fULL & m;
        default: return 0x80ULL | (0x7fULL << (sz * 4));
    }
}

/* Operand k of a width: an edge (k < NEDGE) or random; bits above the width random. */
static uint64_t opnd(int sz, int k) {
    uint64_t m = wmask(sz);
    uint64_t v = k < NEDGE ? edge(sz, k) : rnd() & m;
    if (k >= NEDGE && (rnd() & 3) == 0) v = (v & m) >> (rnd() % (sz * 8)); /* small ones too */
    return (rnd() & ~m) | (v & m);
}

/* Random input status flags; CF forced to (k & 1) so both carries are seen. */
static uint64_t flg(int k) {
    return (rnd() & (ALL & ~CF)) | (uint64_t) (k & 1);
}

/* Legacy 66 / REX.W for an operand size; rex carries extra REX bits (0x40 forces a REX). */
static int pfx(uint8_t *b, int sz, int rex) {
    int n = 0;
    if (sz == 2) b[n++] = 0x66;
    int r = rex | (sz == 8 ? 0x48 : 0);
    if (r) b[n++] = 0x40 | r;
    return n;
}

static void zero(uint64_t *r) {
    memset(r, 0, 6 * sizeof *r);
}

/* ------------------------------------------------------------------ groups */

static const char *ALUN[8] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};

/*
 * ALU: ADD OR ADC SBB AND SUB XOR CMP. Arithmetic ones define all six flags. The logic
 * ones (OR AND XOR) clear CF and OF, set SF ZF PF from the result, and leave AF undefined
 * (SDM "AND/OR/XOR: The AF flag is undefined"): mask = ALL & ~AF.
 */
static void gen_alu(void) {
    uint8_t b[16];
    uint64_t r[6];
    char name[64];
    for (int op = 0; op < 8; op++) {
        uint64_t mask = (op == 1 || op == 4 || op == 6) ? ALL & ~AF : ALL;
        for (int si = 0; si < 4; si++) {
            int sz = SIZES[si], bits = sz * 8;
            /* op r/m, reg: rax (rm) op= rbx (reg), all edge pairs from 8x8 plus random */
            for (int k = 0; k < 8 * 8 + 12; k++) {
                int n = pfx(b, sz, 0);
                b[n++] = op * 8 + (sz == 1 ? 0 : 1);
                b[n++] = 0xd8;
                zero(r);
                r[A] = k < 64 ? (rnd() & ~wmask(sz)) | edge(sz, k / 8) : opnd(sz, 99);
                r[B] = k < 64 ? (rnd() & ~wmask(sz)) | edge(sz, (k % 8) * 3 / 2) : opnd(sz, 99);
                if (k >= 64 && (k & 3) == 0) r[B] = r[A]; /* equal operands */
                snprintf(name, sizeof name, "%s%d_rr", ALUN[op], bits);
                vec(name, b, n, r, flg(k), mask, 0);
            }
            /* op reg, r/m: rbx (reg) op= rax (rm) */
            for (int k = 0; k < 12; k++) {
                int n = pfx(b, sz, 0);
                b[n++] = op * 8 + (sz == 1 ? 2 : 3);
                b[n++] = 0xd8;
                zero(r);
                r[A] = opnd(sz, k < 6 ? k * 2 : 99);
                r[B] = opnd(sz, k < 6 ? 11 - k : 99);
                snprintf(name, sizeof name, "%s%d_rrm", ALUN[op], bits);
                vec(name, b, n, r, flg(k), mask, 0);
            }
            /* op r/m, imm (80/81 /op on rcx), op r/m, imm8 sign-extended (83), op acc, imm */
            for (int form = 0; form < 3; form++) {
                if (form == 1 && sz == 1) continue;
                for (int k = 0; k < 14; k++) {
                    int n = pfx(b, sz, 0);
                    int isz = sz == 1 || form == 1 ? 1 : sz == 2 ? 2 : 4;
                    if (form == 2) {
                        b[n++] = op * 8 + (sz == 1 ? 4 : 5);
                    } else {
                        b[n++] = sz == 1 ? 0x80 : form == 1 ? 0x83 : 0x81;
                        b[n++] = 0xc0 | op << 3 | 1; /* rcx */
                    }
                    uint64_t imm = k < NEDGE ? edge(isz, k) : rnd();
                    for (int i = 0; i < isz; i++) b[n++] = imm >> (8 * i);
                    zero(r);
                    r[form == 2 ? A : C] = opnd(sz, (k * 5) % 16);
                    snprintf(name, sizeof name, "%s%d_%s", ALUN[op], bits,
                             form == 0 ? "ri" : form == 1 ? "ri8" : "acc_i");
                    vec(name, b, n, r, flg(k), mask, 0);
                }
            }
        }
        /* High-byte registers: "op ah, bh" (no REX) versus "op sil, dil" (REX). */
        for (int k = 0; k < 16; k++) {
            uint8_t hb[3] = {(uint8_t) (op * 8), 0xfc}; /* op ah, bh */
            zero(r);
            r[A] = rnd();
            r[B] = rnd();
            r[SI] = rnd();
            r[DI] = rnd();
            snprintf(name, sizeof name, "%s8_ah_bh", ALUN[op]);
            vec(name, hb, 2, r, flg(k), mask, 0);
            uint8_t rb[3] = {0x40, (uint8_t) (op * 8), 0xfe}; /* op sil, dil */
            snprintf(name, sizeof name, "%s8_sil_dil", ALUN[op]);
            vec(name, rb, 3, r, flg(k), mask, 0);
        }
    }
}

/*
 * INC DEC (CF preserved, the rest defined: mask ALL), NEG (all defined, CF = src != 0),
 * NOT (no flags touched: ALL must be preserved), TEST (logic: AF undefined).
 */
static void gen_unary(void) {
    uint8_t b[16];
    uint64_t r[6];
    char name[64];
    static const char *UN[4] = {"inc", "dec", "neg", "not"};
    for (int op = 0; op < 4; op++) {
        for (int si = 0; si < 4; si++) {
            int sz = SIZES[si];
            for (int k = 0; k < NEDGE + 12; k++) {
                int n = pfx(b, sz, 0);
                if (op < 2) {
                    b[n++] = sz == 1 ? 0xfe : 0xff;
                    b[n++] = 0xc3 | op << 3; /* rbx */
                } else {
                    b[n++] = sz == 1 ? 0xf6 : 0xf7;
                    b[n++] = 0xc3 | (op == 2 ? 3 : 2) << 3;
                }
                zero(r);
                r[B] = opnd(sz, k);
                snprintf(name, sizeof name, "%s%d", UN[op], sz * 8);
                vec(name, b, n, r, flg(k), ALL, 0);
            }
        }
    }
    for (int si = 0; si < 4; si++) {
        int sz = SIZES[si];
        for (int k = 0; k < 24; k++) {
            int n = pfx(b, sz, 0);
            b[n++] = sz == 1 ? 0x84 : 0x85;
            b[n++] = 0xd8; /* test rax, rbx */
            zero(r);
            r[A] = opnd(sz, k);
            r[B] = k < 8 ? r[A] : opnd(sz, (k * 7) % 30);
            snprintf(name, sizeof name, "test%d_rr", sz * 8);
            vec(name, b, n, r, flg(k), ALL & ~AF, 0);
            n = pfx(b, sz, 0);
            int isz = sz == 1 ? 1 : sz == 2 ? 2 : 4;
            if (k & 1) {
                b[n++] = sz == 1 ? 0xa8 : 0xa9;
            } else {
                b[n++] = sz == 1 ? 0xf6 : 0xf7;
                b[n++] = 0xc0; /* test rax, imm */
            }
            uint64_t imm = k < NEDGE ? edge(isz, k) : rnd();
            for (int i = 0; i < isz; i++) b[n++] = imm >> (8 * i);
            snprintf(name, sizeof name, "test%d_i", sz * 8);
            vec(name, b, n, r, flg(k), ALL & ~AF, 0);
        }
    }
}

/*
 * Shifts and rotates, group 2 (/0 ROL /1 ROR /2 RCL /3 RCR /4 SHL /5 SHR /7 SAR) by 1,
 * by imm8 and by CL. Masks (SDM "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR" Flags Affected):
 * - masked count 0: no flag changes; all six are defined (preserved): ALL.
 * - rotates touch only CF and OF; SF ZF AF PF are preserved, hence defined. OF is
 *   defined only for a masked count of 1.
 * - shifts: CF SF ZF PF defined, AF undefined for a nonzero count; OF only for count 1.
 *   CF is undefined for SHL/SHR when the count is >= the operand width (8/16-bit
 *   operands with counts up to 31).
 */
static const char *SHN[8] = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};

static uint64_t shift_mask(int op, int sz, int count) {
    int c = count & (sz == 8 ? 63 : 31);
    if (c == 0) return ALL;
    uint64_t m = ALL;
    if (c != 1) m &= ~OF;
    if (op >= 4) {
        m &= ~AF;
        if (op != 7 && c >= sz * 8) m &= ~CF;
    }
    return m;
}

static const int COUNTS[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64};
#define NCOUNTS (int) (sizeof COUNTS / sizeof COUNTS[0])

static void gen_shift(void) {
    uint8_t b[16];
    uint64_t r[6];
    char name[64];
    for (int op = 0; op < 8; op++) {
        if (op == 6) continue; /* /6 is an alias of SHL; a few below */
        for (int si = 0; si < 4; si++) {
            int sz = SIZES[si];
            for (int form = 0; form < 3; form++) {
                int per = form == 0 ? 16 : NCOUNTS * 3 + 12;
                for (int k = 0; k < per; k++) {
                    int count = form == 0 ? 1 : k < NCOUNTS * 3 ? COUNTS[k / 3] : (int) (rnd() & 0xff);
                    int n = pfx(b, sz, 0);
                    b[n++] = form == 0 ? (sz == 1 ? 0xd0 : 0xd1) : form == 1 ? (sz == 1 ? 0xc0 : 0xc1)
                                                                             : (sz == 1 ? 0xd2 : 0xd3);
                    b[n++] = 0xc0 | op << 3; /* rax */
                    if (form == 1) b[n++] = count;
                    zero(r);
                    r[A] = opnd(sz, k % 20);
                    if (form == 2) r[C] = (rnd() & ~0xffULL) | (count & 0xff);
                    snprintf(name, sizeof name, "%s%d_%s", SHN[op], sz * 8,
                             form == 0 ? "1" : form == 1 ? "i" : "cl");
                    vec(name, b, n, r, flg(k), shift_mask(op, sz, count), 0);
                }
            }
        }
    }
    /* SAL (/6) is the same instruction as SHL. */
    for (int k = 0; k < 8; k++) {
        uint8_t sb[4] = {0x48, 0xc1, 0xf0, (uint8_t) COUNTS[k]};
        zero(r);
        r[A] = opnd(8, k + 12);
        vec("sal64_i", sb, 4, r, flg(k), shift_mask(6, 8, COUNTS[k]), 0);
    }
}

/*
 * SHLD/SHRD r/m, reg, imm8|CL (0F A4/A5, 0F AC/AD) on rax with rbx shifted in. SDM: for
 * a nonzero masked count CF SF ZF PF are defined and AF undefined; OF is defined only for
 * a count of 1; count 0 changes no flags. A count greater than the operand size (16-bit
 * forms, masked counts 17-31) leaves result and flags undefined: not generated.
 */
static void gen_shxd(void) {
    uint8_t b[16];
    uint64_t r[6];
    char name[64];
    for (int op = 0; op < 2; op++) {
        for (int si = 1; si < 4; si++) {
            int sz = SIZES[si];
            for (int form = 0; form < 2; form++) {
                for (int k = 0; k < NCOUNTS * 3 + 12; k++) {
                    int count = k < NCOUNTS * 3 ? COUNTS[k / 3] : (int) (rnd() & 0xff);
                    int c = count & (sz == 8 ? 63 : 31);
                    if (sz == 2 && c > 16) continue;
                    int n = pfx(b, sz, 0);
                    b[n++] = 0x0f;
                    b[n++] = (op == 0 ? 0xa4 : 0xac) + form;
                    b[n++] = 0xd8; /* rm = rax, reg = rbx */
                    if (form == 0) b[n++] = count;
                    zero(r);
                    r[A] = opnd(sz, k % 20);
                    r[B] = opnd(sz, (k * 7 + 3) % 20);
                    if (form == 1) r[C] = (rnd() & ~0xffULL) | (count & 0xff);
                    uint64_t mask = c == 0 ? ALL : c == 1 ? ALL & ~AF : ALL & ~AF & ~OF;
                    snprintf(name, sizeof name, "%s%d_%s", op == 0 ? "shld" : "shrd", sz * 8,
                             form == 0 ? "i" : "cl");
                    vec(name, b, n, r, flg(k), mask, 0);
                }
            }
        }
    }
}

/*
 * MUL/IMUL: CF and OF defined (high half significant); SF ZF AF PF undefined
 * (SDM "MUL", "IMUL"): mask CF|OF. DIV/IDIV leave all six undefined: mask 0.
 * Faulting DIV/IDIV inputs go to div_fault.txt.
 */
static FILE *faults;

static void gen_muldiv(void) {
    uint8_t b[16];
    uint64_t r[6];
    char name[64];
    static const char *MN[4] = {"mul", "imul1", "div", "idiv"};
    for (int op = 0; op < 2; op++) {
        for (int si = 0; si < 4; si++) {
            int sz = SIZES[si];
            for (int k = 0; k < NEDGE * 2 + 16; k++) {
                int n = pfx(b, sz, 0);
                b[n++] = sz == 1 ? 0xf6 : 0xf7;
                b[n++] = 0xc3 | (4 + op) << 3; /* rbx */
                zero(r);
                r[A] = opnd(sz, k < 2 * NEDGE ? k / 2 : 99);
                r[B] = opnd(sz, k < 2 * NEDGE ? (k * 5) % NEDGE : 99);
                r[D] = rnd();
                snprintf(name, sizeof name, "%s%d", MN[op], sz * 8);
                vec(name, b, n, r, flg(k), CF | OF, 0);
            }
        }
    }
    /* IMUL r, r/m (0F AF), IMUL r, r/m, imm32|imm8 (69, 6B) */
    for (int si = 1; si < 4; si++) {
        int sz = SIZES[si];
        for (int form = 0; form < 3; form++) {
            for (int k = 0; k < NEDGE * 2 + 12; k++) {
                int n = pfx(b, sz, 0);
                if (form == 0) {
                    b[n++] = 0x0f;
                    b[n++] = 0xaf;
                } else {
                    b[n++] = form == 1 ? 0x69 : 0x6b;
                }
                b[n++] = 0xc3; /* reg = rax, rm = rbx */
                int isz = form == 2 ? 1 : sz == 2 ? 2 : 4;
                uint64_t imm = k < NEDGE ? edge(isz, k) : rnd();
                if (form != 0) {
                    for (int i = 0; i < isz; i++) b[n++] = imm >> (8 * i);
                }
                zero(r);
                r[A] = opnd(sz, k < 2 * NEDGE ? (k * 7) % NEDGE : 99);
                r[B] = opnd(sz, k < 2 * NEDGE ? k / 2 : 99);
                snprintf(name, sizeof name, "imul%d_%s", sz * 8, form == 0 ? "rr" : form == 1 ? "rri" : "rri8");
                vec(name, b, n, r, flg(k), CF | OF, 0);
            }
        }
    }
    /* DIV/IDIV rbx: a non-faulting dividend is made by keeping the high half below the divisor. */
    for (int op = 2; op < 4; op++) {
        for (int si = 0; si < 4; si++) {
            int sz = SIZES[si];
            int ok = 0, bad = 0;
            for (int k = 0; ok < 40 && k < 400; k++) {
                int n = pfx(b, sz, 0);
                b[n++] = sz == 1 ? 0xf6 : 0xf7;
                b[n++] = 0xc3 | (4 + op) << 3;
                zero(r);
                uint64_t m = wmask(sz);
                uint64_t dv = k < NEDGE ? edge(sz, k) : rnd() & m;
                if (k >= NEDGE && (k & 1)) dv >>= rnd() % (sz * 8);
                r[B] = (rnd() & ~m) | dv;
                uint64_t lo = rnd(), hi = rnd();
                int choice = k % 4;
                if (choice == 0 || choice == 1) {
                    /* High half small: unsigned no overflow; signed: sign-extension of lo. */
                    if (op == 2) {
                        hi = dv ? (hi & m) % dv : 0;
                    } else {
                        if (sz == 8 || choice == 1) lo = (lo & m) >> (rnd() % (sz * 8));
                        hi = choice == 1 ? 0 : (lo & (1ULL << (sz * 8 - 1))) ? m : 0;
                    }
                }
                if (sz == 1) {
                    r[A] = (lo & ~0xffffULL) | (lo & 0xff) | (hi & 0xff) << 8;
                    r[D] = rnd();
                } else {
                    r[A] = (rnd() & ~m) | (lo & m);
                    r[D] = (rnd() & ~m) | (hi & m);
                }
                snprintf(name, sizeof name, "%s%d", MN[op], sz * 8);
                State s;
                memset(&s, 0, sizeof s);
                memcpy(s.in, r, sizeof s.in);
                s.fin = (flg(k) & ALL) | 2;
                if (run(b, n, &s)) {
                    if (bad < 12) {
                        FILE *keep = out;
                        int kept = nvec;
                        out = faults;
                        vec(name, b, n, r, s.fin, 0, 1);
                        out = keep;
                        nvec = kept;
                        bad++;
                    }
                } else {
                    vec(name, b, n, r, s.fin, 0, 0);
                    ok++;
                }
            }
        }
    }
}

/*
 * BT BTS BTR BTC (0F A3/AB/B3/BB reg, 0F BA /4-7 imm8): CF = selected bit; ZF unchanged;
 * OF SF AF PF undefined (SDM "BT"): mask CF|ZF.
 * BSF/BSR: ZF defined; CF OF SF AF PF undefined: mask ZF.
 * TZCNT/LZCNT: CF and ZF defined, OF SF AF PF undefined: mask CF|ZF.
 * POPCNT: all six defined (OF SF AF CF PF cleared, ZF = source zero): ALL.
 */
static int has_lzcnt, has_bmi1, has_popcnt, has_lahf;

static void gen_bit(void) {
    uint8_t b[16];
    uint64_t r[6];
    char name[64];
    static const char *BT[4] = {"bt", "bts", "btr", "btc"};
    for (int op = 0; op < 4; op++) {
        for (int si = 1; si < 4; si++) {
            int sz = SIZES[si];
            for (int k = 0; k < 20; k++) {
                int n = pfx(b, sz, 0);
                b[n++] = 0x0f;
                b[n++] = 0xa3 + op * 8;
                b[n++] = 0xd8; /* bt rax, rbx */
                zero(r);
                r[A] = opnd(sz, k);
                r[B] = k < 8 ? (uint64_t) (k * 9) : rnd(); /* offset taken mod the width */
                snprintf(name, sizeof name, "%s%d_r", BT[op], sz * 8);
                vec(name, b, n, r, flg(k), CF | ZF, 0);
                n = pfx(b, sz, 0);
                b[n++] = 0x0f;
                b[n++] = 0xba;
                b[n++] = 0xc0 | (4 + op) << 3;
                b[n++] = (uint8_t) (k < 8 ? (uint64_t) k * 9 : rnd());
                snprintf(name, sizeof name, "%s%d_i", BT[op], sz * 8);
                vec(name, b, n, r, flg(k), CF | ZF, 0);
            }
        }
    }
    for (int op = 0; op < 5; op++) {
        static const char *BN[5] = {"bsf", "bsr", "tzcnt", "lzcnt", "popcnt"};
        if ((op == 2 && !has_bmi1) || (op == 3 && !has_lzcnt) || (op == 4 && !has_popcnt)) {
            fprintf(stderr, "host lacks %s: skipped\n", BN[op]);
            continue;
        }
        uint64_t mask = op < 2 ? ZF : op < 4 ? CF | ZF : ALL;
        for (int si = 1; si < 4; si++) {
            int sz = SIZES[si];
            for (int k = 0; k < NEDGE + 16; k++) {
                int n = 0;
                if (sz == 2) b[n++] = 0x66;
                if (op >= 2) b[n++] = 0xf3;
                if (sz == 8) b[n++] = 0x48;
                b[n++] = 0x0f;
                b[n++] = op == 4 ? 0xb8 : (op & 1) ? 0xbd : 0xbc;
                b[n++] = 0xc3; /* reg = rax, rm = rbx */
                zero(r);
                r[A] = rnd();
                r[B] = opnd(sz, k);
                snprintf(name, sizeof name, "%s%d", BN[op], sz * 8);
                vec(name, b, n, r, flg(k), mask, 0);
            }
        }
    }
}

/*
 * No-flag data movement: BSWAP, CBW CWDE CDQE CWD CDQ CQO, MOVZX MOVSX MOVSXD, MOV with
 * high-byte registers. None touches RFLAGS, so all six must be preserved: mask ALL.
 */
static void gen_move(void) {
    uint64_t r[6];
    static const struct {
        const char *name;
        uint8_t len, b[8];
    } F[] = {
        {"bswap32", 2, {0x0f, 0xc8}},         {"bswap32_ebx", 2, {0x0f, 0xcb}},
        {"bswap64", 3, {0x48, 0x0f, 0xc8}},   {"bswap64_rdi", 3, {0x48, 0x0f, 0xcf}},
        {"cbw", 2, {0x66, 0x98}},             {"cwde", 1, {0x98}},
        {"cdqe", 2, {0x48, 0x98}},            {"cwd", 2, {0x66, 0x99}},
        {"cdq", 1, {0x99}},                   {"cqo", 2, {0x48, 0x99}},
        {"movzx32_8", 3, {0x0f, 0xb6, 0xc3}}, {"movzx64_8", 4, {0x48, 0x0f, 0xb6, 0xc3}},
        {"movzx16_8", 4, {0x66, 0x0f, 0xb6, 0xc3}},
        {"movzx32_bh", 3, {0x0f, 0xb6, 0xc7}}, /* no REX: rm 7 is BH */
        {"movzx32_dil", 4, {0x40, 0x0f, 0xb6, 0xc7}}, /* REX: rm 7 is DIL */
        {"movzx32_ah_to_ebx", 3, {0x0f, 0xb6, 0xdc}},
        {"movzx32_16", 3, {0x0f, 0xb7, 0xc3}}, {"movzx64_16", 4, {0x48, 0x0f, 0xb7, 0xc3}},
        {"movsx32_8", 3, {0x0f, 0xbe, 0xc3}}, {"movsx64_8", 4, {0x48, 0x0f, 0xbe, 0xc3}},
        {"movsx16_8", 4, {0x66, 0x0f, 0xbe, 0xc3}},
        {"movsx64_dil", 4, {0x48, 0x0f, 0xbe, 0xc7}}, /* REX.W: rm 7 is DIL */
        {"movsx32_bh", 3, {0x0f, 0xbe, 0xc7}},
        {"movsx32_16", 3, {0x0f, 0xbf, 0xc3}}, {"movsx64_16", 4, {0x48, 0x0f, 0xbf, 0xc3}},
        {"movsxd64", 3, {0x48, 0x63, 0xc3}},  {"movsxd32", 2, {0x63, 0xc3}},
        {"mov8_bl_ah", 2, {0x88, 0xe3}},      {"mov8_bl_sil", 3, {0x40, 0x88, 0xf3}},
        {"mov8_dh_al", 2, {0x88, 0xc6}},      {"mov32_rr", 2, {0x89, 0xd8}},
        {"mov16_rr", 3, {0x66, 0x89, 0xd8}},  {"mov8_i_ch", 2, {0xb5, 0x9c}},
        {"mov8_i_sil", 3, {0x40, 0xb6, 0x9c}},
        {"mov32_i", 5, {0xb8, 0x78, 0x56, 0x34, 0x92}},
        {"mov64_i32", 7, {0x48, 0xc7, 0xc0, 0x00, 0x00, 0x00, 0x80}},
        {"xchg64", 3, {0x48, 0x87, 0xd8}},    {"xchg32_ax", 1, {0x93}},
        {"xchg8_ah_bl", 2, {0x86, 0xe3}},
    };
    for (unsigned f = 0; f < sizeof F / sizeof F[0]; f++) {
        for (int k = 0; k < 12; k++) {
            zero(r);
            for (int i = 0; i < 6; i++) r[i] = opnd(8, k == 0 ? 0 : 20);
            if (k < 4) { /* sign bits of each width */
                r[A] = k == 1 ? 0x80 : k == 2 ? 0x8000 : k == 3 ? 0x80000000ULL : 0;
                r[B] = r[A] << 1 | 0x7f;
            }
            vec(F[f].name, F[f].b, F[f].len, r, flg(k), ALL, 0);
        }
    }
}

/*
 * CMOVcc (0F 40+cc) and SETcc (0F 90+cc) over every combination of OF SF ZF PF CF:
 * no flags changed, mask ALL. The 32-bit CMOV zero-extends even when the condition is
 * false. The "cc_" vectors pair a flag-setting instruction with SETcc so the condition
 * is evaluated from lazily computed flags too.
 */
static void gen_cond(void) {
    uint8_t b[16];
    uint64_t r[6];
    char name[64];
    static const uint64_t bits5[5] = {CF, PF, ZF, SF, OF};
    for (int cc = 0; cc < 16; cc++) {
        for (int combo = 0; combo < 32; combo++) {
            uint64_t fl = rnd() & AF;
            for (int i = 0; i < 5; i++)
                if (combo >> i & 1) fl |= bits5[i];
            zero(r);
            r[A] = rnd();
            r[B] = rnd();
            int n = 0;
            b[n++] = 0x48;
            b[n++] = 0x0f;
            b[n++] = 0x40 + cc;
            b[n++] = 0xc3; /* cmov rax, rbx */
            snprintf(name, sizeof name, "cmov%d", 64);
            vec(name, b, n, r, fl, ALL, 0);
            n = 0;
            b[n++] = 0x0f;
            b[n++] = 0x40 + cc;
            b[n++] = 0xc3;
            vec("cmov32", b, n, r, fl, ALL, 0);
            if (combo % 4 == 0) {
                n = 0;
                b[n++] = 0x66;
                b[n++] = 0x0f;
                b[n++] = 0x40 + cc;
                b[n++] = 0xc3;
                vec("cmov16", b, n, r, fl, ALL, 0);
            }
            n = 0;
            b[n++] = 0x0f;
            b[n++] = 0x90 + cc;
            b[n++] = combo & 1 ? 0xc4 : 0xc0; /* setcc ah / al */
            vec(combo & 1 ? "setcc_ah" : "setcc_al", b, n, r, fl, ALL, 0);
        }
    }
    /* Flag producer followed by SETcc cl: producers cmp/sub/add/and/inc/dec/neg/shl. */
    static const struct {
        const char *name;
        uint8_t len, b[4];
    } P[] = {
        {"cmp", 2, {0x39, 0xd8}}, {"sub", 2, {0x29, 0xd8}}, {"add", 2, {0x01, 0xd8}},
        {"and", 2, {0x21, 0xd8}}, {"inc", 2, {0xff, 0xc0}}, {"dec", 2, {0xff, 0xc8}},
        {"neg", 2, {0xf7, 0xd8}}, {"sbb", 2, {0x19, 0xd8}}, {"adc", 2, {0x11, 0xd8}},
    };
    for (unsigned p = 0; p < sizeof P / sizeof P[0]; p++) {
        for (int si = 0; si < 4; si++) {
            int sz = SIZES[si];
            for (int cc = 0; cc < 16; cc++) {
                for (int k = 0; k < 3; k++) {
                    int n = pfx(b, sz, 0);
                    b[n++] = P[p].b[0] - (sz == 1 ? 1 : 0); /* the byte forms are opcode - 1 */
                    b[n++] = P[p].b[1];
                    b[n++] = 0x0f;
                    b[n++] = 0x90 + cc;
                    b[n++] = 0xc1; /* setcc cl */
                    zero(r);
                    int e1 = (k * 5 + cc) % NEDGE, e2 = (k * 7 + cc * 3 + p) % NEDGE;
                    r[A] = k < 2 ? opnd(sz, e1) : opnd(sz, 99);
                    r[B] = k == 0 ? r[A] : k < 2 ? opnd(sz, e2) : opnd(sz, 99);
                    r[C] = rnd();
                    snprintf(name, sizeof name, "cc_%s%d_setcc", P[p].name, sz * 8);
                    vec(name, b, n, r, flg(k), P[p].b[0] == 0x21 ? ALL & ~AF : ALL, 0);
                }
            }
        }
    }
}

/*
 * XADD (flags as ADD: ALL) and CMPXCHG (flags as CMP of accumulator with destination:
 * ALL), register forms. CMPXCHG rbx, rcx compares with rax; half the vectors make them
 * equal.
 */
static void gen_atomic(void) {
    uint8_t b[16];
    uint64_t r[6];
    char name[64];
    for (int si = 0; si < 4; si++) {
        int sz = SIZES[si];
        for (int k = 0; k < 24; k++) {
            int n = pfx(b, sz, 0);
            b[n++] = 0x0f;
            b[n++] = sz == 1 ? 0xc0 : 0xc1;
            b[n++] = 0xd8; /* xadd rax, rbx */
            zero(r);
            r[A] = opnd(sz, k);
            r[B] = opnd(sz, (k * 7) % 24);
            r[C] = rnd();
            snprintf(name, sizeof name, "xadd%d", sz * 8);
            vec(name, b, n, r, flg(k), ALL, 0);
            n = pfx(b, sz, 0);
            b[n++] = 0x0f;
            b[n++] = sz == 1 ? 0xb0 : 0xb1;
            b[n++] = 0xcb; /* cmpxchg rbx, rcx */
            if (k & 1) r[B] = (r[B] & ~wmask(sz)) | (r[A] & wmask(sz));
            snprintf(name, sizeof name, "cmpxchg%d", sz * 8);
            vec(name, b, n, r, flg(k), ALL, 0);
        }
    }
}

/* LEA forms (no flags: ALL). No RSP/RBP/RIP bases: those differ between host and test. */
static void gen_lea(void) {
    uint64_t r[6];
    static const struct {
        const char *name;
        uint8_t len, b[10];
    } F[] = {
        {"lea64_b_i4", 4, {0x48, 0x8d, 0x04, 0x8b}},
        {"lea64_b_i4_d8", 5, {0x48, 0x8d, 0x44, 0x8b, 0x80}},
        {"lea64_b_i8_d32", 8, {0x48, 0x8d, 0x84, 0xcb, 0x78, 0x56, 0x34, 0x12}},
        {"lea64_nobase_i8_d32", 8, {0x48, 0x8d, 0x04, 0xcd, 0x00, 0x01, 0x00, 0x80}},
        {"lea64_disp32", 8, {0x48, 0x8d, 0x04, 0x25, 0xf0, 0xff, 0xff, 0xff}},
        {"lea64_b_i1", 4, {0x48, 0x8d, 0x1c, 0x33}},
        {"lea64_si_d8", 4, {0x48, 0x8d, 0x46, 0x08}},
        {"lea64_di_d32", 7, {0x48, 0x8d, 0x87, 0x00, 0x00, 0x00, 0x80}},
        {"lea32_b_i4", 3, {0x8d, 0x04, 0x8b}},
        {"lea16_b_i4", 4, {0x66, 0x8d, 0x04, 0x8b}},
        {"lea64_a32_b_i4", 5, {0x67, 0x48, 0x8d, 0x04, 0x8b}},
        {"lea32_a32_b_d8", 4, {0x67, 0x8d, 0x43, 0x7f}},
        {"lea64_b_i2_d8_noidx", 5, {0x48, 0x8d, 0x44, 0x23, 0x10}}, /* index 100 = none */
    };
    for (unsigned f = 0; f < sizeof F / sizeof F[0]; f++) {
        for (int k = 0; k < 12; k++) {
            zero(r);
            for (int i = 0; i < 6; i++) r[i] = k < 4 ? (uint64_t) (k * 0x7fffffff) : rnd();
            vec(F[f].name, F[f].b, F[f].len, r, flg(k), ALL, 0);
        }
    }
}

/* SAHF loads SF ZF AF PF CF from AH (OF unaffected: defined); LAHF changes no flags. */
static void gen_lahf(void) {
    uint8_t b[2];
    uint64_t r[6];
    if (!has_lahf) {
        fprintf(stderr, "host lacks LAHF/SAHF in 64-bit mode: skipped\n");
        return;
    }
    for (int k = 0; k < 48; k++) {
        zero(r);
        r[A] = rnd();
        if (k < 32) r[A] = (r[A] & ~0xff00ULL) | (uint64_t) (k * 8 + (k & 7)) << 8;
        b[0] = 0x9e;
        vec("sahf", b, 1, r, flg(k), ALL, 0);
        b[0] = 0x9f;
        vec("lahf", b, 1, r, flg(k), ALL, 0);
    }
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    unsigned a, b, c, d;
    __cpuid(1, a, b, c, d);
    has_popcnt = c >> 23 & 1;
    __cpuid_count(7, 0, a, b, c, d);
    has_bmi1 = b >> 3 & 1;
    __cpuid(0x80000001, a, b, c, d);
    has_lzcnt = c >> 5 & 1;
    has_lahf = c & 1;

    buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fpe;
    sigaction(SIGFPE, &sa, NULL);

    char path[512];
    snprintf(path, sizeof path, "%s/div_fault.txt", dir);
    faults = fopen(path, "w");
    if (!faults) {
        perror(path);
        return 1;
    }
    fprintf(faults, "# generated by hw/src/test/c/gen_vectors.c: inputs that raised #DE (SIGFPE) natively\n");

    open_out(dir, "alu.txt");
    gen_alu();
    close_group();
    open_out(dir, "unary.txt");
    gen_unary();
    close_group();
    open_out(dir, "shift.txt");
    gen_shift();
    close_group();
    open_out(dir, "shxd.txt");
    gen_shxd();
    close_group();
    open_out(dir, "muldiv.txt");
    gen_muldiv();
    close_group();
    open_out(dir, "bit.txt");
    gen_bit();
    close_group();
    open_out(dir, "move.txt");
    gen_move();
    close_group();
    open_out(dir, "cond.txt");
    gen_cond();
    close_group();
    open_out(dir, "atomic.txt");
    gen_atomic();
    close_group();
    open_out(dir, "lea.txt");
    gen_lea();
    close_group();
    open_out(dir, "lahf.txt");
    gen_lahf();
    close_group();
    fclose(out);
    fclose(faults);
    return 0;
}

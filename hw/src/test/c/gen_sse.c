/*
 * gen_sse.c: records SSE/SSE2 test vectors from the host x86-64 CPU.
 *
 *     make -C hw/src/test/c ssevectors
 *
 * writes hw/src/test/resources/vectors/sse_*.txt. Operands come from a fixed-seed
 * xorshift generator, so the same host reproduces the files exactly. The Java side is
 * SseVectorsTest, which runs the same bytes on the simulated CPU.
 *
 * How a vector is made: the instruction bytes (hand-encoded in the tables below) are copied
 * into an mmap'd executable buffer followed by RET. The trampoline run_insn (top-level asm
 * below) loads XMM0, XMM1, RAX, RSI, RFLAGS and MXCSR from a State, calls the buffer, and
 * stores them back. Every form uses XMM0 (or EAX/RAX) as ModRM.reg and XMM1 (or EAX/RAX)
 * as ModRM.rm; the "_m" variants replace r/m by [RSI], which points at a 32-byte buffer
 * (at offset o, default 0, so o=8 makes a misaligned operand). A fault (SIGSEGV for
 * #GP, SIGFPE for an unmasked SIMD exception #XM) is caught with sigsetjmp/siglongjmp,
 * and the registers at the fault are read from the signal context.
 *
 * Line format (numbers hex; a = XMM0, b = XMM1 as 128-bit numbers, m = the 16 bytes at
 * RSI as a little-endian 128-bit number, r = RAX, f = RFLAGS, mx = MXCSR):
 *
 *     <name> <bytes> mx=.. f=.. a=.. b=.. [r=..] [m=..] [o=..] -> <changed fields>
 *     <name> <bytes> ... -> #GP | #XM mx=..
 *
 * The output lists only the fields that differ from the input; every other field (and
 * memory) must be unchanged. After a #XM, mx is the MXCSR the handler sees.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

typedef struct {
    uint64_t a[2];      /* 0: xmm0 */
    uint64_t b[2];      /* 16: xmm1 */
    uint64_t rax;       /* 32 */
    uint64_t rsi;       /* 40 */
    uint64_t flags;     /* 48 */
    uint32_t mxcsr;     /* 56 */
    uint32_t pad;
    uint64_t code;      /* 64: address of the instruction buffer */
} State;

__asm__(
    ".text\n"
    ".globl run_insn\n"
    "run_insn:\n"
    "  push %rbx\n"
    "  push %rbp\n"
    "  mov %rdi, %rbp\n"
    "  movdqu 0(%rbp), %xmm0\n"
    "  movdqu 16(%rbp), %xmm1\n"
    "  mov 32(%rbp), %rax\n"
    "  mov 40(%rbp), %rsi\n"
    "  ldmxcsr 56(%rbp)\n"
    "  pushq 48(%rbp)\n"
    "  popfq\n"
    "  call *64(%rbp)\n"
    "  pushfq\n"
    "  popq 48(%rbp)\n"
    "  stmxcsr 56(%rbp)\n"
    "  mov %rax, 32(%rbp)\n"
    "  movdqu %xmm0, 0(%rbp)\n"
    "  movdqu %xmm1, 16(%rbp)\n"
    "  sub $8, %rsp\n"
    "  movl $0x1f80, (%rsp)\n"
    "  ldmxcsr (%rsp)\n"
    "  add $8, %rsp\n"
    "  pop %rbp\n"
    "  pop %rbx\n"
    "  ret\n");
void run_insn(State *s);

static uint8_t *code;
static sigjmp_buf jb;
static volatile int fault_sig;
static volatile uint32_t fault_mxcsr;
static volatile uint64_t fault_xmm[4];
static uint64_t seed = 0x5353455f76656373ULL; /* fixed: reproducible */
static _Alignas(16) uint8_t membuf[64];

static uint64_t rnd(void) {
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return seed * 0x2545F4914F6CDD1DULL;
}

static void on_fault(int sig, siginfo_t *si, void *ctx) {
    (void) si;
    ucontext_t *uc = ctx;
    fault_sig = sig;
    fault_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    memcpy((void *) fault_xmm, uc->uc_mcontext.fpregs->_xmm, 32);
    siglongjmp(jb, 1);
}

/* ------------------------------------------------------------------ operand pools */

static const uint32_t F32[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0xc0200000, 0x40600000,
    0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000, 0x00800000, 0x80800000, 0x00800001,
    0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0xffc54321,
    0x7f800001, 0xff812345, 0x7fa00abc, 0x3f800001, 0x3f7fffff, 0x4b000001, 0x4b7fffff, 0x3effffff,
    0x4f000000, 0x4effffff, 0xcf000000, 0xcf000001, 0x5f000000, 0xdf000000, 0x5effffff, 0x3f000000,
    0xbf000000, 0x3eaaaaab, 0x40490fdb, 0x7e800000, 0x01000000, 0x0c000000, 0x1f800000, 0x60000000,
};
static const uint64_t F64[] = {
    0, 0x8000000000000000ULL, 0x3ff0000000000000ULL, 0xbff0000000000000ULL, 0x3ff8000000000000ULL,
    0x4004000000000000ULL, 0xc004000000000000ULL, 0x400c000000000000ULL, 1, 0x8000000000000001ULL,
    0x000fffffffffffffULL, 0x800fffffffffffffULL, 0x0008000000000000ULL, 0x0010000000000000ULL,
    0x8010000000000000ULL, 0x0010000000000001ULL, 0x7fefffffffffffffULL, 0xffefffffffffffffULL,
    0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x7ff8000000000000ULL, 0xfff8000000000000ULL,
    0x7ff8000000012345ULL, 0xfffc000000054321ULL, 0x7ff0000000000001ULL, 0xfff0000000012345ULL,
    0x7ff4000000000abcULL, 0x3ff0000000000001ULL, 0x3fefffffffffffffULL, 0x4330000000000001ULL,
    0x41e0000000000000ULL, 0x41dfffffffffffffULL, 0xc1e0000000000000ULL, 0xc1e0000000200000ULL,
    0x43e0000000000000ULL, 0xc3e0000000000000ULL, 0x43dfffffffffffffULL, 0x3fe0000000000000ULL,
    0xbfe0000000000000ULL, 0x3fd5555555555555ULL, 0x400921fb54442d18ULL, 0x47efffffe0000000ULL,
    0x47efffff00000000ULL, 0x36a0000000000000ULL, 0x3690000000000000ULL, 0x380fffffe0000000ULL,
    0x3810000000000000ULL, 0x380ffffff0000000ULL, 0x36a8000000000000ULL, 0x41dfffffffc00000ULL,
    0x0020000000000000ULL, 0x7fe0000000000000ULL, 0x2000000000000000ULL, 0x5ff0000000000000ULL,
};
static const uint32_t I32[] = {0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x7fff, 0x8000, 0xffff8000,
                               0x80, 0x7f, 0xff, 0x1000000, 0x1000001, 0x7fffffc0, 0xffffff7f};
#define N(a) ((int) (sizeof(a) / sizeof((a)[0])))

/* A random float: often from the pool, else a random sign/exponent near 1 or random bits. */
static uint32_t rf32(void) {
    uint64_t r = rnd();
    switch (r % 4) {
    case 0: return F32[(r >> 8) % N(F32)];
    case 1: return (uint32_t) (r >> 16);
    default: return (uint32_t) ((r >> 32) & 0x807fffff) | (uint32_t) ((112 + (r >> 8) % 32) << 23);
    }
}

static uint64_t rf64(void) {
    uint64_t r = rnd();
    switch (r % 4) {
    case 0: return F64[(r >> 8) % N(F64)];
    case 1: return rnd();
    default: return (rnd() & 0x800fffffffffffffULL) | ((1008 + (r >> 8) % 32) << 52);
    }
}

static uint32_t ri32(void) {
    uint64_t r = rnd();
    return r % 3 == 0 ? I32[(r >> 8) % N(I32)] : (uint32_t) (r >> 20);
}

/* Element kinds of the operands a form consumes. */
enum { K_BITS, K_F32, K_F64, K_I32, K_I16, K_SHIFT };

static uint64_t rq(int kind) {
    switch (kind) {
    case K_F32: return rf32() | (uint64_t) rf32() << 32;
    case K_F64: return rf64();
    case K_I32: return ri32() | (uint64_t) ri32() << 32;
    case K_I16: {
        uint64_t v = rnd();
        for (int k = 0; k < 4; k++) {
            if (rnd() % 3 == 0) {
                static const uint16_t S[] = {0, 0x7fff, 0x8000, 0xffff, 0x80, 0x7f, 0xff, 1, 0x100};
                v = (v & ~(0xffffULL << 16 * k)) | (uint64_t) S[rnd() % 9] << 16 * k;
            }
        }
        return v;
    }
    default: return rnd();
    }
}

/* ------------------------------------------------------------------ forms */

enum {
    F_MEM = 1,      /* also emit a [rsi] variant: the last ModRM byte becomes 06/0x ... */
    F_MEMONLY = 2,  /* only the [rsi] variant exists (MOVLPS and friends) */
    F_IMM = 4,      /* a random imm8 follows */
    F_IMM8 = 8,     /* imm8 = 0..7 (compare predicate), cycled */
    F_RC = 16,      /* sweep MXCSR rounding modes, FTZ and DAZ */
    F_GPR = 32,     /* RAX is an operand: print r */
    F_FLAGS = 64,   /* writes RFLAGS */
    F_SHCNT = 128,  /* b is a shift count */
};

typedef struct {
    const char *name;
    const char *hex; /* without the imm8; ModRM is the last byte */
    int kind;
    int flags;
} Form;

#define FP (F_MEM | F_RC)
static const Form MOVE[] = {
    {"movups_ld", "0f10c1", K_BITS, F_MEM}, {"movups_st", "0f11c1", K_BITS, F_MEM},
    {"movupd_ld", "660f10c1", K_BITS, F_MEM}, {"movupd_st", "660f11c1", K_BITS, F_MEM},
    {"movss_ld", "f30f10c1", K_BITS, F_MEM}, {"movss_st", "f30f11c1", K_BITS, F_MEM},
    {"movsd_ld", "f20f10c1", K_BITS, F_MEM}, {"movsd_st", "f20f11c1", K_BITS, F_MEM},
    {"movaps_ld", "0f28c1", K_BITS, F_MEM}, {"movaps_st", "0f29c1", K_BITS, F_MEM},
    {"movapd_ld", "660f28c1", K_BITS, F_MEM}, {"movapd_st", "660f29c1", K_BITS, F_MEM},
    {"movdqa_ld", "660f6fc1", K_BITS, F_MEM}, {"movdqa_st", "660f7fc1", K_BITS, F_MEM},
    {"movdqu_ld", "f30f6fc1", K_BITS, F_MEM}, {"movdqu_st", "f30f7fc1", K_BITS, F_MEM},
    {"movntps", "0f2b06", K_BITS, F_MEMONLY}, {"movntpd", "660f2b06", K_BITS, F_MEMONLY},
    {"movntdq", "660fe706", K_BITS, F_MEMONLY},
    {"movhlps", "0f12c1", K_BITS, 0}, {"movlhps", "0f16c1", K_BITS, 0},
    {"movlps_ld", "0f1206", K_BITS, F_MEMONLY}, {"movlps_st", "0f1306", K_BITS, F_MEMONLY},
    {"movhps_ld", "0f1606", K_BITS, F_MEMONLY}, {"movhps_st", "0f1706", K_BITS, F_MEMONLY},
    {"movlpd_ld", "660f1206", K_BITS, F_MEMONLY}, {"movlpd_st", "660f1306", K_BITS, F_MEMONLY},
    {"movhpd_ld", "660f1606", K_BITS, F_MEMONLY}, {"movhpd_st", "660f1706", K_BITS, F_MEMONLY},
    {"movmskps", "0f50c1", K_F32, F_GPR}, {"movmskpd", "660f50c1", K_F64, F_GPR},
    {"pmovmskb", "660fd7c1", K_BITS, F_GPR},
    {"movd_to", "660f6ec0", K_BITS, F_GPR | F_MEM}, {"movq_to", "66480f6ec0", K_BITS, F_GPR | F_MEM},
    {"movd_from", "660f7ec0", K_BITS, F_GPR | F_MEM}, {"movq_from", "66480f7ec0", K_BITS, F_GPR | F_MEM},
    {"movq_ld", "f30f7ec1", K_BITS, F_MEM}, {"movq_st", "660fd6c1", K_BITS, F_MEM},
    {"pinsrw", "660fc4c0", K_BITS, F_GPR | F_MEM | F_IMM}, {"pextrw", "660fc5c1", K_BITS, F_GPR | F_IMM},
    {"movss_rex", "f3440f10c1", K_BITS, 0}, {"movsd_66f2", "66f20f10c1", K_BITS, 0},
    {"movss_f2f3", "f2f30f10c1", K_BITS, 0},
    {"andps", "0f54c1", K_BITS, F_MEM}, {"andnps", "0f55c1", K_BITS, F_MEM},
    {"orps", "0f56c1", K_BITS, F_MEM}, {"xorps", "0f57c1", K_BITS, F_MEM},
    {"andpd", "660f54c1", K_BITS, F_MEM}, {"andnpd", "660f55c1", K_BITS, F_MEM},
    {"orpd", "660f56c1", K_BITS, F_MEM}, {"xorpd", "660f57c1", K_BITS, F_MEM},
    {"pand", "660fdbc1", K_BITS, F_MEM}, {"pandn", "660fdfc1", K_BITS, F_MEM},
    {"por", "660febc1", K_BITS, F_MEM}, {"pxor", "660fefc1", K_BITS, F_MEM},
    {NULL, NULL, 0, 0}};

static const Form INT[] = {
    {"paddb", "660ffcc1", K_I16, F_MEM}, {"paddw", "660ffdc1", K_I16, F_MEM},
    {"paddd", "660ffec1", K_I32, F_MEM}, {"paddq", "660fd4c1", K_I32, F_MEM},
    {"psubb", "660ff8c1", K_I16, F_MEM}, {"psubw", "660ff9c1", K_I16, F_MEM},
    {"psubd", "660ffac1", K_I32, F_MEM}, {"psubq", "660ffbc1", K_I32, F_MEM},
    {"paddsb", "660fecc1", K_I16, F_MEM}, {"paddsw", "660fedc1", K_I16, F_MEM},
    {"paddusb", "660fdcc1", K_I16, F_MEM}, {"paddusw", "660fddc1", K_I16, F_MEM},
    {"psubsb", "660fe8c1", K_I16, F_MEM}, {"psubsw", "660fe9c1", K_I16, F_MEM},
    {"psubusb", "660fd8c1", K_I16, F_MEM}, {"psubusw", "660fd9c1", K_I16, F_MEM},
    {"pmullw", "660fd5c1", K_I16, F_MEM}, {"pmulhw", "660fe5c1", K_I16, F_MEM},
    {"pmulhuw", "660fe4c1", K_I16, F_MEM}, {"pmuludq", "660ff4c1", K_I32, F_MEM},
    {"pmaddwd", "660ff5c1", K_I16, F_MEM},
    {"pcmpeqb", "660f74c1", K_I16, F_MEM}, {"pcmpeqw", "660f75c1", K_I16, F_MEM},
    {"pcmpeqd", "660f76c1", K_I32, F_MEM}, {"pcmpgtb", "660f64c1", K_I16, F_MEM},
    {"pcmpgtw", "660f65c1", K_I16, F_MEM}, {"pcmpgtd", "660f66c1", K_I32, F_MEM},
    {"pminub", "660fdac1", K_I16, F_MEM}, {"pmaxub", "660fdec1", K_I16, F_MEM},
    {"pminsw", "660feac1", K_I16, F_MEM}, {"pmaxsw", "660feec1", K_I16, F_MEM},
    {"pavgb", "660fe0c1", K_I16, F_MEM}, {"pavgw", "660fe3c1", K_I16, F_MEM},
    {"psadbw", "660ff6c1", K_I16, F_MEM},
    {"punpcklbw", "660f60c1", K_BITS, F_MEM}, {"punpcklwd", "660f61c1", K_BITS, F_MEM},
    {"punpckldq", "660f62c1", K_BITS, F_MEM}, {"punpcklqdq", "660f6cc1", K_BITS, F_MEM},
    {"punpckhbw", "660f68c1", K_BITS, F_MEM}, {"punpckhwd", "660f69c1", K_BITS, F_MEM},
    {"punpckhdq", "660f6ac1", K_BITS, F_MEM}, {"punpckhqdq", "660f6dc1", K_BITS, F_MEM},
    {"packsswb", "660f63c1", K_I16, F_MEM}, {"packssdw", "660f6bc1", K_I32, F_MEM},
    {"packuswb", "660f67c1", K_I16, F_MEM},
    {"pshufd", "660f70c1", K_BITS, F_MEM | F_IMM}, {"pshufhw", "f30f70c1", K_BITS, F_MEM | F_IMM},
    {"pshuflw", "f20f70c1", K_BITS, F_MEM | F_IMM},
    {"shufps", "0fc6c1", K_BITS, F_MEM | F_IMM}, {"shufpd", "660fc6c1", K_BITS, F_MEM | F_IMM},
    {"unpcklps", "0f14c1", K_BITS, F_MEM}, {"unpckhps", "0f15c1", K_BITS, F_MEM},
    {"unpcklpd", "660f14c1", K_BITS, F_MEM}, {"unpckhpd", "660f15c1", K_BITS, F_MEM},
    {"psrlw_i", "660f71d0", K_BITS, F_IMM}, {"psraw_i", "660f71e0", K_BITS, F_IMM},
    {"psllw_i", "660f71f0", K_BITS, F_IMM}, {"psrld_i", "660f72d0", K_BITS, F_IMM},
    {"psrad_i", "660f72e0", K_BITS, F_IMM}, {"pslld_i", "660f72f0", K_BITS, F_IMM},
    {"psrlq_i", "660f73d0", K_BITS, F_IMM}, {"psrldq_i", "660f73d8", K_BITS, F_IMM},
    {"psllq_i", "660f73f0", K_BITS, F_IMM}, {"pslldq_i", "660f73f8", K_BITS, F_IMM},
    {"psrlw", "660fd1c1", K_BITS, F_MEM | F_SHCNT}, {"psrld", "660fd2c1", K_BITS, F_MEM | F_SHCNT},
    {"psrlq", "660fd3c1", K_BITS, F_MEM | F_SHCNT}, {"psraw", "660fe1c1", K_BITS, F_MEM | F_SHCNT},
    {"psrad", "660fe2c1", K_BITS, F_MEM | F_SHCNT}, {"psllw", "660ff1c1", K_BITS, F_MEM | F_SHCNT},
    {"pslld", "660ff2c1", K_BITS, F_MEM | F_SHCNT}, {"psllq", "660ff3c1", K_BITS, F_MEM | F_SHCNT},
    {"pxor_rex", "66450fefc1", K_BITS, 0},
    {NULL, NULL, 0, 0}};

static const Form ARITH[] = {
    {"addps", "0f58c1", K_F32, FP}, {"addpd", "660f58c1", K_F64, FP},
    {"addss", "f30f58c1", K_F32, FP}, {"addsd", "f20f58c1", K_F64, FP},
    {"subps", "0f5cc1", K_F32, FP}, {"subpd", "660f5cc1", K_F64, FP},
    {"subss", "f30f5cc1", K_F32, FP}, {"subsd", "f20f5cc1", K_F64, FP},
    {"mulps", "0f59c1", K_F32, FP}, {"mulpd", "660f59c1", K_F64, FP},
    {"mulss", "f30f59c1", K_F32, FP}, {"mulsd", "f20f59c1", K_F64, FP},
    {"divps", "0f5ec1", K_F32, FP}, {"divpd", "660f5ec1", K_F64, FP},
    {"divss", "f30f5ec1", K_F32, FP}, {"divsd", "f20f5ec1", K_F64, FP},
    {"minps", "0f5dc1", K_F32, FP}, {"minpd", "660f5dc1", K_F64, FP},
    {"minss", "f30f5dc1", K_F32, FP}, {"minsd", "f20f5dc1", K_F64, FP},
    {"maxps", "0f5fc1", K_F32, FP}, {"maxpd", "660f5fc1", K_F64, FP},
    {"maxss", "f30f5fc1", K_F32, FP}, {"maxsd", "f20f5fc1", K_F64, FP},
    {"sqrtps", "0f51c1", K_F32, FP}, {"sqrtpd", "660f51c1", K_F64, FP},
    {"sqrtss", "f30f51c1", K_F32, FP}, {"sqrtsd", "f20f51c1", K_F64, FP},
    {NULL, NULL, 0, 0}};

static const Form CMP[] = {
    {"cmpps", "0fc2c1", K_F32, FP | F_IMM8}, {"cmppd", "660fc2c1", K_F64, FP | F_IMM8},
    {"cmpss", "f30fc2c1", K_F32, FP | F_IMM8}, {"cmpsd", "f20fc2c1", K_F64, FP | F_IMM8},
    {"ucomiss", "0f2ec1", K_F32, FP | F_FLAGS}, {"ucomisd", "660f2ec1", K_F64, FP | F_FLAGS},
    {"comiss", "0f2fc1", K_F32, FP | F_FLAGS}, {"comisd", "660f2fc1", K_F64, FP | F_FLAGS},
    {NULL, NULL, 0, 0}};

static const Form CVT[] = {
    {"cvtsi2ss", "f30f2ac0", K_I32, FP | F_GPR}, {"cvtsi2ss_q", "f3480f2ac0", K_I32, FP | F_GPR},
    {"cvtsi2sd", "f20f2ac0", K_I32, FP | F_GPR}, {"cvtsi2sd_q", "f2480f2ac0", K_I32, FP | F_GPR},
    {"cvttss2si", "f30f2cc1", K_F32, FP | F_GPR}, {"cvttss2si_q", "f3480f2cc1", K_F32, FP | F_GPR},
    {"cvttsd2si", "f20f2cc1", K_F64, FP | F_GPR}, {"cvttsd2si_q", "f2480f2cc1", K_F64, FP | F_GPR},
    {"cvtss2si", "f30f2dc1", K_F32, FP | F_GPR}, {"cvtss2si_q", "f3480f2dc1", K_F32, FP | F_GPR},
    {"cvtsd2si", "f20f2dc1", K_F64, FP | F_GPR}, {"cvtsd2si_q", "f2480f2dc1", K_F64, FP | F_GPR},
    {"cvtss2sd", "f30f5ac1", K_F32, FP}, {"cvtsd2ss", "f20f5ac1", K_F64, FP},
    {"cvtps2pd", "0f5ac1", K_F32, FP}, {"cvtpd2ps", "660f5ac1", K_F64, FP},
    {"cvtdq2ps", "0f5bc1", K_I32, FP}, {"cvtps2dq", "660f5bc1", K_F32, FP},
    {"cvttps2dq", "f30f5bc1", K_F32, FP}, {"cvtdq2pd", "f30fe6c1", K_I32, FP},
    {"cvtpd2dq", "f20fe6c1", K_F64, FP}, {"cvttpd2dq", "660fe6c1", K_F64, FP},
    {NULL, NULL, 0, 0}};

/* ------------------------------------------------------------------ running */

static int parse_hex(const char *hex, uint8_t *out) {
    int n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned v;
        sscanf(hex, "%2x", &v);
        out[n++] = (uint8_t) v;
    }
    return n;
}

static void p128(FILE *f, const char *key, const uint64_t *v) {
    fprintf(f, " %s=%016llx%016llx", key, (unsigned long long) v[1], (unsigned long long) v[0]);
}

/* Runs one vector and prints its line. mem: whether r/m is [rsi]; off: rsi offset. */
static void emit(FILE *f, const char *name, const uint8_t *insn, int n, int fl, State *s, int mem, int off) {
    uint64_t m0[2], m1[2];
    memset(membuf, 0, sizeof membuf);
    if (mem) {
        memcpy(membuf + off, &s->b[0], 8);
        memcpy(membuf + off + 8, &s->b[1], 8);
        s->b[0] = rnd(); /* xmm1 is not an operand here; it must stay unchanged */
        s->b[1] = rnd();
    }
    memcpy(m0, membuf + off, 16);
    s->rsi = (uint64_t) (membuf + off);
    State in = *s;

    fprintf(f, "%s%s ", name, mem ? "_m" : "");
    for (int i = 0; i < n; i++) {
        fprintf(f, "%02x", insn[i]);
    }
    fprintf(f, " mx=%x f=%llx", in.mxcsr, (unsigned long long) in.flags);
    p128(f, "a", in.a);
    p128(f, "b", in.b);
    if (fl & F_GPR) {
        fprintf(f, " r=%llx", (unsigned long long) in.rax);
    }
    if (mem) {
        p128(f, "m", m0);
        if (off) {
            fprintf(f, " o=%x", off);
        }
    }
    fprintf(f, " ->");

    memcpy(code, insn, n);
    code[n] = 0xc3;
    s->code = (uint64_t) code;
    fault_sig = 0;
    if (sigsetjmp(jb, 1) == 0) {
        run_insn(s);
    }
    if (fault_sig) {
        if (fault_sig == SIGSEGV || fault_sig == SIGBUS) {
            fprintf(f, " #GP\n");
        } else {
            fprintf(f, " #XM mx=%x", fault_mxcsr);
            /* the destination must be unchanged: check it against the context */
            if (memcmp((void *) fault_xmm, in.a, 16) != 0) {
                p128(f, "a", (uint64_t *) fault_xmm);
            }
            fprintf(f, "\n");
        }
        return;
    }
    memcpy(m1, membuf + off, 16);
    if (memcmp(s->a, in.a, 16)) {
        p128(f, "a", s->a);
    }
    if (memcmp(s->b, in.b, 16)) {
        p128(f, "b", s->b);
    }
    if (s->rax != in.rax) {
        fprintf(f, " r=%llx", (unsigned long long) s->rax);
    }
    if (memcmp(m0, m1, 16)) {
        p128(f, "m", m1);
    }
    if (s->mxcsr != in.mxcsr) {
        fprintf(f, " mx=%x", s->mxcsr);
    }
    if (s->flags != in.flags) {
        fprintf(f, " f=%llx", (unsigned long long) s->flags);
    }
    fprintf(f, "\n");
}

static const uint32_t MODES[] = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0xdfc0, 0x3fc0};

static void fill(State *s, const Form *fm) {
    s->a[0] = rq(fm->kind);
    s->a[1] = rq(fm->kind);
    s->b[0] = rq(fm->kind);
    s->b[1] = rq(fm->kind);
    if (fm->flags & F_SHCNT) {
        uint64_t r = rnd();
        s->b[0] = r % 4 == 0 ? r : r % 4 == 1 ? (r >> 8) % 80 : (r >> 8) % 17;
    }
    s->rax = (fm->flags & F_GPR) && fm->kind == K_I32 && rnd() % 2 ? (uint64_t) (int64_t) (int32_t) ri32()
             : rnd() % 3 == 0 ? rq(K_I32) : rnd();
    if (fm->kind == K_I32 && (fm->flags & F_GPR) && rnd() % 4 == 0) {
        static const uint64_t Q[] = {0x8000000000000000ULL, 0x7fffffffffffffffULL, 0x20000000000001ULL,
                                     0x1000001, 0x7fffffffffffff80ULL, 0xffffffffffffffffULL};
        s->rax = Q[rnd() % 6];
    }
    s->flags = 0x202 | (rnd() & 0x8d5);
    s->mxcsr = 0x1f80;
}

static void gen(FILE *f, const Form *forms, int count) {
    uint8_t insn[16];
    for (const Form *fm = forms; fm->name; fm++) {
        int base = parse_hex(fm->hex, insn);
        int variants = (fm->flags & F_MEMONLY) ? 1 : (fm->flags & F_MEM) ? 2 : 1;
        for (int v = 0; v < variants; v++) {
            int mem = (fm->flags & F_MEMONLY) || v == 1;
            int total = v == 1 ? count / 3 : count;
            for (int i = 0; i < total; i++) {
                State s;
                fill(&s, fm);
                int n = base;
                if (mem) {
                    insn[base - 1] = (insn[base - 1] & 0x38) | 0x06;
                }
                if (fm->flags & F_IMM8) {
                    insn[n++] = (uint8_t) (i % 8 | (i % 24 == 23 ? 0xf8 : 0));
                } else if (fm->flags & F_IMM) {
                    uint64_t r = rnd();
                    insn[n++] = (uint8_t) (r % 3 == 0 ? (r >> 8) % 20 : r >> 16);
                }
                if (fm->flags & F_RC) {
                    s.mxcsr = MODES[(i / 8) % 8];
                    if (i % 5 == 0) {
                        s.mxcsr |= rnd() & 0x3f; /* sticky flags already set */
                    }
                }
                emit(f, fm->name, insn, n, fm->flags, &s, mem, 0);
                if (mem) {
                    parse_hex(fm->hex, insn);
                }
            }
        }
    }
}

/* The same operands under every rounding mode: the directed-rounding cases. */
static void gen_rc(FILE *f, const Form *forms, int count) {
    uint8_t insn[16];
    for (const Form *fm = forms; fm->name; fm++) {
        if (!(fm->flags & F_RC) || (fm->flags & F_IMM8) || (fm->flags & F_FLAGS)) {
            continue;
        }
        int n = parse_hex(fm->hex, insn);
        for (int i = 0; i < count; i++) {
            State s0;
            fill(&s0, fm);
            for (int rc = 0; rc < 4; rc++) {
                State s = s0;
                s.mxcsr = 0x1f80 | rc << 13;
                char name[64];
                snprintf(name, sizeof name, "%s_rc%d", fm->name, rc);
                emit(f, name, insn, n, fm->flags, &s, 0, 0);
            }
        }
    }
}

/* Faults: misaligned 128-bit operands (#GP) and unmasked exceptions (#XM). */
static void gen_faults(FILE *f) {
    static const Form AL[] = {
        {"movaps_ld", "0f2806", K_BITS, 0}, {"movaps_st", "0f2906", K_BITS, 0},
        {"movdqa_ld", "660f6f06", K_BITS, 0}, {"movdqa_st", "660f7f06", K_BITS, 0},
        {"movups_ld", "0f1006", K_BITS, 0}, {"movdqu_st", "f30f7f06", K_BITS, 0},
        {"pxor", "660fef06", K_BITS, 0}, {"addps", "0f5806", K_F32, 0},
        {"addss", "f30f5806", K_F32, 0}, {"movsd_ld", "f20f1006", K_BITS, 0},
        {"movlps_ld", "0f1206", K_BITS, 0}, {"cvtps2pd", "0f5a06", K_F32, 0},
        {"cvtdq2pd", "f30fe606", K_I32, 0}, {"punpcklbw", "660f6006", K_BITS, 0},
        {"pshufd", "660f700600", K_BITS, 0}, {"comisd", "660f2f06", K_F64, 0},
        {NULL, NULL, 0, 0}};
    uint8_t insn[16];
    for (const Form *fm = AL; fm->name; fm++) {
        int n = parse_hex(fm->hex, insn);
        for (int i = 0; i < 3; i++) {
            State s;
            fill(&s, fm);
            char name[64];
            snprintf(name, sizeof name, "align_%s", fm->name);
            emit(f, name, insn, n, 0, &s, 1, 8 >> i);
        }
    }
    static const Form *SETS[] = {ARITH, CMP, CVT};
    for (int k = 0; k < 3; k++) {
        for (const Form *fm = SETS[k]; fm->name; fm++) {
            int base = parse_hex(fm->hex, insn);
            for (int i = 0; i < 24; i++) {
                State s;
                fill(&s, fm);
                int n = base;
                if (fm->flags & F_IMM8) {
                    insn[n++] = (uint8_t) (i % 8);
                }
                /* unmask one exception (or all), on top of a random rounding mode */
                uint32_t masks = i % 7 == 6 ? 0 : 0x1f80 & ~(0x80u << (i % 6));
                s.mxcsr = masks | (rnd() & 0x6000);
                char name[64];
                snprintf(name, sizeof name, "xm_%s", fm->name);
                emit(f, name, insn, n, fm->flags, &s, 0, 0);
            }
        }
    }
}

static FILE *open_out(const char *dir, const char *file) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fprintf(f, "# generated by hw/src/test/c/gen_sse.c on the host CPU; do not edit\n");
    return f;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    FILE *f = open_out(dir, "sse_move.txt");
    gen(f, MOVE, 24);
    fclose(f);
    f = open_out(dir, "sse_int.txt");
    gen(f, INT, 48);
    fclose(f);
    f = open_out(dir, "sse_arith.txt");
    gen(f, ARITH, 96);
    gen_rc(f, ARITH, 12);
    fclose(f);
    f = open_out(dir, "sse_cmp.txt");
    gen(f, CMP, 96);
    fclose(f);
    f = open_out(dir, "sse_cvt.txt");
    gen(f, CVT, 96);
    gen_rc(f, CVT, 12);
    fclose(f);
    f = open_out(dir, "sse_fault.txt");
    gen_faults(f);
    fclose(f);
    return 0;
}

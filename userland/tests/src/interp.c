/* interp: a small stack-based bytecode interpreter running a few programs
 * (loops, calls, arithmetic), dispatching through a switch. */
#include <stdio.h>
#include <stdint.h>

enum { PUSH, POP, ADD, SUB, MUL, DIV, MOD, DUP, SWAP, OVER, JMP, JZ, JNZ, LT, CALL, RET, LOAD, STORE, PRINT, HALT };

static int64_t stack[256], vars[16];
static int rstack[64];

static long run(const int *code, int trace)
{
    int pc = 0, sp = 0, rp = 0;
    long steps = 0;
    for (;;) {
        int op = code[pc++];
        steps++;
        switch (op) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case POP: sp--; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case DIV: sp--; stack[sp - 1] /= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case SWAP: { int64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case OVER: stack[sp] = stack[sp - 2]; sp++; break;
        case JMP: pc = code[pc]; break;
        case JZ: sp--; pc = stack[sp] == 0 ? code[pc] : pc + 1; break;
        case JNZ: sp--; pc = stack[sp] != 0 ? code[pc] : pc + 1; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case CALL: rstack[rp++] = pc + 1; pc = code[pc]; break;
        case RET: pc = rstack[--rp]; break;
        case LOAD: stack[sp++] = vars[code[pc++]]; break;
        case STORE: vars[code[pc++]] = stack[--sp]; break;
        case PRINT: if (trace) printf("  out: %lld\n", (long long)stack[sp - 1]); sp--; break;
        case HALT: return steps;
        default: printf("bad op %d at %d\n", op, pc - 1); return -1;
        }
    }
}

static int code[512];
static int ncode;
static int here(void) { return ncode; }
static void e1(int op) { code[ncode++] = op; }
static void e2(int op, int arg) { code[ncode++] = op; code[ncode++] = arg; }
static int fwd(int op) { code[ncode++] = op; code[ncode++] = -1; return ncode - 1; }
static void patch(int at, int target) { code[at] = target; }

/* sum of i*i for i < 1000 */
static void build_sum(void)
{
    ncode = 0;
    e2(PUSH, 0); e2(STORE, 0); e2(PUSH, 0); e2(STORE, 1);
    int top = here();
    e2(LOAD, 1); e2(PUSH, 1000); e1(LT);
    int exit = fwd(JZ);
    e2(LOAD, 0); e2(LOAD, 1); e1(DUP); e1(MUL); e1(ADD); e2(STORE, 0);
    e2(LOAD, 1); e2(PUSH, 1); e1(ADD); e2(STORE, 1);
    e2(JMP, top);
    patch(exit, here());
    e2(LOAD, 0); e1(PRINT); e1(HALT);
}

/* gcd subroutine called on a few pairs */
static void build_gcd(void)
{
    static const int pairs[][2] = { { 1071, 462 }, { 1000000, 999999 }, { 270, 192 }, { 17, 0 }, { 0, 5 }, { 832040, 514229 } };
    ncode = 0;
    int calls[6];
    for (int i = 0; i < 6; i++) {
        e2(PUSH, pairs[i][0]); e2(PUSH, pairs[i][1]);
        calls[i] = fwd(CALL);
        e1(PRINT);
    }
    e1(HALT);
    int gcd = here();
    for (int i = 0; i < 6; i++)
        patch(calls[i], gcd);
    /* stack: a b */
    int loop = here();
    e1(DUP);
    int done = fwd(JZ);
    e1(SWAP); e1(OVER); e1(MOD);   /* b a%b */
    e2(JMP, loop);
    patch(done, here());
    e1(POP); e1(RET);
}

/* total collatz steps for n in 1..limit */
static void build_collatz(int limit)
{
    ncode = 0;
    e2(PUSH, 0); e2(STORE, 2); e2(PUSH, 1); e2(STORE, 0);
    int outer = here();
    e2(LOAD, 0); e2(PUSH, limit); e1(LT);
    int end = fwd(JZ);
    e2(LOAD, 0); e2(STORE, 1);
    int inner = here();
    e2(PUSH, 1); e2(LOAD, 1); e1(LT);          /* 1 < x ? */
    int next = fwd(JZ);
    e2(LOAD, 2); e2(PUSH, 1); e1(ADD); e2(STORE, 2);
    e2(LOAD, 1); e2(PUSH, 2); e1(MOD);
    int even = fwd(JZ);
    e2(LOAD, 1); e2(PUSH, 3); e1(MUL); e2(PUSH, 1); e1(ADD); e2(STORE, 1);
    e2(JMP, inner);
    patch(even, here());
    e2(LOAD, 1); e2(PUSH, 2); e1(DIV); e2(STORE, 1);
    e2(JMP, inner);
    patch(next, here());
    e2(LOAD, 0); e2(PUSH, 1); e1(ADD); e2(STORE, 0);
    e2(JMP, outer);
    patch(end, here());
    e2(LOAD, 2); e1(PRINT); e1(HALT);
}

int main(void)
{
    build_sum();
    long s1 = run(code, 1);
    printf("sum program: %d words, steps=%ld\n", ncode, s1);
    build_gcd();
    long s2 = run(code, 1);
    printf("gcd program: %d words, steps=%ld\n", ncode, s2);
    build_collatz(3000);
    long s3 = run(code, 1);
    printf("collatz program: %d words, steps=%ld\n", ncode, s3);
    return (int)((s1 + s2 + s3) % 256);
}

/* probe NAME: execute exactly one privileged operation from ring 3.
 *
 * Under a correct kernel every probe is killed by a signal:
 *   privileged instructions       -> #GP -> SIGSEGV
 *   kernel / unmapped / NX access -> #PF -> SIGSEGV
 *   ud2, stac, clac               -> #UD -> SIGILL
 *   div0                          -> #DE -> SIGFPE
 * If the operation returns, the probe reports it and exits 1.
 * `probe list` prints every NAME. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define KERNEL_TEXT   0xffffffff81000000UL   /* kernel image */
#define KERNEL_DIRECT 0xffff888000000000UL   /* direct map of physical memory */
#define COM1          0x3f8

struct descriptor_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void p_hlt(void)  { __asm__ volatile ("hlt"); }
static void p_cli(void)  { __asm__ volatile ("cli"); }
static void p_sti(void)  { __asm__ volatile ("sti"); }

static void p_in(void)
{
    uint8_t v;
    __asm__ volatile ("inb %%dx, %%al" : "=a"(v) : "d"((uint16_t)COM1));
}

static void p_out(void)
{
    __asm__ volatile ("outb %%al, %%dx" : : "a"((uint8_t)'X'), "d"((uint16_t)COM1));
}

static void p_ins(void)
{
    static uint8_t buf[16];
    void *dst = buf;
    __asm__ volatile ("insb" : "+D"(dst) : "d"((uint16_t)COM1) : "memory");
}

static void p_outs(void)
{
    static const uint8_t buf[16] = "X";
    const void *src = buf;
    __asm__ volatile ("outsb" : "+S"(src) : "d"((uint16_t)COM1) : "memory");
}

static void p_movcr0r(void)
{
    unsigned long v;
    __asm__ volatile ("mov %%cr0, %0" : "=r"(v));
}

static void p_movcr3w(void)
{
    __asm__ volatile ("mov %0, %%cr3" : : "r"(0UL) : "memory");
}

static void p_movcr4r(void)
{
    unsigned long v;
    __asm__ volatile ("mov %%cr4, %0" : "=r"(v));
}

static void p_rdmsr(void)
{
    uint32_t lo, hi;
    __asm__ volatile ("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xC0000082U));  /* IA32_LSTAR */
}

static void p_wrmsr(void)
{
    __asm__ volatile ("wrmsr" : : "c"(0xC0000082U), "a"(0U), "d"(0U) : "memory");
}

static void p_lgdt(void)
{
    static struct descriptor_ptr d = { 0, 0 };
    __asm__ volatile ("lgdt %0" : : "m"(d) : "memory");
}

static void p_lidt(void)
{
    static struct descriptor_ptr d = { 0, 0 };
    __asm__ volatile ("lidt %0" : : "m"(d) : "memory");
}

static void p_invlpg(void)
{
    static char page[1];
    __asm__ volatile ("invlpg %0" : : "m"(page[0]) : "memory");
}

static void p_swapgs(void) { __asm__ volatile ("swapgs" : : : "memory"); }

static void p_sysret(void)
{
    /* rcx = return rip, r11 = rflags for sysret; it must #GP at CPL 3 */
    __asm__ volatile ("lea 1f(%%rip), %%rcx\n\t"
                      "pushfq\n\t"
                      "pop %%r11\n\t"
                      ".byte 0x48, 0x0f, 0x07\n\t"    /* sysretq */
                      "1:"
                      : : : "rcx", "r11", "memory");
}

static void p_iretq(void)
{
    /* Frame for a return to ring 0: SS=0x18, RSP, RFLAGS, CS=0x10, RIP.
     * The first 128 bytes below rsp (red zone) are skipped. */
    __asm__ volatile ("sub $128, %%rsp\n\t"
                      "mov %%rsp, %%rax\n\t"
                      "pushq $0x18\n\t"
                      "pushq %%rax\n\t"
                      "pushfq\n\t"
                      "pushq $0x10\n\t"
                      "lea 1f(%%rip), %%rcx\n\t"
                      "pushq %%rcx\n\t"
                      "iretq\n"
                      "1:\n\t"
                      "add $128, %%rsp"
                      : : : "rax", "rcx", "memory", "cc");
}

static void p_kread(void)
{
    unsigned long v;
    __asm__ volatile ("movq (%1), %0" : "=r"(v) : "r"(KERNEL_TEXT) : "memory");
}

static void p_kwrite(void)
{
    __asm__ volatile ("movq %1, (%0)" : : "r"(KERNEL_TEXT), "r"(0x4141414141414141UL) : "memory");
}

static void p_kdirect(void)
{
    unsigned long v;
    __asm__ volatile ("movq (%1), %0" : "=r"(v) : "r"(KERNEL_DIRECT) : "memory");
}

static void p_ud2(void) { __asm__ volatile ("ud2"); }
/* SMAP's AC-flag instructions are #UD at CPL > 0, whether or not the CPU has SMAP. */
static void p_stac(void) { __asm__ volatile (".byte 0x0f, 0x01, 0xcb"); }
static void p_clac(void) { __asm__ volatile (".byte 0x0f, 0x01, 0xca"); }

static void p_div0(void)
{
    volatile uint32_t divisor = 0;
    uint32_t lo = 1234, hi = 0, q = divisor;
    __asm__ volatile ("divl %2" : "+a"(lo), "+d"(hi) : "r"(q));
}

static void p_null(void)
{
    __asm__ volatile ("movq $0, (%0)" : : "r"(0UL) : "memory");
}

static void p_jmpkernel(void)
{
    void (*volatile fn)(void) = (void (*)(void))KERNEL_TEXT;
    fn();
    __asm__ volatile ("" : : : "memory");   /* keep the call a real call */
}

static void p_nx(void)
{
    /* A one-byte function ("ret") on the stack; the stack is NX. */
    volatile unsigned char code[16];
    void (*fn)(void);
    for (int i = 0; i < 16; i++)
        code[i] = 0xc3;
    fn = (void (*)(void))(uintptr_t)code;
    __asm__ volatile ("" : "+r"(fn) : : "memory");
    fn();
    __asm__ volatile ("" : : : "memory");
}

static const struct {
    const char *name;
    void (*run)(void);
} probes[] = {
    { "hlt", p_hlt },
    { "cli", p_cli },
    { "sti", p_sti },
    { "in", p_in },
    { "out", p_out },
    { "ins", p_ins },
    { "outs", p_outs },
    { "movcr0r", p_movcr0r },
    { "movcr3w", p_movcr3w },
    { "movcr4r", p_movcr4r },
    { "rdmsr", p_rdmsr },
    { "wrmsr", p_wrmsr },
    { "lgdt", p_lgdt },
    { "lidt", p_lidt },
    { "invlpg", p_invlpg },
    { "swapgs", p_swapgs },
    { "sysret", p_sysret },
    { "iretq", p_iretq },
    { "kread", p_kread },
    { "kwrite", p_kwrite },
    { "kdirect", p_kdirect },
    { "ud2", p_ud2 },
    { "stac", p_stac },
    { "clac", p_clac },
    { "div0", p_div0 },
    { "null", p_null },
    { "jmpkernel", p_jmpkernel },
    { "nx", p_nx },
};

#define NPROBES (sizeof probes / sizeof probes[0])

int main(int argc, char **argv)
{
    size_t i;

    if (argc != 2) {
        fprintf(stderr, "usage: probe NAME | probe list\n");
        return 2;
    }
    if (strcmp(argv[1], "list") == 0) {
        for (i = 0; i < NPROBES; i++)
            puts(probes[i].name);
        return 0;
    }
    for (i = 0; i < NPROBES; i++) {
        if (strcmp(argv[1], probes[i].name) == 0) {
            printf("probe: %s\n", probes[i].name);
            fflush(stdout);
            probes[i].run();
            printf("probe: %s did not fault\n", probes[i].name);
            return 1;
        }
    }
    fprintf(stderr, "probe: unknown probe %s\n", argv[1]);
    return 2;
}

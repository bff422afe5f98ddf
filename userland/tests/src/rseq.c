/* Restartable sequences (rseq(2)): registration and its errors, the CPU id the kernel
 * keeps, and a critical section aborted by a signal delivered inside it (a kill(2) to
 * self in the section: the handler runs, then the thread resumes at the abort handler),
 * which Linux and microlith must do alike. A fork keeps the registration. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define RSEQ_SIG 0x53053053
#define FLAG_UNREGISTER 1

struct rseq_area {
    uint32_t cpu_id_start;
    uint32_t cpu_id;
    uint64_t rseq_cs;
    uint32_t flags;
    uint32_t node_id;
    uint32_t mm_cid;
    char end[];
} __attribute__((aligned(32)));

struct rseq_cs {
    uint32_t version;
    uint32_t flags;
    uint64_t start_ip;
    uint64_t post_commit_offset;
    uint64_t abort_ip;
} __attribute__((aligned(32)));

static struct rseq_area area;
static struct rseq_cs cs;
static volatile int handled;

static long rseq_call(void *p, unsigned len, int flags, unsigned sig) {
    long r = syscall(334, p, len, flags, sig);
    return r < 0 ? -errno : r;
}

static void on_usr1(int sig) {
    (void)sig;
    handled++;
}

/* Runs a critical section that sends signo to itself in the middle; returns 1 when it
 * committed, 2 when it was aborted. The section and its abort handler (with the
 * signature word before it) are in the asm below. */
extern char cs_start[], cs_post[], cs_abort[];
static int run_section(int signo) {
    int outcome;
    cs.start_ip = (uint64_t)cs_start;
    cs.post_commit_offset = (uint64_t)(cs_post - cs_start);
    cs.abort_ip = (uint64_t)cs_abort;
    __asm__ volatile(
        "lea %[cs], %%rax\n\t"
        "mov %%rax, %[rcs]\n\t"
        ".globl cs_start\n"
        "cs_start:\n\t"
        "mov $62, %%eax\n\t"          /* kill(getpid(), signo) */
        "mov %[pid], %%edi\n\t"
        "mov %[sig], %%esi\n\t"
        "syscall\n\t"
        "movl $1, %[out]\n\t"
        ".globl cs_post\n"
        "cs_post:\n\t"
        "jmp 2f\n\t"
        ".long 0x53053053\n\t"
        ".globl cs_abort\n"
        "cs_abort:\n\t"
        "movl $2, %[out]\n"
        "2:\n\t"
        : [out] "=m"(outcome), [rcs] "=m"(area.rseq_cs)
        : [cs] "m"(cs), [pid] "r"((int)getpid()), [sig] "r"(signo)
        : "rax", "rdi", "rsi", "rcx", "r11", "memory");
    return outcome;
}

int main(void) {
    area.cpu_id = (uint32_t)-1;
    printf("register with a bad length: %ld\n", rseq_call(&area, 16, 0, RSEQ_SIG));
    printf("register misaligned: %ld\n", rseq_call((char *)&area + 8, 32, 0, RSEQ_SIG));
    printf("register with a bad flag: %ld\n", rseq_call(&area, 32, 2, RSEQ_SIG));
    printf("register at a kernel address: %ld\n", rseq_call((void *)0xffffffff81000000UL, 32, 0, RSEQ_SIG));
    printf("register: %ld\n", rseq_call(&area, 32, 0, RSEQ_SIG));
    printf("cpu_id is a CPU: %d, cpu_id_start equals it: %d\n", (int)area.cpu_id >= 0,
           area.cpu_id_start == area.cpu_id);
    printf("again: %ld\n", rseq_call(&area, 32, 0, RSEQ_SIG));
    printf("again with another signature: %ld\n", rseq_call(&area, 32, 0, RSEQ_SIG + 1));
    printf("again elsewhere: %ld\n", rseq_call(&cs, 32, 0, RSEQ_SIG));

    signal(SIGUSR1, on_usr1);
    int out = run_section(SIGUSR1);
    printf("signal inside the section: %s, handler ran %d, rseq_cs now %llu\n",
           out == 2 ? "aborted" : "committed", handled, (unsigned long long)area.rseq_cs);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    out = run_section(SIGUSR1);
    printf("blocked signal inside the section: %s, handler ran %d\n", out == 2 ? "aborted" : "committed", handled);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("after unblocking, handler ran %d\n", handled);
    area.rseq_cs = 0;

    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        printf("child: register again: %ld\n", rseq_call(&area, 32, 0, RSEQ_SIG));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);

    printf("unregister with another signature: %ld\n", rseq_call(&area, 32, FLAG_UNREGISTER, RSEQ_SIG + 1));
    printf("unregister another area: %ld\n", rseq_call(&cs, 32, FLAG_UNREGISTER, RSEQ_SIG));
    long un = rseq_call(&area, 32, FLAG_UNREGISTER, RSEQ_SIG);
    printf("unregister: %ld, cpu_id now %d\n", un, (int)area.cpu_id);
    printf("unregister twice: %ld\n", rseq_call(&area, 32, FLAG_UNREGISTER, RSEQ_SIG));
    return 0;
}

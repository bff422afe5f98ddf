/*
 * rseq(2) and preemption: a critical section that spins across timer ticks while another
 * process is runnable loses the CPU, and the kernel must resume it at its abort handler,
 * never after the section. With nobody else runnable a short section commits. Whether
 * and when the host preempts depends on its load and CPUs, so GuestProgramsTest checks
 * this program's output in microlith only.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct rseq_area {
	uint32_t cpu_id_start, cpu_id;
	uint64_t rseq_cs;
	uint32_t flags, node_id, mm_cid;
} __attribute__((aligned(32)));

struct rseq_cs {
	uint32_t version, flags;
	uint64_t start_ip, post_commit_offset, abort_ip;
} __attribute__((aligned(32)));

static struct rseq_area area;
static struct rseq_cs cs;

extern char spin_start[], spin_post[], spin_abort[];

/* Spins n times inside the section; returns 1 if it committed, 2 if aborted. */
static int section(long n)
{
	int out;
	__asm__ volatile(
		"lea %[cs], %%rax\n\t"
		"mov %%rax, %[rcs]\n\t"
		".globl spin_start\n"
		"spin_start:\n\t"
		"mov %[n], %%rcx\n"
		"1:\n\t"
		"dec %%rcx\n\t"
		"jnz 1b\n\t"
		"movl $1, %[out]\n\t"
		".globl spin_post\n"
		"spin_post:\n\t"
		"jmp 2f\n\t"
		".long 0x53053053\n\t"
		".globl spin_abort\n"
		"spin_abort:\n\t"
		"movl $2, %[out]\n"
		"2:\n\t"
		: [out] "=m"(out), [rcs] "=m"(area.rseq_cs)
		: [cs] "m"(cs), [n] "r"(n)
		: "rax", "rcx", "memory");
	return out;
}

int main(void)
{
	cs.start_ip = (uint64_t)spin_start;
	cs.post_commit_offset = (uint64_t)(spin_post - spin_start);
	cs.abort_ip = (uint64_t)spin_abort;
	printf("register: %ld\n", syscall(334, &area, 32, 0, 0x53053053));
	printf("alone, short section: %s\n", section(1000) == 1 ? "committed" : "aborted");
	pid_t p = fork();
	if (p == 0) {
		for (;;) {
		}
	}
	int tries = 0, out = 1;
	while (out == 1 && tries < 100) {
		tries++;
		out = section(2000000);
	}
	printf("with a runnable sibling, long sections: %s within 100 tries\n", out == 2 ? "aborted" : "never aborted");
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	printf("alone again, short section: %s\n", section(1000) == 1 ? "committed" : "aborted");
	return 0;
}

/* The security lab's exploits: what they know about vuln.ko and about the kernel.
 *
 * /dev/vuln's interface (modules/vuln/.../VulnIoctl.java), as a user program sees it,
 * and the kernel facts an exploit writer reads from the kernel's source:
 * the kernel stack is THREAD_SIZE-aligned and struct cred { u32 uid; u32 gid; } lives
 * at its bottom + CRED_OFFSET (kernel/task/Task.java), as old Linux kept thread_info.
 */
#ifndef VULN_H
#define VULN_H
#define _GNU_SOURCE
#include <stdint.h>

#define VULN_DEV        "/dev/vuln"
#define VULN_SET_NAME   0x41087601u   /* _IOW('v', 1, struct vuln_name) */
#define VULN_NOTIFY     0x7602u       /* _IO('v', 2): returns notify(arg) */
#define VULN_GET_INFO   0x80607603u   /* _IOR('v', 3, struct vuln_state) */
#define VULN_POKE       0x40507604u   /* _IOW('v', 4, struct vuln_poke) */

#define NAME_SIZE       64            /* vuln_state.name */
#define THREAD_SIZE     0x4000UL      /* 4 pages of kernel stack, THREAD_SIZE-aligned */
#define CRED_OFFSET     0x200UL       /* struct cred at the stack's bottom + 0x200 */

struct vuln_name { uint64_t len; uint8_t data[256]; };
struct vuln_poke { uint64_t addr; uint64_t len; uint8_t data[64]; };
struct vuln_state {                   /* the driver's kmalloc'd per-open state */
	char name[NAME_SIZE];
	uint64_t notify;              /* called by VULN_NOTIFY: vuln's own function */
	uint64_t log;                 /* printk's address */
	uint64_t owner;               /* the opener's struct cred */
	uint64_t self;                /* the state's own address */
};

extern const char *prog;

/* Opens /dev/vuln, or exits with status 2 and one line saying why. */
int vuln_open(void);
/* VULN_GET_INFO, printing what leaked; exits 1 on failure. */
void vuln_info(int fd, struct vuln_state *st);
/* The overflow: len bytes of name (at most 64), then 8 bytes over notify. */
void vuln_set_notify(int fd, const void *name, uint64_t len, uint64_t notify);
/* VULN_NOTIFY(arg) through syscall(2), so a kernel address comes back whole; exits 1 on an error. */
uint64_t vuln_notify(int fd, uint64_t arg);
/* VULN_POKE: writes len bytes at a kernel address; exits 1 on an error. */
void vuln_poke(int fd, uint64_t addr, const void *data, uint64_t len);

/* Runs attack() in a child process, which opens /dev/vuln itself so that the driver
 * records its credentials.  The child prints `id` when it got root; otherwise the parent
 * says how the attempt ended (an error, a signal: the kernel's oops) and prints `id`.
 * Returns the exit status: 0 root, 1 failed, 2 no /dev/vuln. */
int run_exploit(void (*attack)(int fd));
#endif

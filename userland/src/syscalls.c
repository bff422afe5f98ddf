/* syscalls: self-checking test of the kernel's system call edge cases.
 * Prints "ok NAME" or "FAIL NAME: got X" per check; exits 0 only if all pass.
 * Raw results come from __syscall, so failures show up as -errno. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#define KERNEL_ADDR 0xffffffff81000000L
#define KiB 1024L

static int failures;

static void expect(const char *name, long got, long want)
{
    if (got == want) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld (want %ld)\n", name, got, want);
        failures++;
    }
    fflush(stdout);
}

static void check(const char *name, int cond, long got)
{
    if (cond) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld (0x%lx)\n", name, got, (unsigned long)got);
        failures++;
    }
    fflush(stdout);
}

static long sc3(long n, long a, long b, long c)
{
    return __syscall(n, a, b, c, 0, 0, 0);
}

int main(void)
{
    static const char msg[] = "";
    long r, cur, grown, i;
    volatile unsigned char *mem;
    int zero = 1;

    /* write/read with unusable buffers */
    expect("write-bad-ptr-0x1", sc3(SYS_write, 1, 0x1, 8), -EFAULT);
    expect("write-kernel-ptr", sc3(SYS_write, 1, KERNEL_ADDR, 8), -EFAULT);
    expect("read-kernel-ptr", sc3(SYS_read, 0, KERNEL_ADDR, 8), -EFAULT);
    expect("uname-bad-ptr-0x8", sc3(SYS_uname, 0x8, 0, 0), -EFAULT);
    expect("uname-kernel-ptr", sc3(SYS_uname, KERNEL_ADDR, 0, 0), -EFAULT);

    /* bad descriptors */
    expect("write-bad-fd-99", sc3(SYS_write, 99, (long)msg, 0), -EBADF);
    expect("read-bad-fd-99", sc3(SYS_read, 99, (long)&zero, 1), -EBADF);
    errno = 0;
    r = write(99, msg, 1);
    check("libc-errno-ebadf", r == -1 && errno == EBADF, errno);

    /* unknown system calls */
    expect("unknown-500", sc3(500, 0, 0, 0), -ENOSYS);
    expect("unknown-minus-1", sc3(-1, 0, 0, 0), -ENOSYS);

    /* identity */
    r = sc3(SYS_getpid, 0, 0, 0);
    check("getpid-positive", r > 0, r);

    /* brk */
    cur = sc3(SYS_brk, 0, 0, 0);
    check("brk-query", cur > 0 && cur < 0x800000000000L, cur);
    expect("brk-query-stable", sc3(SYS_brk, 0, 0, 0), cur);
    grown = sc3(SYS_brk, cur + 64 * KiB, 0, 0);
    expect("brk-grow-64k", grown, cur + 64 * KiB);
    if (grown == cur + 64 * KiB) {
        mem = (volatile unsigned char *)cur;
        for (i = 0; i < 64 * KiB; i++)
            if (mem[i] != 0)
                zero = 0;
        check("brk-zero-filled", zero, 0);
        for (i = 0; i < 64 * KiB; i++)
            mem[i] = (unsigned char)(i * 7);
        for (i = 0; i < 64 * KiB; i++)
            if (mem[i] != (unsigned char)(i * 7))
                break;
        check("brk-writable", i == 64 * KiB, i);
        expect("brk-shrink", sc3(SYS_brk, cur, 0, 0), cur);
    }
    expect("brk-huge-unchanged", sc3(SYS_brk, 0x7ffffffff000L + 64 * KiB, 0, 0),
           sc3(SYS_brk, 0, 0, 0));

    expect("brk-wrapping-unchanged", sc3(SYS_brk, -4096L + 1, 0, 0), sc3(SYS_brk, 0, 0, 0));

    /* ranges that leave the user half, wrap around or are not canonical: EINVAL,
     * before anything is touched (the fuzzer's first kernel panic) */
    expect("munmap-huge-len", sc3(SYS_munmap, 0x10000000L, 0x3b6067aae890269dL, 0), -EINVAL);
    expect("munmap-wraps", sc3(SYS_munmap, 0x10000000L, -0x1000L, 0), -EINVAL);
    expect("munmap-kernel-half", sc3(SYS_munmap, KERNEL_ADDR, 4096, 0), -EINVAL);
    expect("munmap-noncanonical", sc3(SYS_munmap, 0x0000888000000000L, 4096, 0), -EINVAL);
    expect("mprotect-unmapped-huge-len", sc3(SYS_mprotect, 0x10000000L, 0x3b6067aae890269dL, 1), -ENOMEM);
    expect("mprotect-wraps", sc3(SYS_mprotect, 0x10000000L, -0x1000L, 1), -ENOMEM);
    expect("madvise-kernel-half", sc3(SYS_madvise, KERNEL_ADDR, 4096, 0), -ENOMEM);
    expect("madvise-wraps", sc3(SYS_madvise, 0x10000000L, -0x2000L, 0), -EINVAL);
    check("still-alive-after-bad-ranges", sc3(SYS_getpid, 0, 0, 0) > 0, 0);

    if (failures) {
        printf("syscalls: %d check(s) failed\n", failures);
        return 1;
    }
    printf("syscalls: all checks passed\n");
    return 0;
}

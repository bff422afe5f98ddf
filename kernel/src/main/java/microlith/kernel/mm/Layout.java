package microlith.kernel.mm;

/**
 * The virtual memory map, after Linux x86-64 (Documentation/arch/x86/x86_64/mm.rst).
 *
 * <pre>
 * 0x0000000000000000 - 0x00007fffffffefff  user space, one per process
 * 0xffff888000000000 - ...                 direct map of all physical memory (PAGE_OFFSET)
 * 0xffffffff81000000 - ...                 kernel text, rodata, data
 * 0xffffffffa0000000 - 0xfffffffffeffffff  module area
 * </pre>
 * The kernel half (PML4 entries 256-511) is shared: every process's PML4 holds the same
 * entries there, pointing at page tables that exist once.
 */
public final class Layout {
    public static final long PAGE_SIZE = 4096;
    /** Highest user address + 1, minus a guard page, as Linux's TASK_SIZE_MAX. */
    public static final long TASK_SIZE = 0x0000_7fff_ffff_f000L;
    public static final long PAGE_OFFSET = 0xffff_8880_0000_0000L;
    public static final long KERNEL_TEXT = 0xffff_ffff_8100_0000L;
    public static final long MODULES_VADDR = 0xffff_ffff_a000_0000L;
    public static final long MODULES_END = 0xffff_ffff_ff00_0000L;

    /** Top of the user stack and its maximum size (RLIMIT_STACK default, 8 MiB). */
    public static final long STACK_TOP = 0x0000_7fff_ffff_e000L;
    public static final long STACK_MAX = 8L << 20;
    /** Where anonymous mmap() places mappings, growing down, below the stack gap. */
    public static final long MMAP_BASE = 0x0000_7fff_f000_0000L;
    /** Load bias for position-independent executables (ET_DYN without interpreter). */
    public static final long PIE_BASE = 0x0000_5555_5555_4000L;

    private Layout() {
    }

    public static long va(long pa) {
        return PAGE_OFFSET + pa;
    }

    public static long pa(long directMapVa) {
        return directMapVa - PAGE_OFFSET;
    }

    public static long pageDown(long a) {
        return a & ~(PAGE_SIZE - 1);
    }

    public static long pageUp(long a) {
        return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    }

    public static boolean isUser(long addr) {
        return Long.compareUnsigned(addr, TASK_SIZE) < 0;
    }

    /**
     * The one check for an (address, length) a system call names: the page-rounded end
     * of [addr, addr+len), or -1 if that range wraps around, leaves the user half or is
     * not canonical. Everything that edits user mappings goes through it first, so a
     * range can never reach the kernel's PML4 entries (indices come from bits 47:39,
     * and a non-canonical address would alias onto them).
     */
    public static long userRangeEnd(long addr, long len) {
        if (len < 0 || Long.compareUnsigned(addr, TASK_SIZE) > 0) {
            return -1;
        }
        long end = addr + len;
        if (Long.compareUnsigned(end, addr) < 0 || Long.compareUnsigned(end, TASK_SIZE) > 0) {
            return -1;
        }
        return pageUp(end);
    }
}

package microlith.kernel.entry;

import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.Vectors;
import microlith.kernel.log.Printk;

import static microlith.hw.mmu.PageTableEntry.ADDR_MASK;
import static microlith.hw.mmu.PageTableEntry.NX;
import static microlith.hw.mmu.PageTableEntry.P;
import static microlith.hw.mmu.PageTableEntry.PS;
import static microlith.hw.mmu.PageTableEntry.US;

/**
 * What a page fault in kernel mode says before the oops (Linux's show_fault_oops in
 * arch/x86/mm/fault.c): the address, the access and the decoded error code, and for an
 * instruction fetch the two lines that name an exploit mitigation at work:
 *
 * <pre>
 * kernel tried to execute NX-protected page - exploit attempt? (uid: 1000)
 * unable to execute userspace code (SMEP?) (uid: 1000)
 * BUG: unable to handle page fault for address: 0000000000401136
 * #PF: supervisor instruction fetch in kernel mode
 * #PF: error_code(0x0011) - permissions violation
 * </pre>
 *
 * A SMAP refusal has no line of its own in Linux either: it shows as a supervisor read or
 * write of a user address with P set (error_code 0x0001 or 0x0003).
 */
final class PageFaultOops {
    private PageFaultOops() {
    }

    static void show(Printk log, Cpu cpu, long address, long error, int uid) {
        if ((error & Vectors.PF_I) != 0) {
            long[] walk = walk(cpu.memory(), cpu.cr3(), address);
            long leaf = walk[0];
            boolean present = (leaf & P) != 0;
            if (present && walk[1] != 0) {
                log(log, Printk.CRIT, "kernel tried to execute NX-protected page - exploit attempt? (uid: %d)", uid);
            }
            if (present && walk[1] == 0 && walk[2] != 0 && (cpu.readCr(4) & Cpu.CR4_SMEP) != 0) {
                log(log, Printk.CRIT, "unable to execute userspace code (SMEP?) (uid: %d)", uid);
            }
        }
        if (Long.compareUnsigned(address, 4096) < 0) {
            log(log, Printk.ALERT, "BUG: kernel NULL pointer dereference, address: %016x", address);
        } else {
            log(log, Printk.ALERT, "BUG: unable to handle page fault for address: %016x", address);
        }
        log(log, Printk.ALERT, "#PF: %s %s in kernel mode", (error & Vectors.PF_U) != 0 ? "user" : "supervisor",
            (error & Vectors.PF_I) != 0 ? "instruction fetch" : (error & Vectors.PF_W) != 0 ? "write access"
                : "read access");
        log(log, Printk.ALERT, "#PF: error_code(0x%04x) - %s", error, (error & Vectors.PF_P) == 0 ? "not-present page"
            : (error & Vectors.PF_RSVD) != 0 ? "reserved bit violation" : "permissions violation");
    }

    private static void log(Printk log, int level, String fmt, Object... args) {
        log.log(level, String.format(fmt, args));
    }

    /**
     * The leaf entry mapping address under cr3 (0 if none), whether NX is set at any level,
     * and whether U/S is set at every level: {leaf, nx, user}.
     */
    private static long[] walk(PhysicalMemory mem, long cr3, long address) {
        long table = cr3 & ADDR_MASK;
        boolean nx = false;
        boolean user = true;
        for (int level = 3; level >= 0; level--) {
            long e = mem.read64(table + ((address >>> (12 + 9 * level)) & 0x1ff) * 8);
            if ((e & P) == 0) {
                return new long[] {0, 0, 0};
            }
            nx |= (e & NX) != 0;
            user &= (e & US) != 0;
            if (level == 0 || level <= 2 && (e & PS) != 0) {
                return new long[] {e, nx ? 1 : 0, user ? 1 : 0};
            }
            table = e & ADDR_MASK;
        }
        return new long[] {0, 0, 0};
    }
}

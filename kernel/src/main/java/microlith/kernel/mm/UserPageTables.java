package microlith.kernel.mm;

import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import microlith.hw.PhysicalMemory;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * The page-table edits the kernel makes on behalf of user space: demand paging, fork,
 * munmap, mprotect, mremap, exit. They can reach only the user half of a PML4, by
 * construction: every operation takes its address through {@link #slot}, which refuses
 * any address at or above TASK_SIZE (the kernel half, and every non-canonical address,
 * whose bits 47:39 would otherwise alias onto the kernel's PML4 entries 256-511).
 *
 * <p>Nothing here throws. A refused address, a missing table, a large page in the way
 * (the user half never has one) or no free page for a new table is a failure result the
 * caller turns into EINVAL, EFAULT, ENOMEM or SIGSEGV.
 *
 * <p>Every entry written goes through the kernel's {@link PageTables} mask (no NX after
 * noexec=off), and every present entry changed or cleared is reported to its listener
 * (the PCID manager flushes an address space edited while another is loaded).
 *
 * <pre>
 *   47      39 38      30 29      21 20      12 11         0
 *  +----------+----------+----------+----------+------------+
 *  | PML4 idx | PDPT idx |  PD idx  |  PT idx  |   offset   |   user: PML4 idx 0-255 only
 *  +----------+----------+----------+----------+------------+
 * </pre>
 */
public final class UserPageTables {
    /** PML4 entries 0-255 map the user half; 256-511 are the kernel's, shared by every process. */
    public static final int USER_PML4_ENTRIES = 256;

    private final PhysicalMemory mem;
    private final PageAllocator pages;
    /** The kernel's tables: the mask entries are written with, and who hears of changes. */
    private final PageTables kernel;

    public UserPageTables(PhysicalMemory mem, PageAllocator pages, PageTables kernel) {
        this.mem = mem;
        this.pages = pages;
        this.kernel = kernel;
    }

    /** Entries of pml4 were rewritten in place (mprotect, fork's copy-on-write marking, mremap). */
    public void changed(long pml4) {
        kernel.changed(pml4);
    }

    /** Writes a leaf entry, masked; reports the change when the old one was present. */
    private void write(long pml4, long pte, long entry) {
        long old = mem.read64(pte);
        mem.write64(pte, entry == 0 ? 0 : kernel.supported(entry));
        if ((old & P) != 0) {
            kernel.changed(pml4);
        }
    }

    private static int index(long va, int level) {
        return (int) (va >>> (12 + 9 * level)) & 0x1ff;
    }

    /** Whether va is a user address this class may edit: below TASK_SIZE, hence canonical and in PML4 0-255. */
    public static boolean editable(long va) {
        return Long.compareUnsigned(va, Layout.TASK_SIZE) < 0;
    }

    /**
     * The physical address of va's PTE, creating missing tables if asked; -1 when va is not
     * a user address, a table is missing (and not created), a large page is in the way, or
     * no page is left for a table.
     */
    public long slot(long pml4, long va, boolean create) {
        if (!editable(va)) {
            return -1;
        }
        long table = pml4;
        for (int level = 3; level >= 1; level--) {
            long ea = table + index(va, level) * 8L;
            long e = mem.read64(ea);
            if ((e & P) == 0) {
                if (!create) {
                    return -1;
                }
                long t = pages.alloc();
                if (t < 0) {
                    return -1;
                }
                // Intermediate entries grant everything; the leaf decides.
                e = t | P | RW | US;
                mem.write64(ea, e);
            } else if ((e & PS) != 0) {
                return -1;
            }
            table = e & ADDR_MASK;
        }
        return table + index(va, 0) * 8L;
    }

    /** Maps va to the frame pa with flags (US is forced on); false if refused or out of memory. */
    public boolean map(long pml4, long va, long pa, long flags) {
        long pte = slot(pml4, va, true);
        if (pte < 0) {
            return false;
        }
        write(pml4, pte, (pa & ADDR_MASK) | flags | US | P);
        return true;
    }

    /** The leaf entry for va, or 0 if there is none. */
    public long lookup(long pml4, long va) {
        long pte = slot(pml4, va, false);
        return pte < 0 ? 0 : mem.read64(pte);
    }

    /** Clears va's leaf entry and returns what it held (0 if nothing). */
    public long clear(long pml4, long va) {
        long pte = slot(pml4, va, false);
        if (pte < 0) {
            return 0;
        }
        long old = mem.read64(pte);
        write(pml4, pte, 0);
        return old;
    }

    /** Rewrites an existing leaf entry; false when there is none to rewrite. */
    public boolean set(long pml4, long va, long entry) {
        long pte = slot(pml4, va, false);
        if (pte < 0) {
            return false;
        }
        write(pml4, pte, entry);
        return true;
    }

    /** Whether [start, end) is a non-empty range of the user half. */
    private static boolean editable(long start, long end) {
        return Long.compareUnsigned(start, end) < 0 && Long.compareUnsigned(end, Layout.TASK_SIZE) <= 0;
    }

    /**
     * Visits every present 4 KiB leaf in [start, end): (virtual address, PTE address).
     * Absent tables are skipped whole, so the cost follows what is mapped, not the
     * length of the range. A range outside the user half visits nothing.
     */
    public void forEachLeafIn(long pml4, long start, long end, BiConsumer<Long, Long> visit) {
        if (editable(start, end)) {
            rangeWalk(pml4, 3, 0, start, end, visit, false);
        }
    }

    /**
     * Clears every leaf in [start, end), handing each present one to freeLeaf, and frees
     * the table pages the range leaves empty (Linux's free_pgtables). Returns how many
     * present leaves were cleared.
     */
    public int zap(long pml4, long start, long end, LongConsumer freeLeaf) {
        if (!editable(start, end)) {
            return 0;
        }
        int[] cleared = new int[1];
        rangeWalk(pml4, 3, 0, start, end, (va, pte) -> {
            freeLeaf.accept(mem.read64(pte));
            mem.write64(pte, 0);
            cleared[0]++;
        }, true);
        if (cleared[0] > 0) {
            kernel.changed(pml4);
        }
        return cleared[0];
    }

    /**
     * Walks the entries of one table that overlap [start, end). base is the address the
     * table's entry 0 maps. With prune, tables left empty are freed.
     */
    private void rangeWalk(long table, int level, long base, long start, long end,
                           BiConsumer<Long, Long> visit, boolean prune) {
        int shift = 12 + 9 * level;
        int first = Long.compareUnsigned(start, base) <= 0 ? 0 : (int) ((start - base) >>> shift);
        int last = (int) Math.min(511, (end - 1 - base) >>> shift);
        for (int i = first; i <= last; i++) {
            long ea = table + i * 8L;
            long e = mem.read64(ea);
            if ((e & P) == 0) {
                continue;
            }
            long va = base + ((long) i << shift);
            if (level == 0) {
                visit.accept(va, ea);
            } else if ((e & PS) == 0) {
                long child = e & ADDR_MASK;
                rangeWalk(child, level - 1, va, start, end, visit, prune);
                if (prune && empty(child)) {
                    mem.write64(ea, 0);
                    pages.free(child);
                }
            }
        }
    }

    private boolean empty(long table) {
        for (int i = 0; i < 512; i++) {
            if ((mem.read64(table + i * 8L) & P) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Page-table pages of the user half, the PML4 included: what an address space costs beyond its pages. */
    public int tablePages(long pml4) {
        return 1 + countTables(pml4, 3);
    }

    private int countTables(long table, int level) {
        int n = 0;
        int limit = level == 3 ? USER_PML4_ENTRIES : 512;
        for (int i = 0; level > 0 && i < limit; i++) {
            long e = mem.read64(table + i * 8L);
            if ((e & P) != 0 && (e & PS) == 0) {
                n += 1 + countTables(e & ADDR_MASK, level - 1);
            }
        }
        return n;
    }

    /** Visits every present 4 KiB leaf of the user half: (virtual address, PTE address). */
    public void forEachLeaf(long pml4, BiConsumer<Long, Long> visit) {
        walk(pml4, 3, 0, visit);
    }

    private void walk(long table, int level, long base, BiConsumer<Long, Long> visit) {
        int limit = level == 3 ? USER_PML4_ENTRIES : 512;
        for (int i = 0; i < limit; i++) {
            long ea = table + i * 8L;
            long e = mem.read64(ea);
            if ((e & P) == 0 || level > 0 && (e & PS) != 0) {
                continue;
            }
            long va = base | (long) i << (12 + 9 * level);
            if (level == 0) {
                visit.accept(va, ea);
            } else {
                walk(e & ADDR_MASK, level - 1, va, visit);
            }
        }
    }

    /**
     * Frees the user half: every present leaf through freeLeaf, the table pages under
     * PML4 entries 0-255, then the PML4 page itself. The kernel's entries are never read.
     */
    public void free(long pml4, LongConsumer freeLeaf) {
        kernel.released(pml4);
        for (int i = 0; i < USER_PML4_ENTRIES; i++) {
            long e = mem.read64(pml4 + i * 8L);
            if ((e & P) != 0 && (e & PS) == 0) {
                freeLevel(e & ADDR_MASK, 2, freeLeaf);
            }
        }
        pages.free(pml4);
    }

    private void freeLevel(long table, int level, LongConsumer freeLeaf) {
        for (int i = 0; i < 512; i++) {
            long e = mem.read64(table + i * 8L);
            if ((e & P) == 0) {
                continue;
            }
            if (level == 0) {
                freeLeaf.accept(e);
            } else if ((e & PS) == 0) {
                freeLevel(e & ADDR_MASK, level - 1, freeLeaf);
            }
        }
        pages.free(table);
    }
}

package microlith.kernel.mm;

import microlith.hw.PhysicalMemory;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * Builds and edits 4-level page tables in physical memory, the way the kernel's own
 * code would: through the physical addresses of the table pages.
 */
public final class PageTables {
    /** Told when a present entry of an address space changes or goes, and when one is freed. */
    public interface Listener {
        void changed(long pml4);

        void released(long pml4);
    }

    private final PhysicalMemory mem;
    private final PageAllocator pages;
    /** Bits an entry may carry (Linux's __supported_pte_mask): without NX after noexec=off. */
    private long supported = -1L;
    private Listener listener = new Listener() {
        @Override
        public void changed(long pml4) {
        }

        @Override
        public void released(long pml4) {
        }
    };

    /** The TLB's keeper (the PCID manager) hears of every change that could leave a stale entry. */
    public void setListener(Listener l) {
        this.listener = l;
    }

    void released(long pml4) {
        listener.released(pml4);
    }

    /** For the user half's edits (UserPageTables): a present entry of pml4 changed or went. */
    void changed(long pml4) {
        listener.changed(pml4);
    }

    /** An entry as it may be written: without the bits the CPU is not to see (NX after noexec=off). */
    long supported(long entry) {
        return entry & supported;
    }

    public PageTables(PhysicalMemory mem, PageAllocator pages) {
        this.mem = mem;
        this.pages = pages;
    }

    /** Every entry written from now on is masked with this (noexec=off clears NX from it). */
    public void setSupportedMask(long mask) {
        supported = mask;
    }

    public long newTable() {
        long pa = pages.alloc();
        if (pa < 0) {
            throw new OutOfMemoryError("no page for a page table");
        }
        return pa;
    }

    private static int index(long va, int level) {
        return (int) (va >>> (12 + 9 * level)) & 0x1ff;
    }

    /** Returns the physical address of the PTE for va, creating tables if asked; -1 if absent. */
    public long pteAddress(long pml4, long va, boolean create, boolean user) {
        long table = pml4;
        for (int level = 3; level >= 1; level--) {
            long ea = table + index(va, level) * 8L;
            long e = mem.read64(ea);
            if ((e & P) == 0) {
                if (!create) {
                    return -1;
                }
                long t = newTable();
                // Intermediate entries grant everything; the leaf decides.
                e = t | P | RW | (user ? US : 0);
                mem.write64(ea, e);
            } else if ((e & PS) != 0) {
                throw new IllegalStateException("large page in the way at 0x" + Long.toHexString(va));
            } else if (user && (e & US) == 0) {
                mem.write64(ea, e | US);
            }
            table = e & ADDR_MASK;
        }
        return table + index(va, 0) * 8L;
    }

    public void map(long pml4, long va, long pa, long flags) {
        long pte = pteAddress(pml4, va, true, (flags & US) != 0);
        long old = mem.read64(pte);
        mem.write64(pte, ((pa & ADDR_MASK) | flags | P) & supported);
        if ((old & P) != 0) {
            listener.changed(pml4);
        }
    }

    /** Maps with a 2 MiB page (PD-level entry with PS). */
    public void map2M(long pml4, long va, long pa, long flags) {
        long table = pml4;
        for (int level = 3; level >= 2; level--) {
            long ea = table + index(va, level) * 8L;
            long e = mem.read64(ea);
            if ((e & P) == 0) {
                long t = newTable();
                e = t | P | RW;
                mem.write64(ea, e);
            }
            table = e & ADDR_MASK;
        }
        mem.write64(table + index(va, 1) * 8L, ((pa & ADDR_MASK) | flags | P | PS) & supported);
    }

    /** The leaf entry for va, or 0 if not mapped with a 4 KiB page. */
    public long lookup(long pml4, long va) {
        long pte = pteAddress(pml4, va, false, false);
        return pte < 0 ? 0 : mem.read64(pte);
    }

    /** Clears the mapping and returns the old entry (0 if none). */
    public long unmap(long pml4, long va) {
        long pte = pteAddress(pml4, va, false, false);
        if (pte < 0) {
            return 0;
        }
        long old = mem.read64(pte);
        mem.write64(pte, 0);
        if ((old & P) != 0) {
            listener.changed(pml4);
        }
        return old;
    }

    public void setEntry(long pml4, long va, long entry) {
        long pte = pteAddress(pml4, va, false, false);
        if (pte >= 0) {
            long old = mem.read64(pte);
            mem.write64(pte, entry & supported);
            if ((old & P) != 0) {
                listener.changed(pml4);
            }
        }
    }
}

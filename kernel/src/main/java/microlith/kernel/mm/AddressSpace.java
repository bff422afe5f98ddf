package microlith.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import microlith.hw.PhysicalMemory;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * One process's user address space (Linux's mm_struct): its PML4, its VMAs and its
 * program break. Pages are allocated on first touch by {@link #handleFault}.
 */
public final class AddressSpace {
    public final long pml4;
    private final List<Vma> vmas = new ArrayList<>();
    private final PageTables tables;
    private final PageAllocator pages;
    private final PhysicalMemory mem;
    public long brkStart;
    public long brk;
    public long mmapBase = Layout.MMAP_BASE;
    private int residentPages;
    /** Tasks using this address space (threads and vfork children share it: mm_users). */
    public int users = 1;
    /** Set when the last refused fault was allowed by its VMA but no page was free. */
    public boolean outOfMemory;

    public AddressSpace(PageTables tables, PageAllocator pages, PhysicalMemory mem, long kernelPml4) {
        this.tables = tables;
        this.pages = pages;
        this.mem = mem;
        this.pml4 = tables.newTable();
        // Share the kernel half: copy PML4 entries 256-511.
        for (int i = 256; i < 512; i++) {
            mem.write64(pml4 + i * 8L, mem.read64(kernelPml4 + i * 8L));
        }
    }

    public List<Vma> vmas() {
        return vmas;
    }

    public int residentPages() {
        return residentPages;
    }

    public Vma find(long addr) {
        for (Vma v : vmas) {
            if (v.contains(addr)) {
                return v;
            }
        }
        return null;
    }

    public boolean overlaps(long start, long end) {
        for (Vma v : vmas) {
            if (Long.compareUnsigned(start, v.end) < 0 && Long.compareUnsigned(v.start, end) < 0) {
                return true;
            }
        }
        return false;
    }

    public Vma addVma(long start, long end, int prot, String name, long fileOffset) {
        // An anonymous mapping right after another with the same rights extends it (vma_merge).
        if (name.isEmpty()) {
            for (Vma prev : vmas) {
                if (prev.end == start && prev.prot == prot && prev.name.isEmpty()) {
                    prev.end = end;
                    return prev;
                }
            }
        }
        Vma v = new Vma(start, end, prot, name, fileOffset);
        int i = 0;
        while (i < vmas.size() && Long.compareUnsigned(vmas.get(i).start, start) < 0) {
            i++;
        }
        vmas.add(i, v);
        return v;
    }

    /** A software PTE bit (one of the three the CPU ignores): the page is shared copy-on-write. */
    public static final long COW = 1L << 9;

    /**
     * fork: a new address space with the same VMAs, sharing every page. Writable pages
     * become read-only and copy-on-write in both; the caller flushes the parent's TLB.
     */
    public AddressSpace fork(long kernelPml4) {
        AddressSpace child = new AddressSpace(tables, pages, mem, kernelPml4);
        for (Vma v : vmas) {
            child.vmas.add(new Vma(v.start, v.end, v.prot, v.name, v.fileOffset));
        }
        child.brkStart = brkStart;
        child.brk = brk;
        child.mmapBase = mmapBase;
        tables.forEachUserLeaf(pml4, (va, pteAddr) -> {
            long pte = mem.read64(pteAddr);
            if ((pte & RW) != 0) {
                pte = (pte & ~RW) | COW;
                mem.write64(pteAddr, pte);
            }
            pages.get(pte & ADDR_MASK);
            tables.map(child.pml4, va, pte & ADDR_MASK, pte & ~ADDR_MASK & ~P);
            child.residentPages++;
        });
        return child;
    }

    /** Resolves a write to a present copy-on-write page; false if the page is not one. */
    private boolean breakCow(long addr) {
        long va = Layout.pageDown(addr);
        long pte = tables.lookup(pml4, va);
        if ((pte & COW) == 0) {
            return false;
        }
        long old = pte & ADDR_MASK;
        long flags = (pte & ~ADDR_MASK & ~COW) | RW | D;
        if (pages.refs(old) == 1) {
            tables.setEntry(pml4, va, old | flags);
            return true;
        }
        long copy = pages.allocUncleared();
        if (copy < 0) {
            outOfMemory = true;
            return false;
        }
        byte[] buf = new byte[(int) Layout.PAGE_SIZE];
        mem.readBytes(old, buf, 0, buf.length);
        mem.writeBytes(copy, buf, 0, buf.length);
        pages.copied();
        tables.setEntry(pml4, va, copy | flags);
        pages.put(old);
        return true;
    }

    static long pteFlags(int prot) {
        long f = P | US | A;
        if ((prot & Vma.PROT_WRITE) != 0) {
            f |= RW;
        }
        if ((prot & Vma.PROT_EXEC) == 0) {
            f |= NX;
        }
        return f;
    }

    /** Maps a fresh zeroed page at va with the VMA's protection; returns its physical address. */
    public long populate(long va, int prot) {
        long pa = pages.alloc();
        if (pa < 0) {
            return -1;
        }
        tables.map(pml4, Layout.pageDown(va), pa, pteFlags(prot));
        residentPages++;
        return pa;
    }

    /**
     * The physical address behind a user address for an access the kernel makes on this
     * address space's behalf while another may be loaded (a grant copy): the PTE's rights
     * are checked as the MMU would for a user access, and a page the VMA allows is faulted
     * in (or copied, for a write to a copy-on-write page) first. -1 when not allowed.
     */
    public long userPhysical(long va, boolean write) {
        if (!Layout.isUser(va)) {
            return -1;
        }
        long e = tables.lookup(pml4, va);
        boolean ok = (e & P) != 0 && (e & US) != 0 && (!write || (e & RW) != 0);
        if (!ok) {
            if (!handleFault(va, write, false)) {
                return -1;
            }
            e = tables.lookup(pml4, va);
            if ((e & P) == 0 || write && (e & RW) == 0) {
                return -1;
            }
        }
        return (e & ADDR_MASK) | (va & 0xfff);
    }

    /** Physical address backing a user address, or -1 when no page is there. */
    public long physical(long va) {
        long e = tables.lookup(pml4, va);
        return (e & P) == 0 ? -1 : (e & ADDR_MASK) | (va & 0xfff);
    }

    /**
     * Demand paging: a fault at addr that the VMA permits gets a zeroed page. Returns false
     * when the access is not allowed (the caller raises SIGSEGV or returns EFAULT).
     */
    public boolean handleFault(long addr, boolean write, boolean exec) {
        outOfMemory = false;
        Vma v = find(addr);
        if (v == null) {
            return false;
        }
        if (write && (v.prot & Vma.PROT_WRITE) == 0
            || exec && (v.prot & Vma.PROT_EXEC) == 0
            || !write && !exec && (v.prot & (Vma.PROT_READ | Vma.PROT_WRITE | Vma.PROT_EXEC)) == 0) {
            return false;
        }
        if ((tables.lookup(pml4, addr) & P) != 0) {
            // Present but the access faulted: copy-on-write, or a protection violation.
            return write && breakCow(addr);
        }
        if (populate(addr, v.prot) < 0) {
            outOfMemory = true;
            return false;
        }
        return true;
    }

    /** Whether [start, end) lies in the user half: the only range this class edits. */
    private static boolean userRange(long start, long end) {
        return Long.compareUnsigned(start, end) <= 0 && Long.compareUnsigned(end, Layout.TASK_SIZE) <= 0;
    }

    /**
     * Removes mappings in [start, end), splitting VMAs and freeing pages. A range outside
     * the user half is refused (false) before anything changes.
     */
    public boolean unmap(long start, long end) {
        if (!userRange(start, end)) {
            return false;
        }
        List<Vma> result = new ArrayList<>();
        for (Vma v : vmas) {
            if (Long.compareUnsigned(v.end, start) <= 0 || Long.compareUnsigned(v.start, end) >= 0) {
                result.add(v);
                continue;
            }
            if (Long.compareUnsigned(v.start, start) < 0) {
                result.add(new Vma(v.start, start, v.prot, v.name, v.fileOffset));
            }
            if (Long.compareUnsigned(v.end, end) > 0) {
                result.add(new Vma(end, v.end, v.prot, v.name, v.fileOffset + (end - v.start)));
            }
        }
        vmas.clear();
        vmas.addAll(result);
        vmas.sort((a, b) -> Long.compareUnsigned(a.start, b.start));
        for (long va = start; Long.compareUnsigned(va, end) < 0; va += Layout.PAGE_SIZE) {
            long old = tables.unmap(pml4, va);
            if ((old & P) != 0) {
                pages.put(old & ADDR_MASK);
                residentPages--;
            }
        }
        return true;
    }

    /**
     * mremap's move: the pages of [from, from + len) now appear at [to, to + len) (the
     * same frames, their PTEs carried over) with the same VMAs; the old range is left
     * unmapped. The destination must be free. The caller flushes the TLB for both.
     */
    public void move(long from, long len, long to) {
        List<Vma> moved = new ArrayList<>();
        for (Vma v : vmas) {
            if (Long.compareUnsigned(v.end, from) <= 0 || Long.compareUnsigned(v.start, from + len) >= 0) {
                continue;
            }
            long s = Math.max(v.start, from), e = Math.min(v.end, from + len);
            moved.add(new Vma(s - from + to, e - from + to, v.prot, v.name, v.fileOffset + (s - v.start)));
        }
        for (long off = 0; off < len; off += Layout.PAGE_SIZE) {
            long e = tables.lookup(pml4, from + off);
            if ((e & P) != 0) {
                tables.pteAddress(pml4, to + off, true, true);
                tables.setEntry(pml4, to + off, e);
                tables.setEntry(pml4, from + off, 0);
            }
        }
        unmap(from, from + len);
        for (Vma v : moved) {
            addVma(v.start, v.end, v.prot, v.name, v.fileOffset);
        }
    }

    /** Changes protection of [start, end): VMAs are split and present PTEs rewritten. */
    public boolean protect(long start, long end, int prot) {
        if (!userRange(start, end)) {
            return false;
        }
        List<Vma> result = new ArrayList<>();
        for (Vma v : vmas) {
            if (Long.compareUnsigned(v.end, start) <= 0 || Long.compareUnsigned(v.start, end) >= 0) {
                result.add(v);
                continue;
            }
            long s = Long.compareUnsigned(v.start, start) < 0 ? start : v.start;
            long e = Long.compareUnsigned(v.end, end) > 0 ? end : v.end;
            if (Long.compareUnsigned(v.start, s) < 0) {
                result.add(new Vma(v.start, s, v.prot, v.name, v.fileOffset));
            }
            result.add(new Vma(s, e, prot, v.name, v.fileOffset + (s - v.start)));
            if (Long.compareUnsigned(e, v.end) < 0) {
                result.add(new Vma(e, v.end, v.prot, v.name, v.fileOffset + (e - v.start)));
            }
        }
        vmas.clear();
        vmas.addAll(result);
        vmas.sort((a, b) -> Long.compareUnsigned(a.start, b.start));
        for (long va = start; Long.compareUnsigned(va, end) < 0; va += Layout.PAGE_SIZE) {
            long old = tables.lookup(pml4, va);
            if ((old & P) != 0) {
                long flags = pteFlags(prot) | (old & D);
                if ((old & COW) != 0 && (flags & RW) != 0) {
                    // Still shared: stays read-only until the first write copies it.
                    flags = (flags & ~RW) | COW;
                }
                tables.setEntry(pml4, va, (old & ADDR_MASK) | flags);
            }
        }
        return true;
    }

    /** Releases every user page and page table. */
    public void destroy() {
        tables.released(pml4);
        tables.freeUserHalf(pml4, e -> pages.put(e & ADDR_MASK));
        vmas.clear();
        residentPages = 0;
    }

    public PhysicalMemory memory() {
        return mem;
    }
}

package microlith.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import microlith.hw.PhysicalMemory;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * One process's user address space (Linux's mm_struct): its PML4, its VMAs and its
 * program break. Pages are allocated on first touch by {@link #handleFault}.
 *
 * <p>Every page-table edit goes through {@link UserPageTables}, which cannot reach the
 * kernel half; every range method refuses a range outside [0, TASK_SIZE) before it
 * changes anything. The VMA list stays sorted, without overlaps, and adjacent VMAs
 * that only differ in where they end are merged (as Linux's vma_merge), so the count
 * stays bounded by {@link #MAX_MAP_COUNT}.
 */
public final class AddressSpace {
    /** Linux's default vm.max_map_count: more VMAs than this and mmap/mprotect fail with ENOMEM. */
    public static final int MAX_MAP_COUNT = 65530;

    public final long pml4;
    private final List<Vma> vmas = new ArrayList<>();
    /** The kernel's tables: what user entries may hold (NX or not), who hears of changes (PCIDs). */
    private final PageTables kernelTables;
    private final UserPageTables tables;
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

    /**
     * A new, empty address space sharing the kernel half of kernelPml4.
     *
     * @throws OutOfMemoryError when no page is left for the PML4 (see {@link #create})
     */
    public AddressSpace(PageTables kernelTables, PageAllocator pages, PhysicalMemory mem, long kernelPml4) {
        this(kernelTables, pages, mem, kernelPml4, kernelTables.newTable());
    }

    private AddressSpace(PageTables kernelTables, PageAllocator pages, PhysicalMemory mem, long kernelPml4, long pml4) {
        this.kernelTables = kernelTables;
        this.tables = new UserPageTables(mem, pages, kernelTables);
        this.pages = pages;
        this.mem = mem;
        this.pml4 = pml4;
        // Share the kernel half: copy PML4 entries 256-511.
        for (int i = UserPageTables.USER_PML4_ENTRIES; i < 512; i++) {
            mem.write64(pml4 + i * 8L, mem.read64(kernelPml4 + i * 8L));
        }
    }

    /** A new, empty address space, or null when no page is left for its PML4. */
    public static AddressSpace create(PageTables kernelTables, PageAllocator pages, PhysicalMemory mem,
                                      long kernelPml4) {
        long pml4 = pages.alloc();
        return pml4 < 0 ? null : new AddressSpace(kernelTables, pages, mem, kernelPml4, pml4);
    }

    public List<Vma> vmas() {
        return vmas;
    }

    public int residentPages() {
        return residentPages;
    }

    /** Page-table pages of the user half, the PML4 included. */
    public int tablePages() {
        return tables.tablePages(pml4);
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

    /** Whether VMAs cover every byte of [start, end) with no hole. */
    public boolean covered(long start, long end) {
        return coveredUpTo(start, end) == end;
    }

    /**
     * Where the VMAs covering [start, end) without a hole end: end when the whole range
     * is mapped, start when nothing is mapped at start, else the start of the first hole.
     */
    public long coveredUpTo(long start, long end) {
        long at = start;
        for (Vma v : vmas) {
            if (Long.compareUnsigned(v.end, at) <= 0) {
                continue;
            }
            if (Long.compareUnsigned(v.start, at) > 0) {
                break;
            }
            at = v.end;
            if (Long.compareUnsigned(at, end) >= 0) {
                return end;
            }
        }
        return at;
    }

    /** Whether room is left for n more VMAs under {@link #MAX_MAP_COUNT}. */
    public boolean roomForVmas(int n) {
        return vmas.size() + n <= MAX_MAP_COUNT;
    }

    public Vma addVma(long start, long end, int prot, String name, long fileOffset) {
        Vma v = new Vma(start, end, prot, name, fileOffset);
        int i = 0;
        while (i < vmas.size() && Long.compareUnsigned(vmas.get(i).start, start) < 0) {
            i++;
        }
        vmas.add(i, v);
        return v;
    }

    /**
     * An anonymous mapping of [start, end) (which must be free), merged with neighbours
     * that continue it; false when the VMA limit is reached.
     */
    public boolean mapAnonymous(long start, long end, int prot, String name) {
        if (!userRange(start, end) || overlaps(start, end) || !roomForVmas(1)) {
            return false;
        }
        addVma(start, end, prot, name, 0);
        merge();
        return true;
    }

    /** The name /proc/PID/maps gives a shared anonymous mapping, as Linux's. */
    public static final String SHARED_ANON_NAME = "/dev/zero (deleted)";

    /**
     * A MAP_SHARED anonymous mapping of [start, end) (which must be free): a new shared
     * object whose pages this address space and its future children all see.
     */
    public boolean mapSharedAnonymous(long start, long end, int prot) {
        if (!userRange(start, end) || overlaps(start, end) || !roomForVmas(1)) {
            return false;
        }
        share(addVma(start, end, prot, SHARED_ANON_NAME, 0), new SharedAnon(pages));
        return true;
    }

    /**
     * mremap with an old size of 0: [start, end) (free) maps v's shared object again, from
     * the offset addr has in v on.
     */
    public boolean mapSharedAgain(Vma v, long addr, long start, long end) {
        if (v.shared == null || !userRange(start, end) || overlaps(start, end) || !roomForVmas(1)) {
            return false;
        }
        share(addVma(start, end, v.prot, v.name, v.fileOffset + (addr - v.start)), v.shared);
        return true;
    }

    private static void share(Vma v, SharedAnon object) {
        v.shared = object;
        if (object != null) {
            object.retain();
        }
    }

    /** A VMA leaves the address space: its shared object loses a user. */
    private static void drop(Vma v) {
        if (v.shared != null) {
            v.shared.release();
            v.shared = null;
        }
    }

    /** Removes the VMAs wholly inside [start, end) (carved first by the caller). */
    private void removeVmas(long start, long end) {
        vmas.removeIf(v -> {
            boolean inside = Long.compareUnsigned(v.start, start) >= 0 && Long.compareUnsigned(v.end, end) <= 0;
            if (inside) {
                drop(v);
            }
            return inside;
        });
    }

    /**
     * mlock/munlock: marks the VMAs of [start, end) (which VMAs must cover) locked or not.
     * False when a hole is found or a split would exceed the VMA limit.
     */
    public boolean lock(long start, long end, boolean on) {
        if (!userRange(start, end) || !covered(start, end) || !carve(start, end)) {
            return false;
        }
        for (Vma v : vmas) {
            if (Long.compareUnsigned(v.start, start) >= 0 && Long.compareUnsigned(v.end, end) <= 0) {
                v.locked = on;
            }
        }
        merge();
        return true;
    }

    /** mlockall/munlockall: every VMA locked or unlocked. */
    public void lockAll(boolean on) {
        for (Vma v : vmas) {
            v.locked = on;
        }
        merge();
    }

    /** Bytes in locked VMAs, and in all VMAs (Linux's locked_vm and total_vm, in bytes). */
    public long lockedBytes() {
        long n = 0;
        for (Vma v : vmas) {
            n += v.locked ? v.end - v.start : 0;
        }
        return n;
    }

    public long totalBytes() {
        long n = 0;
        for (Vma v : vmas) {
            n += v.end - v.start;
        }
        return n;
    }

    /** A software PTE bit (one of the three the CPU ignores): the page is shared copy-on-write. */
    public static final long COW = 1L << 9;

    /**
     * fork: a new address space with the same VMAs, sharing every page. Every page becomes
     * read-only and copy-on-write in both (a read-only page too: mprotect may make it
     * writable later); the caller flushes the parent's TLB.
     * Returns null, with nothing allocated, when memory runs out on the way.
     */
    public AddressSpace fork(long kernelPml4) {
        AddressSpace child = create(kernelTables, pages, mem, kernelPml4);
        if (child == null) {
            return null;
        }
        for (Vma v : vmas) {
            Vma c = new Vma(v.start, v.end, v.prot, v.name, v.fileOffset);
            share(c, v.shared);
            child.vmas.add(c);
        }
        child.brkStart = brkStart;
        child.brk = brk;
        child.mmapBase = mmapBase;
        boolean[] failed = new boolean[1];
        tables.forEachLeaf(pml4, (va, pteAddr) -> {
            if (failed[0]) {
                return;
            }
            // Every private page is shared now, read-only ones too: all of them are
            // copy-on-write, so no later mprotect can make the shared frame writable. A page
            // of a shared mapping is the same page in both, writable as it was.
            long pte = mem.read64(pteAddr);
            Vma v = find(va);
            if (v == null || v.shared == null) {
                pte = (pte & ~RW) | COW;
                mem.write64(pteAddr, pte);
            }
            if (!child.tables.map(child.pml4, va, pte & ADDR_MASK, pte & ~ADDR_MASK & ~P)) {
                failed[0] = true;
                return;
            }
            pages.get(pte & ADDR_MASK);
            child.residentPages++;
        });
        tables.changed(pml4);
        if (failed[0]) {
            // The parent's pages stay copy-on-write; the first write takes them back.
            child.destroy();
            return null;
        }
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
            tables.set(pml4, va, old | flags);
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
        tables.set(pml4, va, copy | flags);
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

    /**
     * Maps a fresh zeroed page at va with the VMA's protection; returns its physical
     * address, or -1 when va is not a user address or no page is left (for the page or
     * for a page table on the way).
     */
    public long populate(long va, int prot) {
        long pa = pages.alloc();
        if (pa < 0) {
            return -1;
        }
        if (!tables.map(pml4, Layout.pageDown(va), pa, pteFlags(prot))) {
            pages.free(pa);
            return -1;
        }
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

    /** The leaf entry mapping va (0 if none): what mincore and the checkers look at. */
    public long entry(long va) {
        return tables.lookup(pml4, va);
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
            return write && v.shared == null && breakCow(addr);
        }
        if (v.shared != null) {
            return mapShared(v, addr);
        }
        if (populate(addr, v.prot) < 0) {
            outOfMemory = true;
            return false;
        }
        return true;
    }

    /** Maps the shared object's page for addr (made on first touch), with the VMA's protection. */
    private boolean mapShared(Vma v, long addr) {
        long va = Layout.pageDown(addr);
        long pa = v.shared.frame((v.fileOffset + (va - v.start)) >>> 12);
        if (pa < 0 || !tables.map(pml4, va, pa, pteFlags(v.prot))) {
            outOfMemory = true;
            return false;
        }
        pages.get(pa);
        residentPages++;
        return true;
    }

    /** Whether [start, end) is a page-aligned, non-empty range of the user half: the only kind this class edits. */
    private static boolean userRange(long start, long end) {
        return ((start | end) & 0xfff) == 0 && Long.compareUnsigned(start, end) < 0
            && Long.compareUnsigned(end, Layout.TASK_SIZE) <= 0;
    }

    /**
     * Splits VMAs at start and end, so that each VMA lies wholly inside [start, end) or
     * wholly outside it. Needs up to two more VMAs; false (nothing changed) without room.
     */
    private boolean carve(long start, long end) {
        int extra = 0;
        for (Vma v : vmas) {
            extra += (v.contains(start) && v.start != start ? 1 : 0) + (v.contains(end) && v.start != end ? 1 : 0);
        }
        if (!roomForVmas(extra)) {
            return false;
        }
        splitAt(start);
        splitAt(end);
        return true;
    }

    private void splitAt(long addr) {
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            if (v.contains(addr) && v.start != addr) {
                Vma tail = new Vma(addr, v.end, v.prot, v.name, v.fileOffset + (addr - v.start));
                tail.locked = v.locked;
                share(tail, v.shared);
                v.end = addr;
                vmas.add(i + 1, tail);
                return;
            }
        }
    }

    /**
     * Joins neighbours that continue each other (vma_merge): contiguous, same protection,
     * lock and name, and for a file mapping the next offset. Anonymous memory ("" or a
     * bracketed name like [heap]) has no offset to continue, so two mmaps side by side
     * become one VMA, as on Linux.
     */
    private void merge() {
        for (int i = vmas.size() - 1; i > 0; i--) {
            Vma a = vmas.get(i - 1);
            Vma b = vmas.get(i);
            boolean anonymous = a.name.isEmpty() || a.name.startsWith("[");
            if (a.end == b.start && a.prot == b.prot && a.locked == b.locked && a.name.equals(b.name)
                && a.shared == b.shared && (anonymous || b.fileOffset == a.fileOffset + (a.end - a.start))) {
                a.end = b.end;
                drop(vmas.remove(i));
            }
        }
    }

    /** Clears the page-table entries of [start, end), freeing pages and emptied tables. */
    private void zap(long start, long end) {
        residentPages -= tables.zap(pml4, start, end, e -> {
            if ((e & P) != 0) {
                pages.put(e & ADDR_MASK);
            }
        });
    }

    /**
     * Removes mappings in [start, end), splitting VMAs and freeing pages. A range outside
     * the user half, unaligned or empty is refused (false) before anything changes; so
     * is a split that would exceed {@link #MAX_MAP_COUNT}.
     */
    public boolean unmap(long start, long end) {
        if (!userRange(start, end) || !carve(start, end)) {
            return false;
        }
        removeVmas(start, end);
        zap(start, end);
        return true;
    }

    /**
     * MADV_DONTNEED: drops the pages of [start, end) but keeps the mappings, so the next
     * touch finds a zeroed page, as for private anonymous memory on Linux.
     */
    public boolean discard(long start, long end) {
        if (!userRange(start, end)) {
            return false;
        }
        zap(start, end);
        return true;
    }

    /** Changes protection of [start, end): VMAs are split and present PTEs rewritten. */
    public boolean protect(long start, long end, int prot) {
        if (!userRange(start, end) || !carve(start, end)) {
            return false;
        }
        for (Vma v : vmas) {
            if (Long.compareUnsigned(v.start, start) >= 0 && Long.compareUnsigned(v.end, end) <= 0) {
                v.prot = prot;
            }
        }
        merge();
        tables.forEachLeafIn(pml4, start, end, (va, pteAddr) -> {
            long old = mem.read64(pteAddr);
            long flags = pteFlags(prot) | (old & (D | COW));
            Vma v = find(va);
            if (v != null && v.shared != null) {
                // The shared object's page: as writable as the mapping, never copied.
                mem.write64(pteAddr, (old & ADDR_MASK) | (flags & ~COW));
                return;
            }
            if ((flags & RW) != 0 && ((old & COW) != 0 || pages.refs(old & ADDR_MASK) > 1)) {
                // A frame another mapping shares is never writable: the first write copies it.
                flags = (flags & ~RW) | COW;
            }
            mem.write64(pteAddr, (old & ADDR_MASK) | flags);
        });
        tables.changed(pml4);
        return true;
    }

    /**
     * mremap's move: the pages of [from, from+len) and the VMA that holds them go to
     * [to, to+len), which must be free. With keepSource (MREMAP_DONTUNMAP) the source
     * VMA stays, empty. Table pages for the target are made first, so a move either
     * happens whole or, out of memory, not at all (false).
     */
    public boolean move(long from, long len, long to, boolean keepSource) {
        if (!userRange(from, from + len) || !userRange(to, to + len) || overlaps(to, to + len)) {
            return false;
        }
        Vma src = find(from);
        if (src == null || Long.compareUnsigned(src.end, from + len) < 0 || !roomForVmas(keepSource ? 1 : 3)) {
            return false;
        }
        boolean[] failed = new boolean[1];
        tables.forEachLeafIn(pml4, from, from + len, (va, pteAddr) -> {
            if (!failed[0] && tables.slot(pml4, to + (va - from), true) < 0) {
                failed[0] = true;
            }
        });
        if (failed[0]) {
            return false;
        }
        int prot = src.prot;
        String name = src.name;
        long offset = src.fileOffset + (from - src.start);
        SharedAnon object = src.shared;
        if (object != null) {
            object.retain(); // held across the removal of the source below
        }
        tables.forEachLeafIn(pml4, from, from + len, (va, pteAddr) -> {
            long e = mem.read64(pteAddr);
            mem.write64(pteAddr, 0);
            mem.write64(tables.slot(pml4, to + (va - from), false), e);
        });
        tables.changed(pml4);
        if (!keepSource) {
            carve(from, from + len);
            removeVmas(from, from + len);
            // Emptied tables of the source go back now; nothing is mapped there any more.
            zap(from, from + len);
        }
        Vma moved = addVma(to, to + len, prot, name, offset);
        moved.shared = object;
        merge();
        return true;
    }

    /**
     * Grows the VMA ending at end by extra bytes in place (mremap without a move, brk);
     * false when that VMA does not end there or the room after it is taken.
     */
    public boolean growInPlace(long end, long extra) {
        long newEnd = end + extra;
        if (!userRange(end, newEnd) || overlaps(end, newEnd)) {
            return false;
        }
        for (Vma v : vmas) {
            if (v.end == end) {
                v.end = newEnd;
                merge();
                return true;
            }
        }
        return false;
    }

    /** Releases every user page and page table. */
    public void destroy() {
        tables.free(pml4, e -> pages.put(e & ADDR_MASK));
        vmas.forEach(AddressSpace::drop);
        vmas.clear();
        residentPages = 0;
    }

    /** Visits every present user leaf: (virtual address, entry). For the checkers. */
    public void forEachMapping(java.util.function.BiConsumer<Long, Long> visit) {
        tables.forEachLeaf(pml4, (va, pteAddr) -> visit.accept(va, mem.read64(pteAddr)));
    }

    public PhysicalMemory memory() {
        return mem;
    }
}

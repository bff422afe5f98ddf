package microlith.kernel.mm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import microlith.hw.PhysicalMemory;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * Walks every page table of the machine and checks what must always hold, for the
 * fuzzer and for tests (a debugging aid in the spirit of Linux's CONFIG_DEBUG_VM and
 * ptdump's W+X check):
 *
 * <ol>
 * <li>nothing in the kernel half (PML4 entries 256-511) is reachable from ring 3: no
 *     leaf (4 KiB, 2 MiB or 1 GiB) has U/S set at every level on its way;</li>
 * <li>every address space shares the kernel half: its PML4 entries 256-511 are the
 *     kernel PML4's;</li>
 * <li>the user half holds only 4 KiB leaves, in table pages that are allocated and
 *     belong to one address space;</li>
 * <li>every user leaf maps an allocated frame, lies inside a VMA, grants no more than
 *     that VMA (no write without PROT_WRITE, no execute without PROT_EXEC), and is
 *     either writable and the frame's only mapping or read-only (copy-on-write);</li>
 * <li>each frame is mapped exactly as many times as the page allocator counts;</li>
 * <li>VMAs are page-aligned, non-empty, sorted, disjoint and in the user half, and an
 *     address space's resident-page count matches its present leaves.</li>
 * </ol>
 */
public final class PageTableChecker {
    /** At most this many violations are described; the count goes on. */
    public static final int MAX_REPORTED = 20;

    /** What a walk found: counts and the violations (empty when everything holds). */
    public static final class Report {
        public int spaces;
        public long leaves;
        public long tables;
        public int violationCount;
        public final List<String> violations = new ArrayList<>();

        void violation(String what) {
            if (violationCount++ < MAX_REPORTED) {
                violations.add(what);
            }
        }

        public boolean ok() {
            return violationCount == 0;
        }

        @Override
        public String toString() {
            return spaces + " address spaces, " + tables + " table pages, " + leaves + " user pages: "
                + (ok() ? "ok" : violationCount + " violation(s): " + String.join("; ", violations));
        }
    }

    private final PhysicalMemory mem;
    private final PageAllocator pages;
    private final long kernelPml4;

    public PageTableChecker(PhysicalMemory mem, PageAllocator pages, long kernelPml4) {
        this.mem = mem;
        this.pages = pages;
        this.kernelPml4 = kernelPml4;
    }

    /** Checks the kernel's tables and every address space named in spaces (name to space). */
    public Report check(Map<String, AddressSpace> spaces) {
        Report r = new Report();
        kernelHalf(kernelPml4, 3, 0xffff_0000_0000_0000L, true, r);
        Set<Long> tablePages = new HashSet<>();
        Map<Long, Integer> mappings = new HashMap<>();
        for (Map.Entry<String, AddressSpace> e : spaces.entrySet()) {
            r.spaces++;
            space(e.getKey(), e.getValue(), tablePages, mappings, r);
        }
        // A shared anonymous object holds one reference on each of its frames besides the PTEs'.
        Set<SharedAnon> objects = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (AddressSpace mm : spaces.values()) {
            for (Vma v : mm.vmas()) {
                if (v.shared != null && objects.add(v.shared)) {
                    v.shared.frames().forEach(f -> mappings.merge(f, 1, Integer::sum));
                }
            }
        }
        for (Map.Entry<Long, Integer> m : mappings.entrySet()) {
            int refs = pages.refs(m.getKey());
            if (refs != m.getValue()) {
                r.violation(String.format("frame %x: mapped %d times, page allocator counts %d", m.getKey(),
                    m.getValue(), refs));
            }
        }
        return r;
    }

    /**
     * Rule 1 below one kernel-half entry. user says whether every level so far had U/S;
     * base is the (sign-extended) address the table's entry 0 maps.
     */
    private void kernelHalf(long table, int level, long base, boolean user, Report r) {
        int from = level == 3 ? UserPageTables.USER_PML4_ENTRIES : 0;
        for (int i = from; i < 512; i++) {
            long e = mem.read64(table + i * 8L);
            if ((e & P) == 0) {
                continue;
            }
            long va = base | (long) i << (12 + 9 * level);
            boolean u = user && (e & US) != 0;
            if (level == 0 || (e & PS) != 0) {
                if (u) {
                    r.violation(String.format("user-accessible kernel mapping at %016x", va));
                }
            } else if (u) {
                // Only a path that stays U/S all the way down can expose a leaf.
                kernelHalf(e & ADDR_MASK, level - 1, va, true, r);
            }
        }
    }

    private void space(String name, AddressSpace mm, Set<Long> tablePages, Map<Long, Integer> mappings, Report r) {
        long pml4 = mm.pml4;
        for (int i = UserPageTables.USER_PML4_ENTRIES; i < 512; i++) {
            // The Accessed bit is the MMU's own note of which copy it walked, not a difference in mapping.
            long mine = mem.read64(pml4 + i * 8L), kernels = mem.read64(kernelPml4 + i * 8L);
            if (((mine ^ kernels) & ~A) != 0) {
                r.violation(String.format("%s: PML4 entry %d differs from the kernel's (%x, the kernel's %x)", name, i,
                    mine, kernels));
            }
        }
        vmas(name, mm, r);
        if (!tablePages.add(pml4) || !pages.isAllocated(pml4)) {
            r.violation(String.format("%s: PML4 %x is shared or free", name, pml4));
        }
        long[] present = new long[1];
        userHalf(name, mm, pml4, 3, 0, tablePages, mappings, present, r);
        r.leaves += present[0];
        if (present[0] != mm.residentPages()) {
            r.violation(String.format("%s: %d pages mapped, resident count says %d", name, present[0],
                mm.residentPages()));
        }
    }

    private void vmas(String name, AddressSpace mm, Report r) {
        long prevEnd = 0;
        for (Vma v : mm.vmas()) {
            if (((v.start | v.end) & 0xfff) != 0 || Long.compareUnsigned(v.start, v.end) >= 0
                || Long.compareUnsigned(v.end, Layout.TASK_SIZE) > 0 || Long.compareUnsigned(v.start, prevEnd) < 0) {
                r.violation(String.format("%s: bad VMA %s (after one ending at %x)", name, v, prevEnd));
            }
            prevEnd = v.end;
        }
    }

    private void userHalf(String name, AddressSpace mm, long table, int level, long base, Set<Long> tablePages,
                          Map<Long, Integer> mappings, long[] present, Report r) {
        int limit = level == 3 ? UserPageTables.USER_PML4_ENTRIES : 512;
        for (int i = 0; i < limit; i++) {
            long e = mem.read64(table + i * 8L);
            if ((e & P) == 0) {
                continue;
            }
            long va = base | (long) i << (12 + 9 * level);
            long frame = e & ADDR_MASK;
            if (level == 0) {
                present[0]++;
                leaf(name, mm, va, e, mappings, r);
            } else if ((e & PS) != 0) {
                r.violation(String.format("%s: large page in the user half at %x", name, va));
            } else {
                r.tables++;
                if (!tablePages.add(frame) || !pages.isAllocated(frame)) {
                    r.violation(String.format("%s: table page %x for %x is shared or free", name, frame, va));
                    continue;
                }
                userHalf(name, mm, frame, level - 1, va, tablePages, mappings, present, r);
            }
        }
    }

    private void leaf(String name, AddressSpace mm, long va, long e, Map<Long, Integer> mappings, Report r) {
        long frame = e & ADDR_MASK;
        mappings.merge(frame, 1, Integer::sum);
        if (!pages.isAllocated(frame)) {
            r.violation(String.format("%s: page at %x maps free frame %x", name, va, frame));
        }
        Vma v = mm.find(va);
        if (v == null) {
            r.violation(String.format("%s: page at %x lies outside every VMA", name, va));
            return;
        }
        if ((e & RW) != 0 && (v.prot & Vma.PROT_WRITE) == 0) {
            r.violation(String.format("%s: page at %x is writable in a VMA without PROT_WRITE", name, va));
        }
        if ((e & NX) == 0 && (v.prot & Vma.PROT_EXEC) == 0) {
            r.violation(String.format("%s: page at %x is executable in a VMA without PROT_EXEC", name, va));
        }
        if ((e & RW) != 0 && (e & AddressSpace.COW) != 0) {
            r.violation(String.format("%s: page at %x is writable and copy-on-write", name, va));
        }
        if (v.shared != null) {
            if (!v.shared.holds((v.fileOffset + (va - v.start)) >>> 12, frame)) {
                r.violation(String.format("%s: page at %x is not its shared mapping's page", name, va));
            }
            return;
        }
        if ((e & RW) != 0 && pages.refs(frame) != 1) {
            r.violation(String.format("%s: writable page at %x shares frame %x (%d refs)", name, va, frame,
                pages.refs(frame)));
        }
    }
}

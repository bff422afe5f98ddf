package microlith.kernel.mm;

import static microlith.hw.mmu.PageTableEntry.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import microlith.hw.PhysicalMemory;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Address-space edits on behalf of user space: they never reach the kernel half, never
 * throw, give every page and table back, and keep the page-table invariants.
 */
class AddressSpaceTest {
    private static final long KERNEL_TEXT = Layout.KERNEL_TEXT;
    private static final int RW_ = Vma.PROT_READ | Vma.PROT_WRITE;

    private final PhysicalMemory mem = new PhysicalMemory(16 << 20);
    private final PageAllocator pages = new PageAllocator(mem);
    private final PageTables kernelTables = new PageTables(mem, pages);
    private long kernelPml4;
    private PageTableChecker checker;

    @BeforeEach
    void kernelHalf() {
        pages.reserve(0, 0x100000);
        kernelPml4 = kernelTables.newTable();
        // The direct map with 2 MiB pages, as the kernel builds it: the "large page in the way".
        for (long pa = 0; pa < mem.size(); pa += 2L << 20) {
            kernelTables.map2M(kernelPml4, Layout.va(pa), pa, RW | NX | G);
        }
        kernelTables.map(kernelPml4, KERNEL_TEXT, 0x200000, G);
        checker = new PageTableChecker(mem, pages, kernelPml4);
    }

    private AddressSpace space() {
        return AddressSpace.create(kernelTables, pages, mem, kernelPml4);
    }

    private PageTableChecker.Report check(AddressSpace... spaces) {
        Map<String, AddressSpace> m = new LinkedHashMap<>();
        for (int i = 0; i < spaces.length; i++) {
            m.put("as" + i, spaces[i]);
        }
        return checker.check(m);
    }

    @Test
    void theFuzzersMunmapIsRefusedWithoutTouchingAnything() {
        AddressSpace mm = space();
        mm.mapAnonymous(0x10000000L, 0x10004000L, RW_, "");
        mm.handleFault(0x10000000L, true, false);
        int free = pages.freePages();
        // munmap(0x10000000, 0x3b6067aae890269d): the end leaves the user half (and is not canonical).
        assertThat(mm.unmap(0x10000000L, 0x10000000L + Layout.pageUp(0x3b6067aae890269dL))).isFalse();
        assertThat(mm.unmap(0x10000000L, 0x0000888000001000L)).isFalse();
        assertThat(mm.unmap(KERNEL_TEXT, KERNEL_TEXT + 4096)).isFalse();
        assertThat(mm.protect(0x10000000L, 0xffff888000000000L, Vma.PROT_READ)).isFalse();
        assertThat(pages.freePages()).isEqualTo(free);
        assertThat(mm.vmas()).hasSize(1);
        assertThat(check(mm).ok()).as(check(mm).toString()).isTrue();
    }

    @Test
    void userTablesRefuseKernelAndNonCanonicalAddressesByConstruction() {
        UserPageTables t = new UserPageTables(mem, pages, kernelTables);
        AddressSpace mm = space();
        for (long va : new long[] {KERNEL_TEXT, Layout.PAGE_OFFSET, 0x0000888000000000L, 0x8000000000000000L,
            Layout.TASK_SIZE, -4096L}) {
            assertThat(t.slot(mm.pml4, va, true)).as("%x", va).isEqualTo(-1);
            assertThat(t.map(mm.pml4, va, 0x300000, P | RW)).isFalse();
            assertThat(t.lookup(mm.pml4, va)).isZero();
            assertThat(t.clear(mm.pml4, va)).isZero();
        }
        assertThat(mem.read64(kernelPml4 + 273 * 8L)).isEqualTo(mem.read64(mm.pml4 + 273 * 8L));
        assertThat(check(mm).ok()).isTrue();
    }

    @Test
    void aLargePageInTheUserHalfIsAFailureNotAnException() {
        AddressSpace mm = space();
        long pdpt = pages.alloc();
        mem.write64(mm.pml4, pdpt | P | RW | US);
        mem.write64(pdpt, 0x40000000L | P | RW | US | PS);
        mm.mapAnonymous(0x1000, 0x3000, RW_, "");
        assertThat(mm.handleFault(0x1000, true, false)).isFalse();
        assertThat(mm.populate(0x2000, RW_)).isEqualTo(-1);
        assertThat(mm.unmap(0x1000, 0x3000)).isTrue();
        assertThat(check(mm).violations).anyMatch(v -> v.contains("large page in the user half"));
    }

    @Test
    void runningOutOfPagesForTablesFailsCleanly() {
        AddressSpace parent = space();
        parent.mapAnonymous(0x400000, 0x800000, RW_, "");
        for (long va = 0x400000; va < 0x800000; va += 4096) {
            assertThat(parent.handleFault(va, true, false)).isTrue();
        }
        int before = pages.freePages();
        // Leave room for a PML4 and a few tables only: the fork must give up and give back.
        java.util.List<Long> hog = new java.util.ArrayList<>();
        while (pages.freePages() > 2) {
            hog.add(pages.alloc());
        }
        assertThat(parent.fork(kernelPml4)).isNull();
        assertThat(pages.freePages()).isEqualTo(2);
        parent.mapAnonymous(0x40000000L, 0x40400000L, RW_, "");
        assertThat(parent.handleFault(0x40000000L, true, false) && parent.handleFault(0x40200000L, true, false))
            .isFalse();
        assertThat(parent.outOfMemory).isTrue();
        hog.forEach(pages::free);
        // The parent's pages went copy-on-write; every one is still its own.
        assertThat(check(parent).ok()).as(check(parent).toString()).isTrue();
        parent.unmap(0x40000000L, 0x40400000L);
        assertThat(pages.freePages()).isEqualTo(before);
    }

    @Test
    void unmapGivesBackPagesAndTheTablesItEmptied() {
        int free = pages.freePages();
        AddressSpace mm = space();
        long base = 0x7f0000000000L;
        mm.mapAnonymous(base, base + (64L << 20), RW_, "");
        for (long va = base; va < base + (64L << 20); va += 2L << 20) {
            assertThat(mm.handleFault(va, true, false)).isTrue();
        }
        assertThat(mm.unmap(base, base + (64L << 20))).isTrue();
        assertThat(mm.residentPages()).isZero();
        assertThat(pages.freePages()).isEqualTo(free - 1); // the PML4 alone
        mm.destroy();
        assertThat(pages.freePages()).isEqualTo(free);
    }

    @Test
    void rangesAsLargeAsTheUserHalfCostWhatIsMappedNotTheirLength() {
        AddressSpace mm = space();
        mm.mapAnonymous(0x10000, 0x20000, RW_, "");
        mm.mapAnonymous(0x7ffffff00000L, 0x7ffffff10000L, RW_, "");
        mm.handleFault(0x10000, true, false);
        mm.handleFault(0x7ffffff00000L, true, false);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(mm.protect(0x10000, Layout.TASK_SIZE, Vma.PROT_READ)).isTrue();
            assertThat(mm.unmap(0x10000, Layout.TASK_SIZE)).isTrue();
        });
        assertThat(mm.vmas()).isEmpty();
        assertThat(mm.residentPages()).isZero();
    }

    @Test
    void forkSharesCopyOnWriteAndTheCheckerAgrees() {
        AddressSpace parent = space();
        parent.mapAnonymous(0x400000, 0x410000, RW_, "");
        for (long va = 0x400000; va < 0x410000; va += 4096) {
            parent.handleFault(va, true, false);
        }
        AddressSpace child = parent.fork(kernelPml4);
        assertThat(child).isNotNull();
        assertThat(check(parent, child).ok()).as(check(parent, child).toString()).isTrue();
        assertThat(child.handleFault(0x401000, true, false)).isTrue();
        assertThat(parent.handleFault(0x401000, true, false)).isTrue();
        assertThat(check(parent, child).ok()).as(check(parent, child).toString()).isTrue();
        child.destroy();
        parent.destroy();
    }

    /** The fuzzer's find: mprotect(READ) then mprotect(READ|WRITE) made a frame shared by fork writable. */
    @Test
    void noProtectionChangeMakesASharedFrameWritable() {
        AddressSpace parent = space();
        parent.mapAnonymous(0x400000, 0x402000, RW_, "");
        parent.handleFault(0x400000, true, false);
        parent.handleFault(0x401000, true, false);
        assertThat(parent.protect(0x401000, 0x402000, Vma.PROT_READ)).isTrue();
        AddressSpace child = parent.fork(kernelPml4);
        for (AddressSpace mm : new AddressSpace[] {child, parent}) {
            assertThat(mm.protect(0x400000, 0x402000, Vma.PROT_READ)).isTrue();
            assertThat(mm.protect(0x400000, 0x402000, RW_)).isTrue();
            assertThat(mm.entry(0x400000) & RW).isZero();
            assertThat(mm.entry(0x401000) & RW).isZero();
        }
        assertThat(check(parent, child).ok()).as(check(parent, child).toString()).isTrue();
        // A write still gets its own copy.
        assertThat(child.handleFault(0x401000, true, false)).isTrue();
        assertThat(child.physical(0x401000) & ~0xfffL).isNotEqualTo(parent.physical(0x401000) & ~0xfffL);
        assertThat(check(parent, child).ok()).as(check(parent, child).toString()).isTrue();
    }

    @Test
    void protectMoveAndGrowKeepVmasDisjointAndMerged() {
        AddressSpace mm = space();
        mm.mapAnonymous(0x100000, 0x108000, RW_, "");
        mm.handleFault(0x101000, true, false);
        assertThat(mm.protect(0x102000, 0x104000, Vma.PROT_READ)).isTrue();
        assertThat(mm.vmas()).hasSize(3);
        assertThat(mm.protect(0x102000, 0x104000, RW_)).isTrue();
        assertThat(mm.vmas()).hasSize(1);
        assertThat(mm.move(0x100000, 0x4000, 0x200000, false)).isTrue();
        assertThat(mm.physical(0x201000)).isPositive();
        assertThat(mm.physical(0x101000)).isEqualTo(-1);
        assertThat(mm.growInPlace(0x204000, 0x4000)).isTrue();
        assertThat(mm.covered(0x200000, 0x208000)).isTrue();
        assertThat(mm.covered(0x100000, 0x108000)).isFalse();
        assertThat(check(mm).ok()).as(check(mm).toString()).isTrue();
    }

    @Test
    void theAccessedBitTheMmuSetsOnTheKernelsPml4IsNoDifference() {
        AddressSpace mm = space();
        // The CPU walked the kernel's own PML4 (entry 273, the direct map) and marked it accessed.
        mem.write64(kernelPml4 + 273 * 8L, mem.read64(kernelPml4 + 273 * 8L) | A);
        assertThat(check(mm).ok()).as(check(mm).toString()).isTrue();
        mem.write64(kernelPml4 + 273 * 8L, mem.read64(kernelPml4 + 273 * 8L) | RW | NX);
        assertThat(check(mm).violations).anyMatch(v -> v.contains("PML4 entry 273 differs from the kernel's"));
    }

    @Test
    void theCheckerFindsWhatMustNeverHappen() {
        AddressSpace mm = space();
        mm.mapAnonymous(0x400000, 0x402000, RW_, "");
        mm.handleFault(0x400000, true, false);
        UserPageTables t = new UserPageTables(mem, pages, kernelTables);
        // A user page outside every VMA, a frame mapped twice writable, a user bit in the kernel half.
        long frame = mm.physical(0x400000) & ~0xfffL;
        t.map(mm.pml4, 0x500000, frame, P | RW | US | NX);
        long pdpt = mem.read64(kernelPml4 + 511 * 8L);
        mem.write64(kernelPml4 + 511 * 8L, pdpt | US);
        PageTableChecker.Report r = check(mm);
        assertThat(r.violations).anyMatch(v -> v.contains("outside every VMA"))
            .anyMatch(v -> v.contains("mapped 2 times"))
            .anyMatch(v -> v.contains("differs from the kernel's"));
        long pd = mem.read64((pdpt & ADDR_MASK) + 510 * 8L);
        mem.write64((pdpt & ADDR_MASK) + 510 * 8L, pd | US);
        long pt = mem.read64((pd & ADDR_MASK) + 8 * 8L);
        mem.write64((pd & ADDR_MASK) + 8 * 8L, pt | US);
        mem.write64(pt & ADDR_MASK, mem.read64(pt & ADDR_MASK) | US);
        assertThat(check().violations).anyMatch(v -> v.contains("user-accessible kernel mapping at ffffffff81000000"));
    }

    @Test
    void everyUserEditOfAPresentEntryIsToldToTheTlbKeeperAndEntriesKeepTheNxRule() {
        java.util.List<String> heard = new java.util.ArrayList<>();
        kernelTables.setListener(new PageTables.Listener() {
            @Override
            public void changed(long pml4) {
                heard.add("changed " + Long.toHexString(pml4));
            }

            @Override
            public void released(long pml4) {
                heard.add("released " + Long.toHexString(pml4));
            }
        });
        AddressSpace mm = space();
        String tag = Long.toHexString(mm.pml4);
        mm.mapAnonymous(0x400000, 0x402000, RW_, "");
        mm.handleFault(0x400000, true, false);
        // A new entry where none was present: nothing cached can be stale.
        assertThat(heard).isEmpty();
        mm.protect(0x400000, 0x402000, Vma.PROT_READ);
        assertThat(heard).containsExactly("changed " + tag);
        heard.clear();
        AddressSpace child = mm.fork(kernelPml4);
        assertThat(heard).contains("changed " + tag);
        heard.clear();
        mm.unmap(0x400000, 0x402000);
        assertThat(heard).containsExactly("changed " + tag);
        heard.clear();
        child.destroy();
        assertThat(heard).containsExactly("released " + Long.toHexString(child.pml4));

        // noexec=off: the CPU has no NX, so no user entry may carry it.
        kernelTables.setSupportedMask(~NX);
        AddressSpace plain = space();
        plain.mapAnonymous(0x400000, 0x401000, RW_, "");
        plain.handleFault(0x400000, true, false);
        assertThat(plain.entry(0x400000) & NX).isZero();
        kernelTables.setSupportedMask(-1L);
        AddressSpace nx = space();
        nx.mapAnonymous(0x400000, 0x401000, RW_, "");
        nx.handleFault(0x400000, true, false);
        assertThat(nx.entry(0x400000) & NX).isNotZero();
    }
}

package microlith.kernel.mm;

import static microlith.hw.mmu.PageTableEntry.A;
import static microlith.hw.mmu.PageTableEntry.D;
import static microlith.hw.mmu.PageTableEntry.RW;
import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.PerfCounters;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.Cpu;
import microlith.hw.io.IoBus;
import org.junit.jupiter.api.Test;

/**
 * The kernel's PCID bookkeeping on a real CPU and real page tables: an address space
 * switched back to keeps its translations; one whose tables change while another is
 * loaded is flushed (INVPCID) so it never sees a stale translation; a PCID taken from
 * the least recently used address space is flushed on its first load.
 */
class PcidTest {
    private static final long X = 0x400000;
    private static final long DESC = 0x7000_0000L;
    private final PhysicalMemory mem = new PhysicalMemory(16 << 20);
    private final PerfCounters perf = new PerfCounters();
    private final Cpu cpu = new Cpu(mem, new IoBus(), perf);
    private final PageAllocator pages = new PageAllocator(mem);
    private final PageTables tables = new PageTables(mem, pages);
    private final long desc = pages.alloc();
    private final Pcid pcid = new Pcid(cpu, DESC);

    PcidTest() {
        pages.reserve(0, 1 << 20);
    }

    /** An address space mapping X to a fresh page holding value, and the INVPCID descriptor page. */
    private long space(long value) {
        long pml4 = tables.newTable();
        long page = pages.alloc();
        mem.write64(page, value);
        tables.map(pml4, X, page, RW | A | D);
        tables.map(pml4, DESC, desc, RW | A | D);
        return pml4;
    }

    private void load(long pml4) {
        cpu.writeCr(3, pcid.cr3For(pml4));
    }

    private void start(long first) {
        cpu.resetToLongMode(first, 0, 0, 0, 0);
        tables.setListener(pcid);
        pcid.enable();
        load(first);
    }

    @Test
    void switchingBackKeepsTranslationsAndAChangeWhileAwayIsFlushed() {
        long a = space(1);
        long b = space(2);
        start(a);
        assertThat(cpu.read64(X)).isEqualTo(1);
        load(b);
        assertThat(cpu.read64(X)).isEqualTo(2);
        long misses = perf.tlbMisses;
        load(a);
        assertThat(cpu.read64(X)).isEqualTo(1);
        assertThat(perf.tlbMisses).as("a's translation survived the switch").isEqualTo(misses);
        assertThat(cpu.cr3() & 0xfff).isNotZero();

        // While b is loaded, a's page moves (a copy-on-write break made by a grant copy, say).
        load(b);
        long moved = pages.alloc();
        mem.write64(moved, 3);
        tables.setEntry(a, X, moved | microlith.hw.mmu.PageTableEntry.P | RW | A | D);
        load(a);
        assertThat(cpu.read64(X)).as("no stale translation").isEqualTo(3);
    }

    @Test
    void theLeastRecentlyUsedAddressSpaceGivesUpItsPcid() {
        long[] spaces = new long[Pcid.DYNAMIC + 1];
        for (int i = 0; i < spaces.length; i++) {
            spaces[i] = space(10 + i);
        }
        start(spaces[0]);
        for (int i = 1; i < spaces.length; i++) {
            load(spaces[i]);
            assertThat(cpu.read64(X)).isEqualTo(10 + i);
        }
        // The seventh took the first one's PCID; the first, back, takes the next least recently used (spaces[1]'s).
        long misses = perf.tlbMisses;
        load(spaces[0]);
        assertThat(cpu.read64(X)).isEqualTo(10);
        assertThat(perf.tlbMisses).as("spaces[0] starts clean").isGreaterThan(misses);
        misses = perf.tlbMisses;
        load(spaces[Pcid.DYNAMIC]);
        assertThat(cpu.read64(X)).isEqualTo(10 + Pcid.DYNAMIC);
        assertThat(perf.tlbMisses).as("spaces[6] kept its PCID").isEqualTo(misses);
        load(spaces[1]);
        assertThat(cpu.read64(X)).isEqualTo(11);
        assertThat(perf.tlbMisses).as("spaces[1] lost its PCID to spaces[0]").isGreaterThan(misses);
    }
}

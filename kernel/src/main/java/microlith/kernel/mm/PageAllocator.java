package microlith.kernel.mm;

import java.util.BitSet;
import microlith.hw.PerfCounters;
import microlith.hw.PhysicalMemory;

/**
 * The physical page frame allocator. The free map is bookkeeping and stays a Java
 * BitSet (DESIGN.md invariant 3 allows that); the pages themselves are simulated memory
 * and are zeroed on allocation, so no data leaks from one owner to the next. Each page
 * cleared is counted (and costed, CostModel.PAGE_ZERO).
 */
public final class PageAllocator {
    private final PhysicalMemory mem;
    private final PerfCounters perf;
    private final BitSet used;
    /** Mappings per frame beyond the first, for pages shared copy-on-write after fork. */
    private final short[] extraRefs;
    private final int frames;
    private int next;
    private int free;
    private final int total;

    public PageAllocator(PhysicalMemory mem) {
        this(mem, new PerfCounters());
    }

    public PageAllocator(PhysicalMemory mem, PerfCounters perf) {
        this.mem = mem;
        this.perf = perf;
        this.frames = (int) (mem.size() / Layout.PAGE_SIZE);
        this.used = new BitSet(frames);
        this.extraRefs = new short[frames];
        this.free = frames;
        this.total = frames;
    }

    /** Marks [start, end) as unavailable (firmware, kernel image, initrd). */
    public void reserve(long start, long end) {
        int a = (int) (start / Layout.PAGE_SIZE);
        int b = (int) Math.min(frames, Layout.pageUp(end) / Layout.PAGE_SIZE);
        for (int i = a; i < b; i++) {
            if (!used.get(i)) {
                used.set(i);
                free--;
            }
        }
    }

    /** Returns to the free pool a range that was reserved (e.g. the initrd once unpacked). */
    public void release(long start, long end) {
        int a = (int) (Layout.pageUp(start) / Layout.PAGE_SIZE);
        int b = (int) (Layout.pageDown(end) / Layout.PAGE_SIZE);
        for (int i = a; i < b; i++) {
            if (used.get(i)) {
                used.clear(i);
                free++;
            }
        }
    }

    /** A zeroed page's physical address, or -1 when memory is exhausted. */
    public long alloc() {
        long pa = allocUncleared();
        if (pa >= 0) {
            mem.fill(pa, (int) Layout.PAGE_SIZE, (byte) 0);
            perf.pagesZeroed++;
        }
        return pa;
    }

    /**
     * A page whose old contents the caller overwrites at once (a copy-on-write copy), so
     * clearing it first would be wasted work; -1 when memory is exhausted.
     */
    public long allocUncleared() {
        int i = used.nextClearBit(next);
        if (i >= frames) {
            i = used.nextClearBit(0);
            if (i >= frames) {
                return -1;
            }
        }
        used.set(i);
        free--;
        next = i + 1;
        return (long) i * Layout.PAGE_SIZE;
    }

    /** Physically contiguous zeroed pages, or -1. */
    public long allocContiguous(int pages) {
        return allocContiguous(pages, 1);
    }

    /**
     * Physically contiguous zeroed pages starting on a multiple of align pages (a buddy
     * allocator's order-n block is aligned so), or -1.
     */
    public long allocContiguous(int pages, int align) {
        int start = 0;
        while (true) {
            int a = used.nextClearBit(start);
            a = (a + align - 1) / align * align;
            if (a + pages > frames) {
                return -1;
            }
            int b = used.nextSetBit(a);
            if (b < 0 || b - a >= pages) {
                used.set(a, a + pages);
                free -= pages;
                long pa = (long) a * Layout.PAGE_SIZE;
                mem.fill(pa, (int) (pages * Layout.PAGE_SIZE), (byte) 0);
                perf.pagesZeroed += pages;
                return pa;
            }
            start = b;
        }
    }

    /** A page was copied into one from {@link #allocUncleared} (counted and costed as such). */
    public void copied() {
        perf.pagesCopied++;
    }

    /** One more mapping shares the frame. */
    public void get(long pa) {
        extraRefs[(int) (pa / Layout.PAGE_SIZE)]++;
    }

    /** How many mappings share the frame. */
    public int refs(long pa) {
        return extraRefs[(int) (pa / Layout.PAGE_SIZE)] + 1;
    }

    /** Drops one mapping of the frame; the last one frees it. */
    public void put(long pa) {
        int i = (int) (pa / Layout.PAGE_SIZE);
        if (extraRefs[i] > 0) {
            extraRefs[i]--;
        } else {
            free(pa);
        }
    }

    public void free(long pa) {
        int i = (int) (pa / Layout.PAGE_SIZE);
        if (!used.get(i)) {
            throw new IllegalStateException("double free of page 0x" + Long.toHexString(pa));
        }
        used.clear(i);
        free++;
    }

    /** Whether the frame holding pa is in use (allocated or reserved). */
    public boolean isAllocated(long pa) {
        long i = pa / Layout.PAGE_SIZE;
        return i >= 0 && i < frames && used.get((int) i);
    }

    public int freePages() {
        return free;
    }

    public int totalPages() {
        return total;
    }
}

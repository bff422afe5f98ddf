package microlith.kernel.mm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kmalloc: kernel heap memory in simulated RAM, addressed through the direct map.
 *
 * <p>Small requests come from slabs, one page per slab, cut into objects of one size
 * class (16, 32, ... 2048 bytes, as Linux's kmalloc-N caches). Larger requests take
 * physically contiguous pages. Which objects are free is bookkeeping kept here, in Java;
 * the objects themselves are ordinary kernel memory, so an overflow corrupts whatever
 * lies next to it. A slab whose last object is freed goes back to the page allocator at
 * once, so /proc/meminfo's Slab line shows exactly what is in use (useful for leak checks).
 * Every allocation carries an owner tag, so a module that fails to load gives back all it took.
 */
public final class Kmalloc {
    private static final int MIN_SHIFT = 4, MAX_SHIFT = 11;

    private final PageAllocator pages;
    private final Map<Long, Slab> slabs = new HashMap<>();
    private final List<List<Slab>> partial = new ArrayList<>();
    /** Every live allocation: address to {size, owner}. */
    private final Map<Long, Allocation> live = new HashMap<>();
    private long slabPages;
    private long largePages;

    private record Allocation(int size, int pages, Object owner) {
    }

    /** One page cut into equal objects; free[i] marks a free object. */
    private static final class Slab {
        final long va;
        final int objSize;
        final boolean[] free;
        int inUse;

        Slab(long va, int objSize) {
            this.va = va;
            this.objSize = objSize;
            this.free = new boolean[(int) (Layout.PAGE_SIZE / objSize)];
            java.util.Arrays.fill(free, true);
        }
    }

    public Kmalloc(PageAllocator pages) {
        this.pages = pages;
        for (int s = MIN_SHIFT; s <= MAX_SHIFT; s++) {
            partial.add(new ArrayList<>());
        }
    }

    /** size bytes (zeroed) for owner, or 0 when memory is exhausted or size is not positive. */
    public long alloc(long size, Object owner) {
        if (size <= 0 || size > (64L << 20)) {
            return 0;
        }
        long va;
        if (size > 1 << MAX_SHIFT) {
            int n = (int) ((size + Layout.PAGE_SIZE - 1) / Layout.PAGE_SIZE);
            long pa = pages.allocContiguous(n);
            if (pa < 0) {
                return 0;
            }
            va = Layout.va(pa);
            largePages += n;
            live.put(va, new Allocation((int) size, n, owner));
            return va;
        }
        int shift = Math.max(MIN_SHIFT, 64 - Long.numberOfLeadingZeros(size - 1));
        List<Slab> list = partial.get(shift - MIN_SHIFT);
        if (list.isEmpty()) {
            long pa = pages.alloc();
            if (pa < 0) {
                return 0;
            }
            Slab s = new Slab(Layout.va(pa), 1 << shift);
            slabs.put(s.va, s);
            slabPages++;
            list.add(s);
        }
        Slab s = list.get(0);
        int i = 0;
        while (!s.free[i]) {
            i++;
        }
        s.free[i] = false;
        if (++s.inUse == s.free.length) {
            list.remove(0);
        }
        va = s.va + (long) i * s.objSize;
        live.put(va, new Allocation((int) size, 0, owner));
        return va;
    }

    /** Zeroes then returns: slab objects are recycled, so kzalloc must clear them. */
    public long allocZeroed(long size, Object owner, microlith.hw.PhysicalMemory mem) {
        long va = alloc(size, owner);
        if (va != 0) {
            mem.fill(Layout.pa(va), (int) size, (byte) 0);
        }
        return va;
    }

    /** kfree; false for an address that is not a live allocation (a double or bad free). */
    public boolean free(long va) {
        Allocation a = live.remove(va);
        if (a == null) {
            return false;
        }
        if (a.pages > 0) {
            long pa = Layout.pa(va);
            for (int i = 0; i < a.pages; i++) {
                pages.free(pa + i * Layout.PAGE_SIZE);
            }
            largePages -= a.pages;
            return true;
        }
        Slab s = slabs.get(Layout.pageDown(va));
        int i = (int) ((va - s.va) / s.objSize);
        boolean wasFull = s.inUse == s.free.length;
        s.free[i] = true;
        s.inUse--;
        List<Slab> list = partial.get(Integer.numberOfTrailingZeros(s.objSize) - MIN_SHIFT);
        if (s.inUse == 0) {
            list.remove(s);
            slabs.remove(s.va);
            pages.free(Layout.pa(s.va));
            slabPages--;
        } else if (wasFull) {
            list.add(s);
        }
        return true;
    }

    /** Frees everything owner still holds; returns the number of bytes that were outstanding. */
    public long freeAll(Object owner) {
        long bytes = 0;
        for (Map.Entry<Long, Allocation> e : new ArrayList<>(live.entrySet())) {
            if (e.getValue().owner == owner) {
                bytes += e.getValue().size;
                free(e.getKey());
            }
        }
        return bytes;
    }

    /** The size a live allocation was asked for, or -1. */
    public int sizeOf(long va) {
        Allocation a = live.get(va);
        return a == null ? -1 : a.size;
    }

    /** Pages held by slabs and large allocations (/proc/meminfo Slab). */
    public long pagesInUse() {
        return slabPages + largePages;
    }

    public long bytesInUse() {
        long n = 0;
        for (Allocation a : live.values()) {
            n += a.size;
        }
        return n;
    }
}

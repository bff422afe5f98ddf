package microlith.server;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import microlith.server.abi.Ipc;

/**
 * kmalloc inside a server: the module's "kernel memory" is the server's own heap. Memory
 * comes from the core in chunks by mmap(2) with MAP_POPULATE, so that no access to it
 * page-faults in the middle of the module's Java code; small requests are cut from
 * pages by size class (16 to 2048 bytes, as Linux's kmalloc caches), larger ones get
 * whole pages. Which block is which is bookkeeping, as Linux keeps it in struct page.
 */
final class Heap {
    private static final int PAGE = 4096, MIN = 16, MAX_SMALL = 2048, CHUNK = 64 * 1024;
    private static final int PROT_RW = 3, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
    private static final int MAP_POPULATE = 0x8000;
    private static final int SYS_MMAP = 9;

    private final Syscalls sys;
    /** Free blocks per size class (index log2(size) - 4). */
    private final ArrayDeque<Long>[] free;
    /** Freed runs of whole pages, by page count. */
    private final Map<Integer, ArrayDeque<Long>> freeRuns = new HashMap<>();
    /** Every live block: its address and size class (or page count for large blocks, negated). */
    private final Map<Long, Integer> live = new HashMap<>();
    /** Free page runs of the current chunk. */
    private long next;
    private long limit;
    private long top = Ipc.HEAP;
    private long bytesInUse;

    @SuppressWarnings("unchecked")
    Heap(Syscalls sys) {
        this.sys = sys;
        this.free = new ArrayDeque[8];
        for (int i = 0; i < free.length; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    private static int sizeClass(long size) {
        int c = 0;
        while ((MIN << c) < size) {
            c++;
        }
        return c;
    }

    /** n fresh pages from the heap, mapping and populating more when needed; 0 when none. */
    private long pages(int n) {
        long bytes = (long) n * PAGE;
        if (next + bytes > limit) {
            long want = Math.max(CHUNK, bytes);
            if (top + want > Ipc.HEAP_END) {
                return 0;
            }
            long r = sys.call(SYS_MMAP, top, want, PROT_RW,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_POPULATE, -1, 0);
            if (r != top) {
                return 0;
            }
            next = top;
            limit = top + want;
            top += want;
        }
        long a = next;
        next += bytes;
        return a;
    }

    long alloc(long size) {
        if (size <= 0 || size > 1L << 28) {
            return 0;
        }
        if (size <= MAX_SMALL) {
            int c = sizeClass(size);
            if (free[c].isEmpty()) {
                long page = pages(1);
                if (page == 0) {
                    return 0;
                }
                int block = MIN << c;
                for (int off = 0; off < PAGE; off += block) {
                    free[c].add(page + off);
                }
            }
            long a = free[c].poll();
            live.put(a, c);
            bytesInUse += MIN << c;
            return a;
        }
        int n = (int) ((size + PAGE - 1) / PAGE);
        ArrayDeque<Long> runs = freeRuns.get(n);
        long a = runs != null && !runs.isEmpty() ? runs.poll() : pages(n);
        if (a != 0) {
            live.put(a, -n);
            bytesInUse += (long) n * PAGE;
        }
        return a;
    }

    /** The block's size, or -1 for an address that is not a live block. */
    long sizeOf(long a) {
        Integer c = live.get(a);
        return c == null ? -1 : c >= 0 ? MIN << c : (long) -c * PAGE;
    }

    /** Frees a block; false for an address kmalloc never returned (or already freed). */
    boolean free(long a) {
        Integer c = live.remove(a);
        if (c == null) {
            return false;
        }
        if (c >= 0) {
            free[c].add(a);
            bytesInUse -= MIN << c;
        } else {
            bytesInUse -= (long) -c * PAGE;
            freeRuns.computeIfAbsent(-c, k -> new ArrayDeque<>()).add(a);
        }
        return true;
    }

    long bytesInUse() {
        return bytesInUse;
    }
}

package microlith.kernel.mm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The memory behind a MAP_SHARED|MAP_ANONYMOUS mapping (Linux's shmem_zero_setup: an
 * unnamed shmem file, "/dev/zero (deleted)" in /proc/PID/maps). Its pages belong to the
 * object, not to one address space: fork gives the child the same object, so a page
 * either process touches first, before or after the fork, is the page both see.
 *
 * The object holds one reference on each of its frames and each present PTE another, so
 * a frame goes back to the allocator when the object is dropped and no PTE maps it.
 * {@link #users} counts the VMAs that refer to the object, in every address space.
 */
public final class SharedAnon {
    private final PageAllocator pages;
    /** Page index in the object (the VMA's offset / 4 KiB) to frame. */
    private final Map<Long, Long> frames = new TreeMap<>();
    private int users;

    SharedAnon(PageAllocator pages) {
        this.pages = pages;
    }

    /** The frame at page index, allocated zeroed on first use; -1 when memory is out. */
    long frame(long index) {
        Long f = frames.get(index);
        if (f != null) {
            return f;
        }
        long pa = pages.alloc();
        if (pa >= 0) {
            frames.put(index, pa);
        }
        return pa;
    }

    /** Whether frame is this object's page at index: what the page-table checker asks. */
    public boolean holds(long index, long frame) {
        Long f = frames.get(index);
        return f != null && f == frame;
    }

    /** The frames the object holds, with the one reference each it owns. */
    public Iterable<Long> frames() {
        return frames.values();
    }

    void retain() {
        users++;
    }

    /** A VMA stopped referring to the object; the last one gives its frames back. */
    void release() {
        if (--users == 0) {
            for (long pa : frames.values()) {
                pages.put(pa);
            }
            frames.clear();
        }
    }
}

package microlith.kernel.mm;

import microlith.hw.PhysicalMemory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KmallocTest {
    private final PhysicalMemory mem = new PhysicalMemory(16 << 20);
    private final PageAllocator pages = new PageAllocator(mem);
    private final Kmalloc k = new Kmalloc(pages);

    @Test
    void smallObjectsShareASlabAndTheSlabGoesBackWhenEmpty() {
        int free = pages.freePages();
        long a = k.alloc(24, "t");
        long b = k.alloc(30, "t");
        assertThat(b - a).isEqualTo(32);
        assertThat(k.pagesInUse()).isEqualTo(1);
        assertThat(pages.freePages()).isEqualTo(free - 1);
        assertThat(k.free(a)).isTrue();
        assertThat(k.free(b)).isTrue();
        assertThat(k.pagesInUse()).isZero();
        assertThat(pages.freePages()).isEqualTo(free);
    }

    @Test
    void largeRequestsTakeContiguousPagesInTheDirectMap() {
        long a = k.alloc(10000, "t");
        assertThat(a).isGreaterThanOrEqualTo(Layout.PAGE_OFFSET);
        assertThat(a & 0xfff).isZero();
        assertThat(k.pagesInUse()).isEqualTo(3);
        assertThat(k.sizeOf(a)).isEqualTo(10000);
        k.free(a);
        assertThat(k.pagesInUse()).isZero();
    }

    @Test
    void doubleAndWildFreesAreRefused() {
        long a = k.alloc(100, "t");
        assertThat(k.free(a + 8)).isFalse();
        assertThat(k.free(a)).isTrue();
        assertThat(k.free(a)).isFalse();
    }

    @Test
    void freeAllReturnsEverythingAnOwnerHolds() {
        Object owner = new Object();
        k.alloc(16, owner);
        k.alloc(5000, owner);
        long keep = k.alloc(64, "other");
        assertThat(k.freeAll(owner)).isEqualTo(5016);
        assertThat(k.sizeOf(keep)).isEqualTo(64);
        assertThat(k.bytesInUse()).isEqualTo(64);
    }

    @Test
    void kzallocClearsRecycledObjects() {
        long a = k.alloc(64, "t");
        mem.write64(Layout.pa(a), -1);
        long b = k.alloc(64, "t");
        k.free(a);
        long c = k.allocZeroed(64, "t", mem);
        assertThat(c).isEqualTo(a);
        assertThat(mem.read64(Layout.pa(c))).isZero();
        k.free(b);
    }

    @Test
    void nonPositiveOrHugeSizesFail() {
        assertThat(k.alloc(0, "t")).isZero();
        assertThat(k.alloc(-5, "t")).isZero();
        assertThat(k.alloc(1L << 40, "t")).isZero();
    }
}

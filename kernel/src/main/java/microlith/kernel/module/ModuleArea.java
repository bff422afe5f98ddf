package microlith.kernel.module;

import java.util.ArrayList;
import java.util.List;
import microlith.hw.cpu.Cpu;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.mm.PageTables;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * The module area, 0xffffffffa0000000 up (Linux's MODULES_VADDR; KASLR starts it 1 to 1024
 * pages higher), where each module gets
 * its text (one 16-byte stub per entry point) and its data (struct module). Pages are
 * mapped in the kernel's shared page tables, so every address space sees them: text is
 * read-only and executable, data is writable and NX. Virtual addresses are handed out
 * in order and not reused, so a stale pointer into an unloaded module faults.
 */
public final class ModuleArea {
    static final int STUB = 16;

    private final Cpu cpu;
    private final PageAllocator pages;
    private final PageTables tables;
    private final long kernelPml4;
    private long next;
    /** [start, end) pairs of mapped module text. */
    private final List<long[]> text = new ArrayList<>();

    /** base: where the first module goes (MODULES_VADDR, or above it with KASLR). */
    public ModuleArea(Cpu cpu, PageAllocator pages, PageTables tables, long kernelPml4, long base) {
        this.next = base;
        this.cpu = cpu;
        this.pages = pages;
        this.tables = tables;
        this.kernelPml4 = kernelPml4;
    }

    /** The physical address behind a module-area address. */
    long physical(long va) {
        return (tables.lookup(kernelPml4, va) & ADDR_MASK) + (va & 0xfff);
    }

    /** Maps n fresh pages; returns the first virtual address, or 0 when memory is exhausted. */
    long map(int n, boolean isText) {
        if (Long.compareUnsigned(next + n * Layout.PAGE_SIZE, Layout.MODULES_END) > 0) {
            return 0;
        }
        long[] frames = new long[n];
        for (int i = 0; i < n; i++) {
            frames[i] = pages.alloc();
            if (frames[i] < 0) {
                for (int j = 0; j < i; j++) {
                    pages.free(frames[j]);
                }
                return 0;
            }
        }
        long va = next;
        next += (n + 1) * Layout.PAGE_SIZE; // one unmapped guard page after each block
        long flags = isText ? G | A : RW | NX | G | A | D;
        for (int i = 0; i < n; i++) {
            tables.map(kernelPml4, va + i * Layout.PAGE_SIZE, frames[i], flags);
        }
        if (isText) {
            text.add(new long[] {va, va + n * Layout.PAGE_SIZE});
            cpu.javaCallGate().addTextRange(va, va + n * Layout.PAGE_SIZE);
        }
        return va;
    }

    /** Unmaps and frees pages mapped by {@link #map}. */
    void unmap(long va, int n) {
        for (int i = 0; i < n; i++) {
            long v = va + i * Layout.PAGE_SIZE;
            long pte = tables.unmap(kernelPml4, v);
            if ((pte & P) != 0) {
                pages.free(pte & ADDR_MASK);
            }
            cpu.invlpg(v);
        }
        text.removeIf(r -> r[0] == va);
        cpu.javaCallGate().removeTextRange(va);
    }

    boolean isText(long addr) {
        for (long[] r : text) {
            if (Long.compareUnsigned(addr, r[0]) >= 0 && Long.compareUnsigned(addr, r[1]) < 0) {
                return true;
            }
        }
        return false;
    }

    /** Writes a stub {@code KCALL id; RET; INT3...} at va through the direct map (text is read-only). */
    void writeStub(long va, int id) {
        long pa = physical(va);
        byte[] b = new byte[STUB];
        java.util.Arrays.fill(b, (byte) 0xCC);
        b[0] = 0x0F;
        b[1] = 0x0A;
        b[2] = (byte) id;
        b[3] = (byte) (id >>> 8);
        b[4] = (byte) (id >>> 16);
        b[5] = (byte) (id >>> 24);
        b[6] = (byte) 0xC3;
        cpu.memory().writeBytes(pa, b, 0, STUB);
    }
}

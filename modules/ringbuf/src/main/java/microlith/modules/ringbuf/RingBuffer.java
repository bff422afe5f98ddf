package microlith.modules.ringbuf;

import microlith.module.api.ModuleContext;

/**
 * The ring itself, entirely in kmalloc'd kernel memory, laid out as a C driver would
 * declare it, so that a stray write elsewhere in the kernel can corrupt it as on hardware:
 *
 * <pre>
 *   +0   u32 size     capacity in bytes
 *   +4   u32 head     offset of the oldest byte
 *   +8   u32 used     bytes stored
 *   +16  u8  data[size]
 * </pre>
 *
 * Bytes wrap around the end of data; a transfer touches at most two contiguous pieces.
 */
final class RingBuffer {
    private static final int SIZE = 0, HEAD = 4, USED = 8, DATA = 16;

    private final ModuleContext ctx;
    private final long base;

    private RingBuffer(ModuleContext ctx, long base) {
        this.ctx = ctx;
        this.base = base;
    }

    /** kzalloc's the ring; null when kernel memory is exhausted. */
    static RingBuffer allocate(ModuleContext ctx, int size) {
        long base = ctx.kzalloc(DATA + (long) size);
        if (base == 0) {
            return null;
        }
        ctx.write32(base + SIZE, size);
        return new RingBuffer(ctx, base);
    }

    void free() {
        ctx.kfree(base);
    }

    int size() {
        return ctx.read32(base + SIZE);
    }

    int used() {
        return ctx.read32(base + USED);
    }

    /** Bytes that still fit. */
    int space() {
        return size() - used();
    }

    void clear() {
        ctx.write32(base + HEAD, 0);
        ctx.write32(base + USED, 0);
    }

    /** Copies the oldest n bytes (n at most used()) into dst without consuming them. */
    void peek(byte[] dst, int n) {
        int size = size();
        int head = ctx.read32(base + HEAD);
        int first = Math.min(n, size - head);
        ctx.readBytes(base + DATA + head, dst, 0, first);
        if (n > first) {
            ctx.readBytes(base + DATA, dst, first, n - first);
        }
    }

    /** Drops the oldest n bytes (after a successful copy to the reader). */
    void consume(int n) {
        int head = ctx.read32(base + HEAD);
        ctx.write32(base + HEAD, (head + n) % size());
        ctx.write32(base + USED, used() - n);
    }

    /** Appends n bytes of src (n at most space()). */
    void append(byte[] src, int n) {
        int size = size();
        int tail = (ctx.read32(base + HEAD) + used()) % size;
        int first = Math.min(n, size - tail);
        ctx.writeBytes(base + DATA + tail, src, 0, first);
        if (n > first) {
            ctx.writeBytes(base + DATA, src, first, n - first);
        }
        ctx.write32(base + USED, used() + n);
    }
}

package microlith.modules.ata;

import microlith.module.api.ModuleContext;

/**
 * The driver's state, in kmalloc'd kernel memory as a C driver keeps its struct ata_port
 * and struct ata_device (DESIGN.md invariant 3), so that a stray write elsewhere in the
 * kernel, or a corrupted pointer in the driver, damages it as it would on hardware:
 *
 * <pre>
 *   +0x00  u64 n_sectors   capacity from IDENTIFY DEVICE
 *   +0x08  u32 flags       bit 0 FLUSH_EXT: FLUSH CACHE EXT is supported
 *                          bit 1 AWAITING_IRQ: a command may still raise INTRQ
 *   +0x10  u64 reads       completed requests, for /proc/ata
 *   +0x18  u64 writes
 *   +0x20  u64 flushes
 *   +0x28  u64 irqs        interrupts acknowledged
 * </pre>
 */
final class AtaState {
    static final int N_SECTORS = 0x00, FLAGS = 0x08, READS = 0x10, WRITES = 0x18, FLUSHES = 0x20, IRQS = 0x28;
    static final int SIZE = 0x30;
    static final int FLUSH_EXT = 1, AWAITING_IRQ = 2;

    private final ModuleContext ctx;
    private final long base;

    private AtaState(ModuleContext ctx, long base) {
        this.ctx = ctx;
        this.base = base;
    }

    /** kzalloc's the state; null when kernel memory is exhausted. */
    static AtaState allocate(ModuleContext ctx) {
        long base = ctx.kzalloc(SIZE);
        return base == 0 ? null : new AtaState(ctx, base);
    }

    void free() {
        ctx.kfree(base);
    }

    long get(int field) {
        return ctx.read64(base + field);
    }

    void count(int field) {
        ctx.write64(base + field, ctx.read64(base + field) + 1);
    }

    void setSectors(long n) {
        ctx.write64(base + N_SECTORS, n);
    }

    boolean flag(int bit) {
        return (ctx.read32(base + FLAGS) & bit) != 0;
    }

    void setFlag(int bit, boolean on) {
        int f = ctx.read32(base + FLAGS);
        ctx.write32(base + FLAGS, on ? f | bit : f & ~bit);
    }
}

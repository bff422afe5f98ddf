package microlith.modules.ringbuf;

import microlith.module.api.Errno;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.ModuleParam;

/**
 * The ringbuf module: allocates the ring ({@code insmod ringbuf.ko size=N}), registers
 * /dev/ringbuf with a dynamic major number and /proc/ringbuf with its state.
 */
public final class Ringbuf implements KernelModule {
    private static final String NAME = "ringbuf";
    /** An upper bound so that a typo cannot ask kmalloc for the whole machine. */
    private static final long MAX_SIZE = 1 << 20;

    private RingBuffer ring;
    private RingbufFops fops;
    private int major;

    @Override
    public int init(ModuleContext ctx) {
        ModuleParam<Long> size = ctx.paramLong("size", 4096, 0444, "Ring buffer size in bytes");
        if (size.get() < 1 || size.get() > MAX_SIZE) {
            ctx.printk(ModuleContext.ERR, "ringbuf: size=%d is out of range 1..%d", size.get(), MAX_SIZE);
            return -Errno.EINVAL;
        }
        ring = RingBuffer.allocate(ctx, (int) (long) size.get());
        if (ring == null) {
            return -Errno.ENOMEM;
        }
        fops = new RingbufFops(ctx, ring);
        major = ctx.registerChrdev(0, NAME, fops);
        if (major < 0) {
            ring.free();
            return major;
        }
        int err = ctx.procCreate(NAME, this::show);
        if (err < 0) {
            ctx.unregisterChrdev(major, NAME);
            ring.free();
            return err;
        }
        ctx.printk(ModuleContext.INFO, "ringbuf: /dev/ringbuf ready (major %d, %d bytes)", major, ring.size());
        return 0;
    }

    private void show(StringBuilder out) {
        out.append("size: ").append(ring.size()).append('\n');
        out.append("used: ").append(ring.used()).append('\n');
        out.append("readers_waiting: ").append(fops.readersWaiting() ? 1 : 0).append('\n');
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.procRemove(NAME);
        ctx.unregisterChrdev(major, NAME);
        ring.free();
        ctx.printk(ModuleContext.INFO, "ringbuf: removed");
    }
}

package microlith.tools.kmod;

import microlith.module.api.FileOperations;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.OpenFile;

/**
 * A driver with a bug per ioctl, to show what a driver bug does in each OS model. Its
 * device is /dev/ringbuf, so the image's ringctl drives it ("ringctl ioctl N").
 *
 * <pre>
 * 1  reads port 0x60, which its manifest does not declare and it never requested
 * 2  reads kernel text (printk's first bytes, wherever KASLR put them)
 * 3  dereferences a null pointer
 * 4  throws
 * 5  never returns
 * </pre>
 * Any other command answers 42.
 */
public final class Faulty implements KernelModule, FileOperations {
    private ModuleContext ctx;
    private int major;

    @Override
    public int init(ModuleContext c) {
        this.ctx = c;
        major = c.registerChrdev(0, "ringbuf", this);
        c.printk(ModuleContext.INFO, "faulty: ready in the %s", c.placement());
        return major < 0 ? major : 0;
    }

    @Override
    public void exit(ModuleContext c) {
        c.unregisterChrdev(major, "ringbuf");
    }

    @Override
    public long ioctl(OpenFile file, int cmd, long arg) {
        switch (cmd) {
            case 1: return ctx.inb(0x60);
            case 2: return ctx.read64(ctx.symbolAddress("printk")) == 0 ? 0 : 1;
            case 3: return ctx.read64(0);
            case 4: throw new IllegalStateException("faulty: deliberate failure in ioctl");
            case 5: {
                long x = 1;
                while (x != 0) {
                    x = x * 6364136223846793005L + 1442695040888963407L | 1;
                }
                return x;
            }
            default: return 42;
        }
    }
}

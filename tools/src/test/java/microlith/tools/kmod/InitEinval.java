package microlith.tools.kmod;

import microlith.module.api.Errno;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** A module whose init refuses to load, as a driver does when its parameters are wrong. */
public final class InitEinval implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.kmalloc(128);
        ctx.printk(ModuleContext.ERR, "init_einval: refusing to load");
        return -Errno.EINVAL;
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

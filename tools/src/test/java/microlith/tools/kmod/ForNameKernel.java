package microlith.tools.kmod;

import microlith.module.api.Errno;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/**
 * A module that tries to find the kernel's classes by name instead of going through its
 * context. It catches plain Exception so that Class.forName is the only thing the loader
 * can object to.
 */
public final class ForNameKernel implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        try {
            Class<?> kernel = Class.forName("microlith.kernel.Kernel");
            ctx.printk(ModuleContext.INFO, "forname: found %s", kernel.getName());
            return 0;
        } catch (Exception e) {
            return -Errno.ENOENT;
        }
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

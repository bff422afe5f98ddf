package microlith.modules.mlfs;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** The mlfs module: registers the "mlfs" filesystem type (register_filesystem). */
public final class Mlfs implements KernelModule {
    private MlfsType type;

    @Override
    public int init(ModuleContext ctx) {
        type = new MlfsType(message -> ctx.printk(ModuleContext.WARNING, "%s", message));
        int r = ctx.registerFilesystem(type);
        if (r < 0) {
            ctx.printk(ModuleContext.ERR, "mlfs: cannot register the filesystem (error %d)", r);
            return r;
        }
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.unregisterFilesystem(type);
    }
}

package microlith.tools.kmod;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** A module with nothing wrong in its code, for fixtures whose defect is in the manifest or the file. */
public final class Harmless implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.printk(ModuleContext.INFO, "harmless: loaded");
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.printk(ModuleContext.INFO, "harmless: unloaded");
    }
}

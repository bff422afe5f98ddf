package microlith.tools.kmod;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/**
 * Uses printk (a normal export) and kallsyms_lookup_name (exported GPL-only by the
 * kernel). Packed with license "Proprietary", the second lookup must fail the load.
 */
public final class GplOnlyUser implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printk");
        ctx.symbol("kallsyms_lookup_name");
        ctx.printk(ModuleContext.INFO, "gplonly: got kallsyms_lookup_name");
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

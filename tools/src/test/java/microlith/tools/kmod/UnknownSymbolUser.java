package microlith.tools.kmod;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** A module that needs a symbol nobody exports. */
public final class UnknownSymbolUser implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.kmalloc(64);
        ctx.symbol("no_such_symbol");
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

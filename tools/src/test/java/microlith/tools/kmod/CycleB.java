package microlith.tools.kmod;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** The other half of the cycle: exports cycle_b_fn and needs cycle_a_fn from CycleA. */
public final class CycleB implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("cycle_a_fn");
        ctx.exportSymbol("cycle_b_fn", (a, b, c, d, e, f) -> b);
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

package microlith.tools.kmod;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** Half of a dependency cycle: exports cycle_a_fn and needs cycle_b_fn from CycleB. */
public final class CycleA implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("cycle_b_fn");
        ctx.exportSymbol("cycle_a_fn", (a, b, c, d, e, f) -> a);
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

package microlith.tools.kmod;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** A module whose init never returns: the kernel's only defence is to stop it from outside. */
public final class InitSpins implements KernelModule {
    private long state = 1;

    @Override
    public int init(ModuleContext ctx) {
        ctx.printk(ModuleContext.INFO, "init_spins: spinning");
        while (true) {
            state = state * 6364136223846793005L + 1442695040888963407L;
        }
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

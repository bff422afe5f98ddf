package microlith.tools.kmod;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** A module whose init dies with an exception after taking memory: the kernel must give it back. */
public final class InitThrows implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.kmalloc(256);
        throw new IllegalStateException("init_throws: deliberate failure in init");
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

package microlith.tools.kmod;

import java.lang.reflect.Field;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/** A module that tries to reach the kernel's objects through its context by reflection. */
public final class ReflectOnContext implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        int opened = 0;
        for (Field f : ctx.getClass().getDeclaredFields()) {
            f.setAccessible(true);
            opened++;
        }
        ctx.printk(ModuleContext.INFO, "reflect: opened %d kernel fields", opened);
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
    }
}

package microlith.modules.hello_user;

import microlith.module.api.KernelFunction;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/**
 * Uses a symbol another module exports. Resolving hello_add records the dependency, so
 * the kernel refuses to unload hello while this module is loaded (its reference count).
 */
public final class HelloUser implements KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        KernelFunction helloAdd = ctx.symbol("hello_add");
        long sum = helloAdd.call(40, 2, 0, 0, 0, 0);
        ctx.printk(ModuleContext.INFO, "hello_user: hello_add(40, 2) = %d", sum);
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.printk(ModuleContext.INFO, "hello_user: Goodbye");
    }
}

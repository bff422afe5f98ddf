package microlith.modules.hello;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.ModuleParam;

/**
 * The smallest useful module: two parameters, printk at load and unload, and one exported
 * function. {@code insmod hello.ko whom=student times=2} greets twice.
 */
public final class Hello implements KernelModule {
    private ModuleParam<String> whom;
    private ModuleParam<Long> times;
    private long calls;

    @Override
    public int init(ModuleContext ctx) {
        whom = ctx.paramString("whom", "world", 0444, "Who to greet");
        times = ctx.paramLong("times", 1, 0644, "How many greetings to print at load");
        if (times.get() < 0 || times.get() > 10) {
            ctx.printk(ModuleContext.ERR, "hello: times=%d is out of range 0..10", times.get());
            return -microlith.module.api.Errno.EINVAL;
        }
        for (long i = 0; i < times.get(); i++) {
            ctx.printk(ModuleContext.INFO, "hello: Hello, %s!", whom.get());
        }
        // hello_add(a, b): a + b, counting its callers; used by the hello_user module.
        ctx.exportSymbol("hello_add", (a, b, c, d, e, f) -> {
            calls++;
            return a + b;
        });
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.printk(ModuleContext.INFO, "hello: Goodbye, %s (hello_add was called %d times)", whom.get(), calls);
    }
}

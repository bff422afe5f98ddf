package microlith.modules.hello;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.ModuleParam;
import microlith.module.api.Timer;

/**
 * The smallest useful module: parameters, printk at load and unload, one exported
 * function and a kernel timer. {@code insmod hello.ko whom=student times=2} greets twice;
 * {@code ticks=3} also logs three timer ticks, a tenth of a second apart.
 */
public final class Hello implements KernelModule {
    private ModuleParam<String> whom;
    private ModuleParam<Long> times;
    private ModuleParam<Long> ticks;
    private Timer timer;
    private long calls;
    private long fired;

    @Override
    public int init(ModuleContext ctx) {
        whom = ctx.paramString("whom", "world", 0444, "Who to greet");
        times = ctx.paramLong("times", 1, 0644, "How many greetings to print at load");
        ticks = ctx.paramLong("ticks", 0, 0444, "How many timer ticks to log after load, HZ/10 apart");
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
        if (ticks.get() > 0) {
            long period = ctx.hz() / 10;
            timer = ctx.timerSetup(() -> {
                fired++;
                ctx.printk(ModuleContext.INFO, "hello: tick %d at jiffies %d", fired, ctx.jiffies());
                if (fired < ticks.get()) {
                    timer.mod(ctx.jiffies() + period);
                }
            });
            timer.mod(ctx.jiffies() + period);
        }
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        if (timer != null) {
            timer.delete();
        }
        ctx.printk(ModuleContext.INFO, "hello: Goodbye, %s (hello_add was called %d times)", whom.get(), calls);
    }
}

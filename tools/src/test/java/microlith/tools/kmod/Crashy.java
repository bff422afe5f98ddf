package microlith.tools.kmod;

import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.Timer;

/**
 * A driver with a bug that strikes every time it runs: 50 ms after init its timer's
 * callback throws. In a server, each instance dies of it, which is how the reincarnation
 * server's back-off and giving up are seen; in the kernel it is one oops in a timer.
 */
public final class Crashy implements KernelModule {
    private Timer timer;

    @Override
    public int init(ModuleContext ctx) {
        timer = ctx.timerSetup(() -> {
            throw new IllegalStateException("crashy: the timer's bug");
        });
        timer.mod(ctx.jiffies() + ctx.hz() / 20);
        ctx.printk(ModuleContext.INFO, "crashy: started");
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        timer.delete();
    }
}

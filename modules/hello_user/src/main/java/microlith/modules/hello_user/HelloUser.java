package microlith.modules.hello_user;

import microlith.module.api.KernelFunction;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.ModuleParam;

/**
 * Uses a symbol another module exports. Resolving hello_add records the dependency, so
 * the kernel refuses to unload hello while this module is loaded (its reference count).
 *
 * <p>Reading /proc/hello_user calls hello_add {@code adds} times (a parameter root may
 * change through /sys), so a program can make one module call the other as often as it
 * likes: a function call in the kernel, a call between two servers in the microkernel
 * model (what {@code microlith compare} measures as the IPC round trip).
 */
public final class HelloUser implements KernelModule {
    private static final String PROC = "hello_user";

    @Override
    public int init(ModuleContext ctx) {
        KernelFunction helloAdd = ctx.symbol("hello_add");
        long sum = helloAdd.call(40, 2, 0, 0, 0, 0);
        ctx.printk(ModuleContext.INFO, "hello_user: hello_add(40, 2) = %d", sum);
        ModuleParam<Long> adds = ctx.paramLong("adds", 1, 0644, "How many hello_add calls a read of /proc/hello_user makes");
        return ctx.procCreate(PROC, out -> {
            long total = 0;
            long n = Math.max(0, adds.get());
            for (long i = 0; i < n; i++) {
                total = helloAdd.call(total, 1, 0, 0, 0, 0);
            }
            out.append("hello_add called ").append(n).append(" times: ").append(total).append('\n');
        });
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.procRemove(PROC);
        ctx.printk(ModuleContext.INFO, "hello_user: Goodbye");
    }
}

package microlith.kernel.placement;

import java.util.Map;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.module.api.Errno;

/**
 * Ring 0: the module runs in the kernel's address space with the kernel's privileges
 * (Linux, and the hybrid model's in-kernel modules). Its constructor, init and exit are
 * entry points in its text, called through the addresses struct module holds.
 */
public final class InKernelPlacement implements ModuleLoader.Placement {
    private final KernelServices k;

    public InKernelPlacement(KernelServices k) {
        this.k = k;
    }

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public int start(LoadedModule m, Map<String, byte[]> linked) {
        ModuleLoader loader = k.loader();
        loader.defineClasses(m, linked, loader.kernelMeter());
        InKernelContext ctx = new InKernelContext(k, m);
        long ctor = loader.stub(m, m.name + "_ctor", 't', -Errno.ENOEXEC, c -> loader.instantiate(m));
        long init = loader.stub(m, m.name + "_init", 't', -Errno.EFAULT, c -> (long) m.instance.init(ctx));
        long exit = loader.stub(m, m.name + "_exit", 't', 0, c -> {
            m.instance.exit(ctx);
            return 0L;
        });
        loader.setEntryPoints(m, init, exit);
        m.context = ctx;
        int r = (int) loader.callPointer(ctor, 0, 0, 0);
        return r != 0 ? r : loader.runInit(m);
    }

    @Override
    public void stop(LoadedModule m) {
        k.loader().runExit(m);
    }

    @Override
    public void release(LoadedModule m) {
    }
}

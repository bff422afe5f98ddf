package microlith.module.api;

/**
 * A loadable kernel module: what {@code module_init} and {@code module_exit} name in Linux.
 * The class named by the jar's {@code Module-Class} manifest attribute implements this and
 * has a public no-argument constructor.
 */
public interface KernelModule {
    /**
     * Called once when the module is loaded. Everything the module needs from the kernel
     * or from other modules (symbols, IRQs, port regions) is acquired here.
     *
     * @return 0 on success or a negative errno, which aborts the load; anything the
     *         module registered before failing is undone by the kernel
     */
    int init(ModuleContext ctx);

    /** Called once before the module is unloaded; release what init acquired. */
    void exit(ModuleContext ctx);
}

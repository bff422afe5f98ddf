package microlith.module.api;

/** A loadable kernel module: what {@code module_init} and {@code module_exit} name in Linux. */
public interface KernelModule {
    /**
     * Called once when the module is loaded.
     *
     * @return 0 on success or a negative errno, which aborts the load
     */
    int init(ModuleContext ctx);

    /** Called once before the module is unloaded. */
    void exit(ModuleContext ctx);
}

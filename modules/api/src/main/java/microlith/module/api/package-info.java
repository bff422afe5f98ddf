/**
 * The module SDK: the only API a kernel module is written against.
 *
 * <p>A module is a jar named {@code NAME.ko} whose manifest names its class (a
 * {@link microlith.module.api.KernelModule}) and describes it. At load the kernel checks
 * that the module's classes refer only to this package and a small, deterministic part
 * of {@code java.base} (no reflection, threads, host files or clocks), so a module can
 * reach the kernel only through the {@link microlith.module.api.ModuleContext} it is given.
 * A module never sees kernel internals and does not know where it runs: the same jar runs
 * in ring 0 (monolithic model) or, later, in a ring-3 server (microkernel model).
 */
package microlith.module.api;

package microlith.module.api;

/**
 * A function with an address in the module area: an exported symbol, or an entry point a
 * kernel table points at. Arguments and the result are 64-bit values in the x86-64 SysV
 * registers (RDI, RSI, RDX, RCX, R8, R9 in; RAX out); pass strings and structures as
 * kernel pointers from {@link ModuleContext#kmalloc}.
 */
@FunctionalInterface
public interface KernelFunction {
    long call(long a0, long a1, long a2, long a3, long a4, long a5);
}

package microlith.kernel.fs;

/**
 * Calls a function pointer read from kernel memory (a driver's file operation), as
 * compiled kernel code does with {@code call *%rax}. The module loader provides it: a bad
 * pointer is an oops there, and the call returns -EFAULT.
 */
@FunctionalInterface
public interface FunctionCaller {
    long call(long fn, long a0, long a1, long a2);
}

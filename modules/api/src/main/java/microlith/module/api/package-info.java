/**
 * The module SDK: the only API a kernel module is written against.
 *
 * <p>A module never sees kernel internals and does not know where it runs: the same
 * module runs in ring 0 (monolithic model) or in a ring-3 server (microkernel model),
 * and the kernel's placement layer decides. Today the SDK defines the module life cycle
 * and logging; loading {@code .ko} jars, memory, user copies, devices, port I/O and IRQs
 * arrive with the loadable-module work.
 */
package microlith.module.api;

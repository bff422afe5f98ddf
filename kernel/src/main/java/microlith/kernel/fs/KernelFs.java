package microlith.kernel.fs;

import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.SuperBlock;

/**
 * A filesystem the kernel implements itself (proc, sysfs): inode operations like any
 * other, plus its own open, since its files are generated (a snapshot taken at open, or
 * a write that changes a kernel setting) rather than stored.
 */
public interface KernelFs extends SuperBlock {
    /** The open file for ino, or null with err[0] set to a negative errno. */
    File open(long ino, Task t, int flags, int[] err);
}

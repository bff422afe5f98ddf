package microlith.kernel.placement;

import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;

/** A driver's disk as the kernel calls it: every call under the watchdog, a failure an oops and EIO. */
final class GuardedBlockDevice implements BlockDevice {
    private final ModuleLoader l;
    private final LoadedModule m;
    private final BlockDevice d;

    GuardedBlockDevice(ModuleLoader l, LoadedModule m, BlockDevice d) {
        this.l = l;
        this.m = m;
        this.d = d;
    }

    @Override
    public long sectors() {
        return l.guarded(m, "blk_sectors", 0, d::sectors);
    }

    @Override
    public int read(long lba, int count, byte[] buf, int off) {
        return (int) l.guarded(m, "blk_read", -Errno.EIO, () -> d.read(lba, count, buf, off));
    }

    @Override
    public int write(long lba, int count, byte[] buf, int off) {
        return (int) l.guarded(m, "blk_write", -Errno.EIO, () -> d.write(lba, count, buf, off));
    }

    @Override
    public int flush() {
        return (int) l.guarded(m, "blk_flush", -Errno.EIO, d::flush);
    }
}

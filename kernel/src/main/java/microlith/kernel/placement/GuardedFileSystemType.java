package microlith.kernel.placement;

import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.FileSystemType;
import microlith.module.api.SuperBlock;

/** A module's filesystem type as the kernel calls it: mount under the watchdog, the instance guarded too. */
final class GuardedFileSystemType implements FileSystemType {
    private final ModuleLoader l;
    private final LoadedModule m;
    private final FileSystemType type;

    GuardedFileSystemType(ModuleLoader l, LoadedModule m, FileSystemType type) {
        this.l = l;
        this.m = m;
        this.type = type;
    }

    @Override
    public String name() {
        return type.name();
    }

    @Override
    public boolean requiresDevice() {
        return type.requiresDevice();
    }

    @Override
    public SuperBlock mount(BlockDevice device, String options, boolean readOnly) throws MountException {
        SuperBlock[] out = new SuperBlock[1];
        MountException[] failed = new MountException[1];
        long r = l.guarded(m, type.name() + "_mount", -Errno.EIO, () -> {
            try {
                out[0] = type.mount(device, options, readOnly);
                return out[0] == null ? -Errno.EINVAL : 0;
            } catch (MountException e) {
                failed[0] = e;
                return -e.errno();
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        if (r < 0) {
            throw new MountException((int) -r, "mount failed");
        }
        return new GuardedSuperBlock(l, m, out[0]);
    }
}

package microlith.modules.ramfs;

import microlith.module.api.BlockDevice;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.SuperBlock;

/**
 * The ramfs module: registers the "ramfs" filesystem type, which needs no device. Each
 * mount is a fresh, empty tree whose data lives in memory the module allocates
 * ({@link RamfsSuperBlock}); the kernel mounts one instance as the root filesystem and
 * unpacks the initramfs into it.
 */
public final class Ramfs implements KernelModule, microlith.module.api.FileSystemType {
    private ModuleContext ctx;

    @Override
    public int init(ModuleContext ctx) {
        this.ctx = ctx;
        int r = ctx.registerFilesystem(this);
        if (r < 0) {
            ctx.printk(ModuleContext.ERR, "ramfs: cannot register the filesystem (error %d)", r);
        }
        return r;
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.unregisterFilesystem(this);
    }

    @Override
    public String name() {
        return "ramfs";
    }

    @Override
    public boolean requiresDevice() {
        return false;
    }

    @Override
    public SuperBlock mount(BlockDevice device, String options, boolean readOnly) throws MountException {
        RamfsSuperBlock sb = RamfsSuperBlock.create(ctx, readOnly);
        if (sb == null) {
            throw new MountException(microlith.module.api.Errno.ENOMEM, "no memory for the root inode");
        }
        return sb;
    }
}

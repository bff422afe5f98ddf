package microlith.modules.mlfs;

import java.util.List;
import java.util.function.Consumer;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.FileSystemType;
import microlith.module.api.SuperBlock;

/**
 * The "mlfs" filesystem type: mount checks the superblock, the bitmap's fixed bits and
 * the root inode, then (read-write) marks the filesystem not clean until unmount.
 */
public final class MlfsType implements FileSystemType {
    private final Consumer<String> warn;

    /** warn receives messages worth a line in the kernel log (an unchecked filesystem). */
    public MlfsType(Consumer<String> warn) {
        this.warn = warn;
    }

    @Override
    public String name() {
        return "mlfs";
    }

    @Override
    public SuperBlock mount(BlockDevice device, String options, boolean readOnly) throws MountException {
        checkOptions(options);
        if (device.sectors() < Layout.SECTORS_PER_BLOCK) {
            throw new MountException(Errno.EINVAL, "mlfs: device is too small to hold a superblock");
        }
        BlockIo io = new BlockIo(device);
        try {
            byte[] block = new byte[Layout.BLOCK_SIZE];
            io.read(0, block, 0, DiskSuperblock.SIZE);
            DiskSuperblock sb = DiskSuperblock.decode(block);
            if (sb.magic() != Layout.MAGIC) {
                throw new MountException(Errno.EINVAL, "mlfs: can't find an mlfs filesystem on the device");
            }
            if (sb.version() != Layout.VERSION) {
                throw new MountException(Errno.EINVAL, "mlfs: unsupported version " + sb.version());
            }
            List<String> problems = sb.problems(device.sectors() / Layout.SECTORS_PER_BLOCK);
            if (!problems.isEmpty()) {
                throw new MountException(Errno.EUCLEAN, "mlfs: " + problems.get(0));
            }
            BlockBitmap bitmap = BlockBitmap.load(io, sb);
            InodeTable inodes = InodeTable.load(io, sb);
            if (!inodes.exists(Layout.ROOT_INO) || !inodes.read(Layout.ROOT_INO).isDir()) {
                throw new MountException(Errno.EUCLEAN, "mlfs: the root inode is not a directory");
            }
            if (!sb.isClean()) {
                warn.accept("mlfs: warning: mounting unchecked fs, running fsck is recommended");
            }
            WriteGuard guard = null;
            if (!readOnly) {
                guard = WriteGuard.mount(device, warn);
                io.guard(guard);
                guard.superblock();
                sb = sb.withState(Layout.STATE_DIRTY);
                io.write(0, sb.encode(), 0, DiskSuperblock.SIZE);
                io.flush();
                guard.finish(0);
            }
            return new MlfsSuperBlock(io, sb, bitmap, inodes, guard);
        } catch (FsError e) {
            throw new MountException(e.errno(), "mlfs: " + e.getMessage());
        }
    }

    /** mlfs has no options of its own; rw, ro and defaults are accepted, as ext2 does. */
    private static void checkOptions(String options) throws MountException {
        if (options == null || options.isEmpty()) {
            return;
        }
        int start = 0;
        while (start <= options.length()) {
            int comma = options.indexOf(',', start);
            int end = comma < 0 ? options.length() : comma;
            String o = options.substring(start, end);
            if (!o.isEmpty() && !o.equals("rw") && !o.equals("ro") && !o.equals("defaults")) {
                throw new MountException(Errno.EINVAL, "mlfs: unrecognized mount option \"" + o + "\"");
            }
            start = end + 1;
        }
    }
}

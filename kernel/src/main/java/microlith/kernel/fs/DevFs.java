package microlith.kernel.fs;

import microlith.kernel.proc.Task;

/**
 * /dev: device nodes in the root filesystem whose open gives a driver's File instead of
 * the inode's bytes (Linux's devtmpfs for the few devices this machine has).
 *
 * <pre>
 * /dev/null     1,3   reads end of file, writes vanish
 * /dev/zero     1,5   reads zeros, writes vanish
 * /dev/console  5,1   the console TTY
 * /dev/tty      5,0   the console TTY (no controlling-terminal tracking yet)
 * /dev/ttyS0    4,64  the console TTY
 * </pre>
 */
public final class DevFs {
    private DevFs() {
    }

    /** A null or zero device. */
    static final class Simple implements File {
        private final boolean zero;

        Simple(boolean zero) {
            this.zero = zero;
        }

        @Override
        public int read(Task task, byte[] buf, int len) {
            if (!zero) {
                return 0;
            }
            java.util.Arrays.fill(buf, 0, len, (byte) 0);
            return len;
        }

        @Override
        public int write(Task task, byte[] buf, int len) {
            return len;
        }

        @Override
        public long lseek(long offset, int whence) {
            return 0;
        }

        @Override
        public int mode() {
            return Inode.S_IFCHR | 0666;
        }

        @Override
        public long rdev() {
            return zero ? 1 << 8 | 5 : 1 << 8 | 3;
        }
    }

    private static void node(RamFs fs, String path, int perm, long rdev, java.util.function.Supplier<File> f) {
        Inode n = fs.create(path, Inode.S_IFCHR | perm, 0, 0);
        n.device = f;
        n.rdev = rdev;
    }

    public static void populate(RamFs fs, File console) {
        fs.mkdirs("/dev");
        node(fs, "/dev/null", 0666, 1 << 8 | 3, () -> new Simple(false));
        node(fs, "/dev/zero", 0666, 1 << 8 | 5, () -> new Simple(true));
        node(fs, "/dev/console", 0600, 5 << 8 | 1, () -> console);
        node(fs, "/dev/tty", 0666, 5 << 8, () -> console);
        node(fs, "/dev/ttyS0", 0660, 4 << 8 | 64, () -> console);
    }
}

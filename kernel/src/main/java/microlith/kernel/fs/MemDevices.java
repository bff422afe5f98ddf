package microlith.kernel.fs;

import java.util.SplittableRandom;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * The memory devices of major 1 (Linux's drivers/char/mem.c and random.c):
 *
 * <pre>
 * /dev/null     1,3   reads end of file, writes vanish
 * /dev/zero     1,5   reads zeros, writes vanish
 * /dev/full     1,7   reads zeros, writes fail with ENOSPC
 * /dev/random   1,8   reads bytes from the seeded generator (never blocks)
 * /dev/urandom  1,9   the same
 * </pre>
 * Random bytes come from the kernel's generator, seeded by --seed, so runs repeat.
 */
public final class MemDevices {
    public static final int NULL = 3, ZERO = 5, FULL = 7, RANDOM = 8, URANDOM = 9;

    private final SplittableRandom random;

    public MemDevices(SplittableRandom random) {
        this.random = random;
    }

    File open(int minor, Inode node) {
        switch (minor) {
            case NULL: case ZERO: case FULL: case RANDOM: case URANDOM:
                return new Dev(minor, node);
            default:
                return null;
        }
    }

    private final class Dev implements File, HasInode {
        private final int minor;
        private final Inode node;
        private int flags;

        Dev(int minor, Inode node) {
            this.minor = minor;
            this.node = node;
        }

        @Override
        public Inode inode() {
            return node;
        }

        @Override
        public int read(Task task, byte[] buf, int len) {
            switch (minor) {
                case NULL:
                    return 0;
                case RANDOM: case URANDOM: {
                    byte[] r = new byte[len];
                    random.nextBytes(r);
                    System.arraycopy(r, 0, buf, 0, len);
                    return len;
                }
                default:
                    java.util.Arrays.fill(buf, 0, len, (byte) 0);
                    return len;
            }
        }

        @Override
        public int write(Task task, byte[] buf, int len) {
            return minor == FULL ? -Errno.ENOSPC : len;
        }

        @Override
        public int open(Task task, int flags) {
            this.flags = flags;
            return 0;
        }

        @Override
        public boolean mayRead() {
            return File.readMode(flags);
        }

        @Override
        public boolean mayWrite() {
            return File.writeMode(flags);
        }

        @Override
        public long lseek(long offset, int whence) {
            return 0;
        }

        @Override
        public int mode() {
            return node.mode;
        }

        @Override
        public long rdev() {
            return node.rdev;
        }

        @Override
        public long ino() {
            return node.ino;
        }
    }
}

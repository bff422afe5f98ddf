package microlith.modules.mlfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;

/**
 * Runtime verification of mlfs's metadata before it reaches the disk, in the manner of
 * Recon (Fryer et al., FAST 2012): every write passes here with exactly the arguments the
 * device will get, is decoded with the guard's own code and held against the shadow of
 * what the disk holds and against the current operation's {@link Intent}. A write that
 * breaks a rule is refused (EIO, a kernel log line naming the rule) and nothing reaches
 * the disk; one that keeps the rules updates the shadow. The rules, one method each, are
 * listed in docs/mlfs.md ("The write guard").
 *
 * The guard never hands mlfs a value it then uses: it only says yes or no, so a fault in
 * the guard's own code can refuse a good write or let one through, never make one wrong.
 */
final class WriteGuard {
    private final Shadow s;
    private final Consumer<String> log;
    private final InodeRule inodeRule;
    private final DataRule dataRule;
    private Intent op;

    private WriteGuard(BlockDevice dev, Shadow s, Consumer<String> log) {
        this.s = s;
        this.log = log;
        this.dataRule = new DataRule(dev, s);
        this.inodeRule = new InodeRule(s, dataRule);
    }

    /** Reads the disk's metadata into a shadow; EUCLEAN when it is damaged (fsck would say so). */
    static WriteGuard mount(BlockDevice dev, Consumer<String> log) {
        return new WriteGuard(dev, Shadow.scan(dev), log);
    }

    /** Mount or unmount: only the superblock's state may change. */
    void superblock() {
        op = new Intent(Intent.Kind.SUPER, new int[0], new int[0]);
    }

    void create(long dir, String name, int mode, int uid, int gid) {
        Intent i = new Intent(Intent.Kind.CREATE, new int[] {num(dir)}, new int[0]);
        int type = (mode & Layout.S_IFMT) == 0 ? Layout.S_IFREG : mode & Layout.S_IFMT;
        i.mode = type | mode & 07777;
        i.uid = uid;
        i.gid = gid;
        i.dir = num(dir);
        i.changes.add(new Intent.Change(i.dir, key(name), 0));
        op = i;
    }

    void remove(long dir, String name) {
        int d = num(dir);
        int target = named(d, key(name));
        Intent i = new Intent(Intent.Kind.REMOVE, new int[] {d, target}, new int[] {target});
        i.changes.add(new Intent.Change(d, key(name), 0));
        op = i;
    }

    void rename(long fromDir, String from, long toDir, String to) {
        int fd = num(fromDir);
        int td = num(toDir);
        int src = named(fd, key(from));
        int victim = named(td, key(to));
        Intent i = new Intent(Intent.Kind.RENAME, new int[] {fd, td, src, victim}, new int[] {victim});
        i.src = src;
        i.toDir = td;
        // No change at all when the shadow has no such name (mlfs must fail with ENOENT), or when
        // both names already name one inode (Linux's rename then does nothing, and so does mlfs).
        if (src != 0 && src != victim) {
            i.changes.add(new Intent.Change(td, key(to), src));
            i.changes.add(new Intent.Change(fd, key(from), 0));
        }
        op = i;
    }

    void write(long ino, long pos, byte[] buf, int off, int len) {
        Intent i = new Intent(Intent.Kind.WRITE, new int[] {num(ino)}, new int[0]);
        i.ino = num(ino);
        i.pos = pos;
        i.buf = buf;
        i.off = off;
        i.len = len;
        op = i;
    }

    void truncate(long ino, long size) {
        Intent i = new Intent(Intent.Kind.TRUNCATE, new int[] {num(ino)}, new int[0]);
        i.ino = num(ino);
        i.pos = size;
        op = i;
    }

    void chmod(long ino, int mode) {
        Intent i = new Intent(Intent.Kind.CHMOD, new int[] {num(ino)}, new int[0]);
        i.ino = num(ino);
        i.mode = mode & 07777;
        op = i;
    }

    /**
     * Ends the operation: whether its result agrees with what it wrote (a create answers the
     * inode it entered, a write no more bytes than reached the file, and an operation that
     * succeeds made all of its entry changes). A failed operation agrees trivially.
     */
    boolean finish(long result) {
        Intent i = op;
        op = null;
        if (i == null || result < 0) {
            return true;
        }
        String why = null;
        for (Intent.Change c : i.changes) {
            if (!c.done) {
                why = "entry " + c.name + " of directory " + c.dir + " was not changed";
            }
        }
        if (i.kind == Intent.Kind.CREATE && result != i.created) {
            why = "create answers inode " + result + " but entered inode " + i.created;
        }
        if (i.kind == Intent.Kind.WRITE && (result > i.len || !i.covers(i.pos, i.pos + result)
                || i.ino == 0 || s.inode[i.ino].size < i.pos + result)) {
            why = "write answers " + result + " bytes that did not all reach the file";
        }
        if (why != null) {
            log.accept("mlfs: refused result: " + why);
            return false;
        }
        return true;
    }

    /** Whether a lookup's answer is the entry the shadow holds under that name (or none). */
    boolean lookupAgrees(long dir, String name, long answer) {
        int d = num(dir);
        Map<String, Integer> names = s.names.get(d);
        if (names == null || answer < 0 && answer != -Errno.ENOENT) {
            return true;
        }
        Integer ino = names.get(key(name));
        boolean agrees = answer == -Errno.ENOENT ? ino == null : ino != null && ino == answer;
        if (!agrees) {
            log.accept("mlfs: refused lookup of " + name + " in directory " + d + ": answer " + answer + ", entry "
                + (ino == null ? "none" : "names inode " + ino));
        }
        return agrees;
    }

    /**
     * Checks a write of count sectors at lba from buf[off..], the device's own arguments;
     * EIO and nothing written when a rule is broken. BlockIo's buffers are block-shaped:
     * sector k of a block sits at byte 512k of buf.
     */
    void admit(long lba, int count, byte[] buf, int off) {
        long block = lba / Layout.SECTORS_PER_BLOCK;
        int first = (int) (lba % Layout.SECTORS_PER_BLOCK);
        try {
            Intent i = op;
            if (i == null) {
                throw new FsError(Errno.EIO, "no operation is in progress");
            }
            if (lba < 0 || block >= s.blocks || count < 1 || first + count > Layout.SECTORS_PER_BLOCK
                    || off != first * Layout.SECTOR_SIZE || off + count * Layout.SECTOR_SIZE > buf.length) {
                throw new FsError(Errno.EIO, "sectors " + first + "+" + count + " are not inside the block");
            }
            int b = (int) block;
            int from = first * Layout.SECTOR_SIZE;
            int to = from + count * Layout.SECTOR_SIZE;
            List<Runnable> effects = new ArrayList<>();
            if (b == 0) {
                superblock(i, buf, from, to, effects);
            } else if (b < s.tableStart) {
                bitmap(i, b, buf, from, to, effects);
            } else if (b < s.dataStart) {
                inodeRule.check(i, b, buf, from, to, effects);
            } else {
                dataRule.check(i, b, buf, from, to, effects);
            }
            for (Runnable e : effects) {
                e.run();
            }
        } catch (FsError e) {
            log.accept("mlfs: refused write to block " + block + ": " + e.getMessage());
            throw new FsError(Errno.EIO, "refused write to block " + block);
        }
    }

    /** The superblock changes only at mount and unmount, and then only its state. */
    private void superblock(Intent i, byte[] buf, int from, int to, List<Runnable> effects) {
        if (i.kind != Intent.Kind.SUPER || from != 0 || to != Layout.SECTOR_SIZE) {
            throw new FsError(Errno.EIO, "the superblock changes only at mount and unmount");
        }
        int state = LittleEndian.u32(buf, 0x2C);
        if (Arrays.mismatch(buf, 0, 0x2C, s.superblock, 0, 0x2C) >= 0 || state != 0 && state != 1
                || LittleEndian.u32(buf, 0x30) != crc32(buf, 0x30) || !LittleEndian.zero(buf, 0x34, to)) {
            throw new FsError(Errno.EIO, "a superblock write may change only the state (and its checksum)");
        }
        effects.add(() -> System.arraycopy(buf, 0, s.superblock, 0, Layout.SECTOR_SIZE));
    }

    /**
     * A bit is set only for a data block that no inode owns, by an operation that
     * allocates; cleared only for a data block no inode references. The metadata's bits
     * and the padding past the last block stay set.
     */
    private void bitmap(Intent i, int b, byte[] buf, int from, int to, List<Runnable> effects) {
        int base = (b - s.bitmapStart) * Layout.BLOCK_SIZE;
        for (int at = from; at < to; at++) {
            int skip = Arrays.mismatch(buf, at, to, s.bitmap, base + at, base + to);
            if (skip < 0) {
                return;
            }
            at += skip;
            int was = s.bitmap[base + at] & 0xff;
            int now = buf[at] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                if (((was ^ now) >> bit & 1) == 0) {
                    continue;
                }
                int blk = (base + at) * 8 + bit;
                boolean set = (now >> bit & 1) != 0;
                if (blk < s.dataStart || blk >= s.blocks) {
                    throw new FsError(Errno.EIO, "bit of block " + blk + " must stay set (metadata or padding)");
                }
                if (s.owner[blk] != 0) {
                    throw new FsError(Errno.EIO, "block " + blk + " is owned by inode " + s.owner[blk]
                        + (set ? "; it cannot be allocated again" : "; it cannot be freed"));
                }
                if (set && !i.allocates()) {
                    throw new FsError(Errno.EIO, "a " + DataRule.name(i) + " allocates no block");
                }
                effects.add(set ? () -> i.fresh.put(blk, new Intent.Fresh()) : () -> i.fresh.remove(blk));
            }
            int index = base + at;
            effects.add(() -> s.bitmap[index] = (byte) now);
        }
    }

    /** The inode named name in directory d by the shadow, or 0. */
    private int named(int d, String name) {
        Map<String, Integer> names = s.names.get(d);
        Integer n = names == null ? null : names.get(name);
        return n == null ? 0 : n;
    }

    /** An inode number from the SDK, or 0 if there is no such inode. */
    private int num(long ino) {
        return ino >= 1 && ino <= s.inodes ? (int) ino : 0;
    }

    private static String key(String name) {
        return Shadow.key(name.getBytes(StandardCharsets.UTF_8));
    }

    /** zlib's CRC-32 of b[0..len), bit by bit: the guard's own, not {@link Crc32}. */
    private static int crc32(byte[] b, int len) {
        int c = ~0;
        for (int i = 0; i < len; i++) {
            c ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                c = (c >>> 1) ^ (0xEDB88320 & -(c & 1));
            }
        }
        return ~c;
    }
}

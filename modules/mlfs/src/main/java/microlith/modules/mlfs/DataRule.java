package microlith.modules.mlfs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;

/**
 * The write guard's rules for the data area, and for the blocks an operation allocates
 * (checked when a pointer first names them):
 *
 * <ul>
 * <li>a block is written only by an operation on the inode that owns it, or, freshly
 *     allocated, by the operation that allocated it; never one owned by another inode or by none;</li>
 * <li>a directory block changes only in the entries the operation names, each to exactly
 *     the name and inode it states; every entry decodes to a valid name and a live inode,
 *     and a name is not entered twice;</li>
 * <li>an indirect block's pointers change only from 0 to a block this operation allocated,
 *     or, in a truncate, from a block past the new size to 0;</li>
 * <li>file data is written only by a write or truncate of that file: the program's bytes
 *     at the file offsets the block and sector stand for (an end-to-end check of where the
 *     data goes), and around them the bytes that were there (zeros in a new block or past a
 *     truncate's size).</li>
 * </ul>
 */
final class DataRule {
    private final BlockDevice dev;
    private final Shadow s;
    /** Fresh blocks and entry changes taken by the write being checked (each may be taken once). */
    private final Set<Integer> claiming = new HashSet<>();
    private final Set<Intent.Change> taking = new HashSet<>();

    DataRule(BlockDevice dev, Shadow s) {
        this.dev = dev;
        this.s = s;
    }

    /** Starts checking one write. */
    void begin() {
        claiming.clear();
        taking.clear();
    }

    void check(Intent i, int b, byte[] buf, int from, int to, List<Runnable> effects) {
        begin();
        Intent.Fresh f = i.fresh.get(b);
        if (f != null) {
            int sectors = ((1 << (to - from) / Layout.SECTOR_SIZE) - 1) << from / Layout.SECTOR_SIZE;
            effects.add(() -> {
                System.arraycopy(buf, from, f.image, from, to - from);
                f.sectors |= sectors;
            });
            return;
        }
        int o = s.owner[b];
        if (o == 0) {
            throw refuse("block " + b + " is owned by no inode" + (s.used(b) ? "" : " (it is free)"));
        }
        if (!i.mayWrite(o)) {
            throw refuse("block " + b + " is owned by inode " + o + ", not " + subject(i));
        }
        if (s.index[b] < 0) {
            indirect(i, b, o, buf, from, to, effects);
        } else if (s.inode[o].dir()) {
            entries(i, b, o, s.dirBlocks.get(b), buf, from, to, effects);
        } else {
            fileData(i, b, o, s.index[b], buf, from, to, false, effects);
        }
    }

    /**
     * Block q becomes block idx (-1: the indirect block) of inode n: it must be one this
     * operation allocated and wrote in full, and its content must be right for its place.
     */
    void claim(Intent i, int q, int n, int idx, List<Runnable> effects) {
        Intent.Fresh f = i.fresh.get(q);
        if (f == null || !claiming.add(q)) {
            String why = q < s.dataStart || q >= s.blocks ? "is not a data block"
                : s.owner[q] != 0 ? "is owned by inode " + s.owner[q]
                : !s.used(q) ? "is free" : "was not allocated by this operation";
            throw refuse("inode " + n + " would point at block " + Integer.toUnsignedString(q) + ", which " + why);
        }
        if (!f.complete()) {
            throw refuse("new block " + q + " of inode " + n + " was not written in full");
        }
        if (idx < 0) {
            int[] kids = new int[Layout.PTRS_PER_BLOCK];
            for (int slot = 0; slot < kids.length; slot++) {
                kids[slot] = LittleEndian.u32(f.image, slot * 4);
                if (kids[slot] != 0) {
                    claim(i, kids[slot], n, Layout.NDIRECT + slot, effects);
                }
            }
            effects.add(() -> s.indirect.put(q, kids));
        } else if (s.inode[n].dir()) {
            Shadow.Slots none = new Shadow.Slots();
            effects.add(() -> s.dirBlocks.put(q, none));
            entries(i, q, n, none, f.image, 0, Layout.BLOCK_SIZE, effects);
        } else {
            fileData(i, q, n, idx, f.image, 0, Layout.BLOCK_SIZE, true, effects);
        }
        effects.add(() -> {
            s.owner[q] = n;
            s.index[q] = idx;
            i.fresh.remove(q);
        });
    }

    /** Every block inode n owns through its indirect block ind, and ind, become owned by none. */
    void releaseIndirect(int ind) {
        int[] kids = s.indirect.remove(ind);
        if (kids != null) {
            for (int k : kids) {
                if (k != 0) {
                    s.owner[k] = 0;
                }
            }
        }
        s.owner[ind] = 0;
    }

    private void indirect(Intent i, int b, int o, byte[] buf, int from, int to, List<Runnable> effects) {
        int[] kids = s.indirect.get(b);
        for (int slot = from / 4; slot < to / 4; slot++) {
            int p = kids[slot];
            int q = LittleEndian.u32(buf, slot * 4);
            if (p == q) {
                continue;
            }
            int idx = Layout.NDIRECT + slot;
            if (p != 0 && q != 0) {
                throw refuse("block " + idx + " of inode " + o + " would move from block " + p + " to "
                    + Integer.toUnsignedString(q));
            }
            if (q != 0) {
                claim(i, q, o, idx, effects);
            } else if (i.kind == Intent.Kind.TRUNCATE && i.ino == o && idx >= Layout.blocksFor(i.pos)) {
                effects.add(() -> s.owner[p] = 0);
            } else {
                throw refuse("block " + p + " (block " + idx + " of inode " + o + ") would be dropped by a "
                    + name(i));
            }
            int at = slot;
            effects.add(() -> kids[at] = q);
        }
    }

    /** The entries of slots from/64 .. to/64 of directory d's block b change from before to buf's. */
    private void entries(Intent i, int b, int d, Shadow.Slots before, byte[] buf, int from, int to,
                         List<Runnable> effects) {
        Map<String, Integer> names = s.names.computeIfAbsent(d, k -> new HashMap<>());
        for (int e = from / Layout.DIRENT_SIZE; e < to / Layout.DIRENT_SIZE; e++) {
            int o = e * Layout.DIRENT_SIZE;
            int ino = LittleEndian.u32(buf, o);
            int oldIno = before.ino[e];
            String oldName = before.name[e];
            int slot = e;
            if (LittleEndian.zero(buf, o, o + Layout.DIRENT_SIZE)) {
                if (oldIno == 0) {
                    continue;
                }
                Intent.Change c = i.change(d, oldName);
                if (c == null || c.ino != 0 || !taking.add(c)) {
                    throw refuse("entry " + oldName + " of directory " + d + " may not be removed by this " + name(i));
                }
                effects.add(() -> {
                    names.remove(oldName);
                    s.refs[oldIno]--;
                    before.ino[slot] = 0;
                    before.name[slot] = null;
                    c.done = true;
                });
                continue;
            }
            String name = Shadow.entryName(buf, o);
            if (name == null) {
                throw refuse("slot " + e + " of directory " + d + " would hold a malformed entry");
            }
            if (ino < 1 || ino > s.inodes || s.inode[ino].free()) {
                throw refuse("entry " + name + " of directory " + d + " would name free inode "
                    + Integer.toUnsignedString(ino));
            }
            if (oldIno != 0 && !oldName.equals(name)) {
                throw refuse("slot " + e + " of directory " + d + " would change from " + oldName + " to " + name);
            }
            if (oldIno == ino) {
                continue;
            }
            Intent.Change c = i.change(d, name);
            int meant = c == null ? -1 : i.kind == Intent.Kind.CREATE ? i.created : c.ino;
            if (c == null || meant != ino || !taking.add(c)) {
                throw refuse("entry " + name + " of directory " + d + " would name inode " + ino
                    + (meant > 0 ? ", not " + meant : "; this " + name(i) + " does not change it"));
            }
            if (oldIno == 0 && names.containsKey(name)) {
                throw refuse("directory " + d + " already has an entry " + name);
            }
            effects.add(() -> {
                names.put(name, ino);
                s.refs[ino]++;
                s.dirOf[ino] = d;
                if (oldIno != 0) {
                    s.refs[oldIno]--;
                }
                before.ino[slot] = ino;
                before.name[slot] = name;
                c.done = true;
            });
        }
    }

    /**
     * Bytes [from, to) of block b, file block idx of inode n: the program's bytes where the
     * write covers them, and elsewhere the bytes already there (zeros in a fresh block, and
     * past a truncate's new size).
     */
    private void fileData(Intent i, int b, int n, int idx, byte[] img, int from, int to, boolean fresh,
                          List<Runnable> effects) {
        long base = (long) idx * Layout.BLOCK_SIZE;
        if (i.kind == Intent.Kind.WRITE && i.ino == n) {
            int ua = clamp(i.pos - base, from, to);
            int ub = clamp(i.pos + i.len - base, from, to);
            if (ua < ub) {
                int src = (int) (i.off + base + ua - i.pos);
                if (Arrays.mismatch(img, ua, ub, i.buf, src, src + ub - ua) >= 0) {
                    throw refuse("data for inode " + n + " at offset " + (base + ua)
                        + " is not what the program wrote there");
                }
                long start = base + ua;
                long end = base + ub;
                effects.add(() -> i.cover(start, end));
            } else {
                ua = from;
                ub = from;
            }
            unchanged(b, n, img, from, ua, ub, to, fresh);
        } else if (i.kind == Intent.Kind.TRUNCATE && i.ino == n && !fresh) {
            int cut = clamp(i.pos - base, from, to);
            if (!LittleEndian.zero(img, cut, to)) {
                throw refuse("truncate of inode " + n + " leaves data past the new size in block " + b);
            }
            unchanged(b, n, img, from, cut, to, to, false);
        } else {
            throw refuse("a " + name(i) + " writes no data of inode " + n + " (block " + b + ")");
        }
    }

    /**
     * img[from..ua) and img[ub..to) of block b hold what the disk holds there (zeros for a
     * fresh block). The write covers only the sectors of the program's bytes, so each range
     * lies in one sector, the first or the last: at most two sectors are read, one when they
     * are the same.
     */
    private void unchanged(int b, int n, byte[] img, int from, int ua, int ub, int to, boolean fresh) {
        boolean head = from < ua;
        boolean tail = ub < to;
        if (fresh) {
            if (head && !LittleEndian.zero(img, from, ua) || tail && !LittleEndian.zero(img, ub, to)) {
                throw refuse("new block " + b + " of inode " + n + " has bytes the program did not write");
            }
            return;
        }
        byte[] disk = new byte[Layout.BLOCK_SIZE];
        int first = from / Layout.SECTOR_SIZE;
        int last = (to - 1) / Layout.SECTOR_SIZE;
        if (head) {
            Shadow.readSectors(dev, b, first, (ua - 1) / Layout.SECTOR_SIZE - first + 1, disk);
        }
        if (tail && !(head && ub / Layout.SECTOR_SIZE == first)) {
            int at = ub / Layout.SECTOR_SIZE;
            Shadow.readSectors(dev, b, at, last - at + 1, disk);
        }
        if (head && Arrays.mismatch(img, from, ua, disk, from, ua) >= 0
                || tail && Arrays.mismatch(img, ub, to, disk, ub, to) >= 0) {
            throw refuse("bytes of inode " + n + " in block " + b + " that this operation does not write would change");
        }
    }

    private static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    static String name(Intent i) {
        return i.kind.name().toLowerCase();
    }

    static String subject(Intent i) {
        return i.ino != 0 ? Integer.toString(i.ino) : "one this " + name(i) + " changes";
    }

    static FsError refuse(String why) {
        return new FsError(Errno.EIO, why);
    }
}

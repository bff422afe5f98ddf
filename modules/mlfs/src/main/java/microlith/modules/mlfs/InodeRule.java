package microlith.modules.mlfs;

import java.util.HashMap;
import java.util.List;

/**
 * The write guard's rules for the inode table. Each inode a write changes, decoded with the
 * guard's own code, must be one the operation may change, and exactly what it may become:
 *
 * <ul>
 * <li>freed (all 128 bytes zero) only by the operation that removes it, once no entry names
 *     it; its blocks are then owned by none and may be freed in the bitmap;</li>
 * <li>made (from free) only by a create, with the mode, owner and parent asked for, size 0
 *     and no blocks;</li>
 * <li>otherwise its type and owner never change, its mode only by chmod; a file has one
 *     link and parent 0, a directory 2 links plus its subdirectories (counted in the
 *     shadow's entries before this write; a count that was already wrong at mount may stay
 *     as it was) and the parent it had (or, moved by a rename, the new one); the size changes only as the
 *     operation allows (a write within its range, a truncate to its size, a directory by
 *     one block as it gains an entry);</li>
 * <li>a pointer goes from 0 to a block this operation allocated and wrote (see
 *     {@link DataRule#claim}), or, in a truncate, from a block past the new size to 0;
 *     never from one block to another, and never at or past the size.</li>
 * </ul>
 */
final class InodeRule {
    private final Shadow s;
    private final DataRule data;

    InodeRule(Shadow s, DataRule data) {
        this.s = s;
        this.data = data;
    }

    void check(Intent i, int b, byte[] buf, int from, int to, List<Runnable> effects) {
        data.begin();
        for (int o = from; o < to; o += Layout.INODE_SIZE) {
            int n = (b - s.tableStart) * Layout.INODES_PER_BLOCK + o / Layout.INODE_SIZE + 1;
            if (n > s.inodes) {
                if (!LittleEndian.zero(buf, o, o + Layout.INODE_SIZE)) {
                    throw DataRule.refuse("bytes past the last inode would change");
                }
                continue;
            }
            ShadowInode old = s.inode[n];
            ShadowInode nx = ShadowInode.decode(buf, o);
            if (!old.same(nx)) {
                one(i, n, old, nx, effects);
            }
        }
    }

    private void one(Intent i, int n, ShadowInode old, ShadowInode nx, List<Runnable> effects) {
        if (!i.mayWrite(n) && !(i.kind == Intent.Kind.CREATE && i.created == 0 && old.free())) {
            throw DataRule.refuse("inode " + n + " is not one this " + DataRule.name(i) + " changes");
        }
        if (nx.allZero) {
            free(i, n, old, effects);
            return;
        }
        if (!nx.reservedZero || !nx.dir() && !nx.regular()) {
            throw DataRule.refuse("inode " + n + " would have mode 0" + Integer.toOctalString(nx.mode)
                + (nx.reservedZero ? "" : " and reserved bytes set"));
        }
        if (old.free()) {
            made(i, n, nx, effects);
            return;
        }
        String why = fields(i, n, old, nx);
        if (why != null) {
            throw DataRule.refuse("inode " + n + ": " + why);
        }
        pointers(i, n, old, nx, effects);
        effects.add(() -> s.inode[n] = nx);
    }

    private void free(Intent i, int n, ShadowInode old, List<Runnable> effects) {
        if (!i.mayFree(n)) {
            throw DataRule.refuse("inode " + n + " may not be freed by this " + DataRule.name(i));
        }
        if (s.refs[n] != 0) {
            throw DataRule.refuse("inode " + n + " is still named by an entry of directory " + s.dirOf[n]);
        }
        ShadowInode zero = ShadowInode.decode(new byte[Layout.INODE_SIZE], 0);
        effects.add(() -> {
            for (int p = 0; p < Layout.NDIRECT; p++) {
                if (old.ptr[p] != 0) {
                    s.owner[old.ptr[p]] = 0;
                    s.dirBlocks.remove(old.ptr[p]);
                }
            }
            if (old.ptr[ShadowInode.INDIRECT] != 0) {
                int[] kids = s.indirect.get(old.ptr[ShadowInode.INDIRECT]);
                for (int k : kids == null ? new int[0] : kids) {
                    s.dirBlocks.remove(k);
                }
                data.releaseIndirect(old.ptr[ShadowInode.INDIRECT]);
            }
            s.names.remove(n);
            s.inode[n] = zero;
        });
    }

    private void made(Intent i, int n, ShadowInode nx, List<Runnable> effects) {
        boolean dir = (i.mode & Layout.S_IFMT) == Layout.S_IFDIR;
        if (i.kind != Intent.Kind.CREATE || i.created != 0) {
            throw DataRule.refuse("inode " + n + " is not the one inode this " + DataRule.name(i) + " makes");
        }
        if (nx.mode != i.mode || nx.uid != i.uid || nx.gid != i.gid || nx.nlink != (dir ? 2 : 1)
                || nx.parent != (dir ? i.dir : 0) || nx.size != 0 || !nx.samePointers(ShadowInode.decode(
                    new byte[Layout.INODE_SIZE], 0))) {
            throw DataRule.refuse("new inode " + n + " is not the one asked for (mode 0" + Integer.toOctalString(i.mode)
                + ", uid " + i.uid + ", gid " + i.gid + ", empty)");
        }
        effects.add(() -> {
            s.inode[n] = nx;
            i.created = n;
            if (dir) {
                s.names.put(n, new HashMap<>());
            }
        });
    }

    /** Why the fields of in-use inode n may not change from old to nx, or null. */
    private String fields(Intent i, int n, ShadowInode old, ShadowInode nx) {
        if (nx.type() != old.type() || nx.uid != old.uid || nx.gid != old.gid) {
            return "type and owner never change";
        }
        boolean chmod = i.kind == Intent.Kind.CHMOD && i.ino == n;
        if (nx.mode != old.mode && !(chmod && nx.mode == (old.type() | i.mode))) {
            return "mode 0" + Integer.toOctalString(nx.mode) + " is not what this " + DataRule.name(i) + " sets";
        }
        boolean links = nx.nlink == 2 + s.subdirs(n) || s.oddLinks.contains(n) && nx.nlink == old.nlink;
        if (nx.regular() ? nx.nlink != 1 || nx.parent != 0
                : !links || nx.parent != old.parent && !(i.kind == Intent.Kind.RENAME && i.src == n && nx.parent == i.toDir)) {
            return "link count " + nx.nlink + " or parent " + Integer.toUnsignedString(nx.parent) + " is wrong";
        }
        if (nx.size < 0 || nx.size > Layout.MAX_FILE_SIZE) {
            return "size " + nx.size + " is out of range";
        }
        if (nx.size == old.size) {
            return null;
        }
        if (nx.dir()) {
            return nx.size == old.size + Layout.BLOCK_SIZE && i.adds(n) ? null
                : "directory size " + nx.size + " is not its size or one block more";
        }
        if (i.kind == Intent.Kind.WRITE && i.ino == n) {
            return nx.size >= old.size && nx.size <= Math.max(old.size, i.pos + i.len) ? null
                : "size " + nx.size + " is outside what writing " + i.len + " bytes at " + i.pos + " gives";
        }
        if (i.kind == Intent.Kind.TRUNCATE && i.ino == n) {
            return nx.size == i.pos ? null : "size " + nx.size + " is not the " + i.pos + " asked for";
        }
        return "size may not change in a " + DataRule.name(i);
    }

    private void pointers(Intent i, int n, ShadowInode old, ShadowInode nx, List<Runnable> effects) {
        long blocks = nx.blocks();
        for (int p = 0; p <= Layout.NDIRECT; p++) {
            int was = old.ptr[p];
            int now = nx.ptr[p];
            boolean ind = p == ShadowInode.INDIRECT;
            if (now != 0 && (ind ? blocks <= Layout.NDIRECT : p >= blocks)) {
                throw DataRule.refuse("inode " + n + " would point past its size (pointer " + p + ")");
            }
            if (was == now) {
                continue;
            }
            if (was != 0 && now != 0) {
                throw DataRule.refuse("pointer " + p + " of inode " + n + " would move from block " + was + " to "
                    + Integer.toUnsignedString(now));
            }
            if (now != 0) {
                data.claim(i, now, n, ind ? -1 : p, effects);
            } else if (i.kind == Intent.Kind.TRUNCATE && i.ino == n) {
                effects.add(ind ? () -> data.releaseIndirect(was) : () -> s.owner[was] = 0);
            } else {
                throw DataRule.refuse("inode " + n + " would lose block " + was + " in a " + DataRule.name(i));
            }
        }
        if (nx.dir() && nx.size > old.size && old.blocks() < Layout.NDIRECT && nx.ptr[(int) old.blocks()] == 0) {
            throw DataRule.refuse("directory " + n + " would have a hole");
        }
        int ind = nx.ptr[ShadowInode.INDIRECT];
        int[] kids = ind == old.ptr[ShadowInode.INDIRECT] ? s.indirect.get(ind) : null;
        if (kids != null && nx.size < old.size) {
            for (int slot = 0; slot < kids.length; slot++) {
                if (kids[slot] != 0 && Layout.NDIRECT + slot >= blocks) {
                    throw DataRule.refuse("inode " + n + " would keep block " + kids[slot] + " past its size");
                }
            }
        }
    }
}

package microlith.kernel.fs;

import java.util.HashMap;
import java.util.Map;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;

/**
 * One mounted filesystem (Linux's struct vfsmount with its super_block): the instance's
 * operations, its root, where it is mounted, and the VFS's caches for it: inodes by
 * number and directory entries by (directory, name). Every change the VFS routes to the
 * filesystem also updates the caches, so lookups and stat need not ask it again.
 */
public final class Mount {
    /** Device number stat reports as st_dev for this mount (major 0, as for Linux's anonymous devices). */
    public final int dev;
    public final String type;
    public final String source;
    /** Where it is mounted, as an absolute path ("/" for the root filesystem). */
    public final String target;
    public final boolean readOnly;
    final SuperBlock sb;
    final Owner fsOwner;
    final Owner devOwner;
    /** The directory this mount covers (null for the root filesystem). */
    final Inode covered;
    Inode root;
    /** Open files in this filesystem (umount refuses while any is open). */
    int openFiles;
    private final Map<Long, Inode> inodes = new HashMap<>();
    private final Map<Long, Map<String, Long>> dentries = new HashMap<>();
    /** A kernel filesystem changes on its own (processes come and go): never trust the caches. */
    private final boolean cached;

    Mount(int dev, String type, String source, String target, boolean readOnly, SuperBlock sb, Owner fsOwner,
          Owner devOwner, Inode covered) {
        this.dev = dev;
        this.type = type;
        this.source = source;
        this.target = target;
        this.readOnly = readOnly;
        this.sb = sb;
        this.fsOwner = fsOwner;
        this.devOwner = devOwner;
        this.covered = covered;
        this.cached = !(sb instanceof KernelFs);
    }

    public SuperBlock superBlock() {
        return sb;
    }

    public Inode root() {
        return root;
    }

    /** The in-core inode for ino, read from the filesystem the first time; null if it does not exist. */
    Inode inode(long ino) {
        Inode n = inodes.get(ino);
        if (n != null) {
            return cached || refresh(n) ? n : null;
        }
        InodeAttr a = sb.getattr(ino);
        if (a == null) {
            return null;
        }
        n = new Inode(this, ino);
        n.set(a);
        inodes.put(ino, n);
        return n;
    }

    /** Re-reads an inode's attributes after the filesystem changed it; false if it is gone. */
    boolean refresh(Inode n) {
        InodeAttr a = sb.getattr(n.ino);
        if (a == null) {
            inodes.remove(n.ino);
            dentries.remove(n.ino);
            return false;
        }
        n.set(a);
        return true;
    }

    /** One directory entry: the cached answer, or the filesystem's (cached if it exists). */
    Inode lookup(Inode dir, String name) {
        Map<String, Long> d = dentries.computeIfAbsent(dir.ino, x -> new HashMap<>());
        Long ino = cached ? d.get(name) : null;
        if (ino == null) {
            long r = sb.lookup(dir.ino, name);
            if (r < 0) {
                return null;
            }
            ino = r;
            d.put(name, ino);
        }
        Inode n = inode(ino);
        if (n == null) {
            d.remove(name);
        }
        return n;
    }

    /** The filesystem added or removed dir/name: forget the cached entry. */
    void invalidate(Inode dir, String name) {
        Map<String, Long> d = dentries.get(dir.ino);
        if (d != null) {
            d.remove(name);
        }
    }

    /** The inode is gone from the filesystem: forget it. */
    void forget(Inode n) {
        inodes.remove(n.ino);
        dentries.remove(n.ino);
    }

    /** An inode nothing refers to any more (no name, no open file) is freed by its filesystem. */
    void evictIfUnused(Inode n) {
        if (n.nlink == 0 && n.opens == 0) {
            sb.evict(n.ino);
            forget(n);
        }
    }
}

package microlith.kernel.fs;

import microlith.kernel.syscall.Errno;

/**
 * The writable in-memory root filesystem the initramfs is unpacked into (Linux's
 * rootfs/ramfs). File contents are kernel bookkeeping here; the page cache and a full VFS
 * come with the multiprocess kernel.
 */
public final class RamFs {
    private final Inode root = new Inode(Inode.S_IFDIR | 0755, 0, 0);
    /** /proc, generated on lookup; null until the kernel mounts it. */
    public ProcFs proc;
    /** /sys, generated on lookup; null until the kernel mounts it. */
    public SysFs sys;
    /** The clock new files are stamped with (simulated seconds since the epoch). */
    public java.util.function.LongSupplier mtime = () -> 0;
    /** The task a /proc/self lookup refers to. */
    public java.util.function.Supplier<microlith.kernel.proc.Task> current = () -> null;

    public Inode root() {
        return root;
    }

    /** Resolves an absolute path; null if a component is missing or not a directory. */
    public Inode lookup(String path) {
        if (proc != null && (path.equals("/proc") || path.startsWith("/proc/"))) {
            return proc.lookup(path.length() <= 6 ? "" : path.substring(6).replaceAll("/+$", ""), current.get());
        }
        if (sys != null && (path.equals("/sys") || path.startsWith("/sys/"))) {
            return sys.lookup(path.length() <= 5 ? "" : path.substring(5).replaceAll("/+$", ""));
        }
        Inode cur = root;
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!cur.isDir()) {
                return null;
            }
            cur = child(cur, part);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    /** One step of a path walk, crossing into mounted filesystems. */
    private static Inode child(Inode dir, String name) {
        Inode c = dir.mnt != null ? dir.mnt.lookup(dir, name) : dir.children.get(name);
        return c != null && c.mountedHere != null ? c.mountedHere : c;
    }

    /** Looks up a path and reports why it fails as an errno (0 on success). */
    public int resolveError(String path) {
        if (proc != null && path.startsWith("/proc") || sys != null && path.startsWith("/sys")) {
            return lookup(path) == null ? Errno.ENOENT : 0;
        }
        Inode cur = root;
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!cur.isDir()) {
                return Errno.ENOTDIR;
            }
            cur = child(cur, part);
            if (cur == null) {
                return Errno.ENOENT;
            }
        }
        return 0;
    }

    /** Creates (or replaces) a node at an absolute path whose parent exists. */
    public Inode create(String path, int mode, int uid, int gid) {
        int slash = path.lastIndexOf('/');
        String parentPath = slash <= 0 ? "/" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        Inode parent = lookup(parentPath);
        if (parent == null || !parent.isDir() || name.isEmpty()) {
            throw new IllegalArgumentException("no directory for " + path);
        }
        if (parent.mnt != null) {
            return parent.mnt.create(parent, name, mode, uid, gid, mtime.getAsLong());
        }
        Inode existing = parent.children.get(name);
        if (existing != null && existing.isDir() && (mode & Inode.S_IFMT) == Inode.S_IFDIR) {
            existing.mode = mode;
            existing.uid = uid;
            existing.gid = gid;
            return existing;
        }
        Inode n = new Inode(mode, uid, gid);
        parent.children.put(name, n);
        return n;
    }

    /**
     * A new name for an existing file (link(2), cpio hard links) at an absolute path whose
     * parent exists and has no entry of that name; 0 or an errno.
     */
    public int link(String path, Inode n) {
        int slash = path.lastIndexOf('/');
        Inode parent = lookup(slash <= 0 ? "/" : path.substring(0, slash));
        String name = path.substring(slash + 1);
        if (parent == null || !parent.isDir()) {
            return Errno.ENOENT;
        }
        if (parent.mnt != null || n.mnt != null) {
            // Mounted filesystems would need the module's link operation.
            return parent.mnt != n.mnt ? Errno.EXDEV : Errno.EPERM;
        }
        parent.children.put(name, n);
        n.links++;
        return 0;
    }

    /** unlink or rmdir of name in the directory at parentPath; 0 or an errno. */
    public int remove(String parentPath, String name, boolean directory) {
        Inode parent = lookup(parentPath);
        Inode victim = parent.mnt != null ? null : parent.children.get(name);
        if (victim != null && victim.mountedHere != null) {
            return Errno.EBUSY;
        }
        if (parent.mnt != null) {
            return -parent.mnt.remove(parent, name, directory);
        }
        Inode gone = parent.children.remove(name);
        if (gone != null && !gone.isDir()) {
            gone.links--;
        }
        return 0;
    }

    /** Moves an entry within one filesystem; EXDEV across filesystems. */
    public int rename(String fromParent, String from, String toParent, String to) {
        Inode a = lookup(fromParent);
        Inode b = lookup(toParent);
        if (a.mnt != b.mnt) {
            return Errno.EXDEV;
        }
        if (a.mnt != null) {
            return -a.mnt.rename(a, from, b, to);
        }
        Inode n = a.children.get(from);
        if (n != null && n.mountedHere != null) {
            return Errno.EBUSY;
        }
        a.children.remove(from);
        Inode replaced = b.children.put(to, n);
        if (replaced != null && replaced != n && !replaced.isDir()) {
            replaced.links--;
        }
        return 0;
    }

    /** Creates every missing directory on the way to path. */
    public void mkdirs(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            sb.append('/').append(part);
            Inode n = lookup(sb.toString());
            if (n == null) {
                create(sb.toString(), Inode.S_IFDIR | 0755, 0, 0);
            }
        }
    }
}

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
        Inode cur = root;
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!cur.isDir()) {
                return null;
            }
            cur = cur.children.get(part);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    /** Looks up a path and reports why it fails as an errno (0 on success). */
    public int resolveError(String path) {
        if (proc != null && path.startsWith("/proc")) {
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
            cur = cur.children.get(part);
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

package microlith.kernel.fs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import microlith.hw.PerfCounters;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * Path walking (Linux's fs/namei.c), the pathname layer every OS model keeps in the core.
 * A walk starts at the root or the caller's working directory and resolves one component
 * at a time: search permission on each directory, ".." by the directories walked (so it
 * leaves a mounted filesystem to the directory it covers), mounted filesystems crossed
 * into, and symbolic links followed (at most 40, then ELOOP).
 */
public final class Namei {
    /** Follow a symbolic link in the last component. */
    public static final int FOLLOW = 1;
    /** Stop at the last component's directory: the result names it and may have no inode. */
    public static final int PARENT = 2;
    private static final int MAX_LINKS = 40;
    public static final int PATH_MAX = 4096, NAME_MAX = 255;

    /** Where a walk ended. */
    public static final class Walk {
        /** The resolved inode (null when PARENT found no such entry). */
        public Inode node;
        /** With PARENT: the directory holding the last component, and its name. */
        public Inode dir;
        public String last;
        /** The canonical absolute path of node (or of dir/last). */
        public String path;
        /** The path ended in "/": what it names must be a directory. */
        public boolean trailingSlash;
    }

    private final Mounts mounts;
    /** Each component walked is counted (and costed, CostModel.PATH_COMPONENT). */
    private final PerfCounters perf;

    Namei(Mounts mounts, PerfCounters perf) {
        this.mounts = mounts;
        this.perf = perf;
    }

    /** One component below dir, crossing into a filesystem mounted there; null if absent. */
    Inode child(Inode dir, String name) {
        Inode c = dir.mnt.lookup(dir, name);
        while (c != null && c.mounted != null) {
            c = c.mounted.root;
        }
        return c;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                parts.add(s);
            }
        }
        return parts;
    }

    private static String join(Deque<String> names) {
        return names.isEmpty() ? "/" : "/" + String.join("/", names);
    }

    /**
     * Resolves path for t: a Walk, or a negative errno in {@code err[0]} and null. Relative
     * paths start at base (an absolute canonical path: the cwd or a directory fd's path).
     */
    public Walk walk(Task t, String base, String path, int flags, int[] err) {
        if (path.isEmpty()) {
            err[0] = -Errno.ENOENT;
            return null;
        }
        if (path.length() >= PATH_MAX) {
            err[0] = -Errno.ENAMETOOLONG;
            return null;
        }
        Walk w = new Walk();
        w.trailingSlash = path.endsWith("/") && !path.replace("/", "").isEmpty();
        Deque<Inode> dirs = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        Inode cur = mounts.rootInode();
        Deque<String> todo = new ArrayDeque<>();
        if (!path.startsWith("/")) {
            todo.addAll(split(base));
        }
        todo.addAll(split(path));
        int links = 0;
        boolean parentOnly = (flags & PARENT) != 0;
        while (!todo.isEmpty()) {
            String comp = todo.pollFirst();
            boolean last = todo.isEmpty();
            perf.pathComponents++;
            if (!cur.isDir()) {
                err[0] = -Errno.ENOTDIR;
                return null;
            }
            if (!Permission.permits(t, cur, Permission.MAY_EXEC)) {
                err[0] = -Errno.EACCES;
                return null;
            }
            if (comp.equals("..")) {
                if (!dirs.isEmpty()) {
                    cur = dirs.pop();
                    names.pollLast();
                }
                if (last && parentOnly) {
                    // "a/.." as the last component names a directory, not an entry to create.
                    err[0] = -Errno.EEXIST;
                    return null;
                }
                continue;
            }
            if (comp.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
                err[0] = -Errno.ENAMETOOLONG;
                return null;
            }
            Inode next = child(cur, comp);
            if (last && parentOnly) {
                w.dir = cur;
                w.last = comp;
                w.node = next;
                names.addLast(comp);
                w.path = join(names);
                return w;
            }
            if (next == null) {
                err[0] = -Errno.ENOENT;
                return null;
            }
            boolean follow = !last || (flags & FOLLOW) != 0 || w.trailingSlash;
            if (next.isSymlink() && follow) {
                if (++links > MAX_LINKS) {
                    err[0] = -Errno.ELOOP;
                    return null;
                }
                String target = next.mnt.sb.readlink(next.ino);
                if (target == null || target.isEmpty()) {
                    err[0] = -Errno.ENOENT;
                    return null;
                }
                List<String> more = split(target);
                for (int i = more.size() - 1; i >= 0; i--) {
                    todo.addFirst(more.get(i));
                }
                if (target.startsWith("/")) {
                    cur = mounts.rootInode();
                    dirs.clear();
                    names.clear();
                }
                continue;
            }
            dirs.push(cur);
            names.addLast(comp);
            cur = next;
        }
        if (parentOnly) {
            // The path named a directory itself ("/", "a/.."): there is no last entry.
            err[0] = -Errno.EEXIST;
            w.node = cur;
            w.path = join(names);
            return null;
        }
        if (w.trailingSlash && !cur.isDir()) {
            err[0] = -Errno.ENOTDIR;
            return null;
        }
        w.node = cur;
        w.path = join(names);
        return w;
    }
}

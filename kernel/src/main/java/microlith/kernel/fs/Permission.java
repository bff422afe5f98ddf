package microlith.kernel.fs;

import microlith.kernel.task.Task;

/**
 * The classic Unix permission check (Linux's generic_permission without ACLs): the owner,
 * group or other bits, chosen by who asks. Root passes every read and write check, and an
 * execute check if any execute bit is set or the inode is a directory.
 */
public final class Permission {
    public static final int MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4;

    private Permission() {
    }

    /** Whether t may access n as wanted; a null task is the kernel itself, which may do anything. */
    public static boolean permits(Task t, Inode n, int want) {
        if (t == null) {
            return true;
        }
        if (t.uid() == 0) {
            return (want & MAY_EXEC) == 0 || n.isDir() || (n.mode & 0111) != 0;
        }
        int bits = t.uid() == n.uid ? n.mode >> 6 : t.gid() == n.gid ? n.mode >> 3 : n.mode;
        return (bits & want & 7) == want;
    }

    /** The sticky-bit rule (/tmp): only the entry's owner, the directory's owner or root may remove it. */
    public static boolean stickyAllows(Task t, Inode dir, Inode victim) {
        return (dir.mode & 01000) == 0 || t.uid() == 0 || t.uid() == victim.uid || t.uid() == dir.uid;
    }
}

package microlith.modules.mlfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the current operation may change, as MlfsSuperBlock states it to the write guard
 * before doing anything: which inodes it may write or free, which directory entries it
 * adds, re-points or clears (by directory and name), and for a write the program's bytes.
 * The inodes behind names come from the guard's shadow, not from mlfs's own lookup. It
 * also holds what the operation did so far: the blocks it allocated and their contents,
 * the inode it created, the entry changes made, the file bytes written.
 */
final class Intent {
    enum Kind { SUPER, CREATE, REMOVE, RENAME, WRITE, TRUNCATE, CHMOD }

    /** One directory entry the operation changes: dir's entry name comes to name ino (0: freed). */
    static final class Change {
        final int dir;
        final String name;
        /** The inode the entry names afterwards; for a create, 0 until the new inode is written. */
        int ino;
        boolean done;

        Change(int dir, String name, int ino) {
            this.dir = dir;
            this.name = name;
            this.ino = ino;
        }
    }

    /** A block this operation allocated: its bytes as written so far, and which sectors. */
    static final class Fresh {
        final byte[] image = new byte[Layout.BLOCK_SIZE];
        int sectors;

        boolean complete() {
            return sectors == (1 << Layout.SECTORS_PER_BLOCK) - 1;
        }
    }

    final Kind kind;
    /** The inodes the operation may write. */
    final int[] inodes;
    /** The inodes it may free (zero on disk). */
    final int[] frees;
    final List<Change> changes = new ArrayList<>();
    final Map<Integer, Fresh> fresh = new HashMap<>();
    /** File ranges [start, end) whose bytes were checked against the program's, for a write. */
    final List<long[]> covered = new ArrayList<>();

    /** CREATE: the new inode's mode, owner and parent; the inode number once written. */
    int mode;
    int uid;
    int gid;
    int dir;
    int created;

    /** WRITE: the file, the position and the program's bytes; TRUNCATE: the file and size (pos). */
    int ino;
    long pos;
    byte[] buf;
    int off;
    int len;

    /** RENAME: the inode moved and the directory it goes to. */
    int src;
    int toDir;

    Intent(Kind kind, int[] inodes, int[] frees) {
        this.kind = kind;
        this.inodes = inodes;
        this.frees = frees;
    }

    boolean mayWrite(int n) {
        if (kind == Kind.CREATE && n == created && n != 0) {
            return true;
        }
        return contains(inodes, n);
    }

    boolean mayFree(int n) {
        return n != 0 && (contains(frees, n) || kind == Kind.CREATE && n == created);
    }

    /** Whether the operation may allocate blocks (a write, or a directory growing by one). */
    boolean allocates() {
        return kind == Kind.WRITE || kind == Kind.CREATE || kind == Kind.RENAME;
    }

    /** The change naming dir's entry name, not yet made, or null. */
    Change change(int d, String name) {
        for (Change c : changes) {
            if (!c.done && c.dir == d && c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Whether the operation adds or re-points an entry in directory d (which may grow it). */
    boolean adds(int d) {
        for (Change c : changes) {
            if (c.dir == d && (c.ino != 0 || kind == Kind.CREATE)) {
                return true;
            }
        }
        return false;
    }

    /** The program's bytes for file offsets [from, to) reached the disk, checked. */
    void cover(long from, long to) {
        long[] last = covered.isEmpty() ? null : covered.get(covered.size() - 1);
        if (last != null && last[1] == from) {
            last[1] = to;
        } else {
            covered.add(new long[] {from, to});
        }
    }

    /** Whether [from, to) lies inside the union of the covered ranges. */
    boolean covers(long from, long to) {
        long at = from;
        boolean grew = true;
        while (at < to && grew) {
            grew = false;
            for (long[] r : covered) {
                if (r[0] <= at && r[1] > at) {
                    at = r[1];
                    grew = true;
                }
            }
        }
        return at >= to;
    }

    private static boolean contains(int[] set, int n) {
        for (int x : set) {
            if (x == n && n != 0) {
                return true;
            }
        }
        return false;
    }
}

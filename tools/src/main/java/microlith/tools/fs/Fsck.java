package microlith.tools.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import microlith.module.api.BlockDevice;
import microlith.modules.mlfs.BlockIo;
import microlith.modules.mlfs.DiskDirent;
import microlith.modules.mlfs.DiskInode;
import microlith.modules.mlfs.DiskSuperblock;
import microlith.modules.mlfs.Layout;

/**
 * Checks an mlfs image in e2fsck's passes, reading it only: the superblock; every inode
 * and the blocks it claims (pass 1); the directory tree from the root (pass 2); link
 * counts and unattached inodes (pass 4); the block bitmap against the claimed blocks
 * (pass 5). Problems are phrased as e2fsck phrases them.
 */
public final class Fsck {
    /** The device does not hold an mlfs at all (e2fsck's "Bad magic number"). */
    public static final class NotMlfs extends Exception {
        NotMlfs(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What the check found. usedInodes and usedBlocks are -1 when the superblock was too
     * broken to look further.
     */
    public record Result(DiskSuperblock superblock, List<String> problems, long usedInodes, long usedBlocks) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final BlockIo io;
    private final DiskSuperblock sb;
    private final List<String> problems = new ArrayList<>();
    private final DiskInode[] inodes;
    private final boolean[] bad;
    private final int[] owner;
    private final int[] refs;
    private final int[] subdirs;
    private final boolean[] reached;
    private final String[] paths;
    private byte[] bitmap;

    private Fsck(BlockDevice device, DiskSuperblock sb) {
        this.io = new BlockIo(device);
        this.sb = sb;
        int n = sb.inodes() + 1;
        inodes = new DiskInode[n];
        bad = new boolean[n];
        refs = new int[n];
        subdirs = new int[n];
        reached = new boolean[n];
        paths = new String[n];
        owner = new int[sb.blocks()];
    }

    public static Result check(BlockDevice device) throws NotMlfs {
        if (device.sectors() < Layout.SECTORS_PER_BLOCK) {
            throw new NotMlfs("too small to hold an mlfs filesystem");
        }
        byte[] block = new byte[Layout.BLOCK_SIZE];
        new BlockIo(device).read(0, block, 0, DiskSuperblock.SIZE);
        DiskSuperblock sb = DiskSuperblock.decode(block);
        if (sb.magic() != Layout.MAGIC) {
            throw new NotMlfs("bad magic number in superblock (not an mlfs filesystem)");
        }
        List<String> broken = sb.problems(device.sectors() / Layout.SECTORS_PER_BLOCK);
        if (!broken.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (String p : broken) {
                lines.add(capitalize(p) + ".");
            }
            return new Result(sb, lines, -1, -1);
        }
        return new Fsck(device, sb).run();
    }

    private Result run() {
        readMetadata();
        for (int i = 1; i <= sb.inodes(); i++) {
            if (inodes[i].inUse()) {
                pass1(i, inodes[i]);
            }
        }
        pass2();
        pass4();
        pass5();
        long usedInodes = 0;
        for (int i = 1; i <= sb.inodes(); i++) {
            usedInodes += inodes[i].inUse() ? 1 : 0;
        }
        long usedBlocks = 0;
        for (int b = 0; b < sb.blocks(); b++) {
            usedBlocks += bit(b) ? 1 : 0;
        }
        return new Result(sb, problems, usedInodes, usedBlocks);
    }

    private void readMetadata() {
        bitmap = new byte[sb.bitmapBlocks() * Layout.BLOCK_SIZE];
        for (int i = 0; i < sb.bitmapBlocks(); i++) {
            System.arraycopy(io.readBlock(sb.bitmapStart() + i), 0, bitmap, i * Layout.BLOCK_SIZE, Layout.BLOCK_SIZE);
        }
        for (int t = 0; t < sb.inodeTableBlocks(); t++) {
            byte[] block = io.readBlock(sb.inodeTableStart() + t);
            for (int k = 0; k < Layout.INODES_PER_BLOCK; k++) {
                int ino = t * Layout.INODES_PER_BLOCK + k + 1;
                if (ino <= sb.inodes()) {
                    inodes[ino] = DiskInode.decode(block, k * Layout.INODE_SIZE);
                }
            }
        }
    }

    /** Pass 1: the inode's mode and size, and every block it points to. */
    private void pass1(int ino, DiskInode n) {
        if (!n.isDir() && !n.isRegular()) {
            problems.add("Inode " + ino + " has bad mode (0" + Integer.toOctalString(n.mode) + ").");
            bad[ino] = true;
            return;
        }
        if (n.size < 0 || n.size > Layout.MAX_FILE_SIZE) {
            problems.add("Inode " + ino + " has bad size " + n.size + " (the largest is " + Layout.MAX_FILE_SIZE + ").");
            bad[ino] = true;
            return;
        }
        if (n.isDir() && n.size % Layout.BLOCK_SIZE != 0) {
            problems.add("Directory inode " + ino + " has size " + n.size + ", not a multiple of "
                + Layout.BLOCK_SIZE + ".");
        }
        long blocks = Layout.blocksFor(n.size);
        long last = -1;
        for (int k = 0; k < Layout.NDIRECT; k++) {
            if (n.direct[k] != 0 && claim(ino, n.direct[k], k)) {
                last = k;
            }
        }
        byte[] ind = null;
        if (n.indirect != 0 && claim(ino, n.indirect, -1)) {
            ind = io.readBlock(n.indirect);
            if (blocks <= Layout.NDIRECT) {
                problems.add("Inode " + ino + " has an indirect block (" + n.indirect + ") but i_size is " + n.size + ".");
            }
            for (int s = 0; s < Layout.PTRS_PER_BLOCK; s++) {
                int p = pointer(ind, s);
                if (p != 0 && claim(ino, p, Layout.NDIRECT + s)) {
                    last = Layout.NDIRECT + s;
                }
            }
        }
        if (last >= blocks) {
            problems.add("Inode " + ino + ", i_size is " + n.size + ", should be " + (last + 1) * Layout.BLOCK_SIZE + ".");
        }
        if (n.isDir()) {
            for (long k = 0; k < blocks; k++) {
                if (physical(n, ind, k) == 0) {
                    problems.add("Directory inode " + ino + " has an unallocated block #" + k + ".");
                    break;
                }
            }
        }
    }

    /** Records that ino points to block p (file block #index, -1 for the indirect block). */
    private boolean claim(int ino, int p, long index) {
        String what = index < 0 ? "indirect block" : "block #" + index;
        if (p < sb.dataStart() || p >= sb.blocks()) {
            problems.add("Illegal " + what + " (" + Integer.toUnsignedString(p) + ") in inode " + ino + ".");
            return false;
        }
        if (owner[p] != 0) {
            problems.add("Multiply-claimed block " + p + " (" + what + " of inode " + ino + ", already used by inode "
                + owner[p] + ").");
            return false;
        }
        owner[p] = ino;
        return true;
    }

    /** The disk block of file block k if pass 1 let the inode claim it, else 0. */
    private int physical(DiskInode n, byte[] ind, long k) {
        int p = k < Layout.NDIRECT ? n.direct[(int) k] : ind == null ? 0 : pointer(ind, (int) (k - Layout.NDIRECT));
        return p >= sb.dataStart() && p < sb.blocks() ? p : 0;
    }

    /** Pass 2: every directory reachable from the root, breadth first, entry by entry. */
    private void pass2() {
        DiskInode root = inodes[Layout.ROOT_INO];
        if (!root.isDir() || bad[Layout.ROOT_INO]) {
            problems.add("Root inode is not a directory.");
            return;
        }
        if (root.parent != Layout.ROOT_INO) {
            problems.add("'..' in / (1) is inode " + Integer.toUnsignedString(root.parent) + ", should be 1.");
        }
        reached[Layout.ROOT_INO] = true;
        paths[Layout.ROOT_INO] = "/";
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(Layout.ROOT_INO);
        while (!queue.isEmpty()) {
            int dir = queue.poll();
            DiskInode d = inodes[dir];
            byte[] ind = d.indirect != 0 && owner(d.indirect) == dir ? io.readBlock(d.indirect) : null;
            Set<String> names = new HashSet<>();
            for (long k = 0; k < Layout.blocksFor(d.size); k++) {
                int p = physical(d, ind, k);
                if (p != 0 && owner[p] == dir) {
                    entries(dir, io.readBlock(p), names, queue);
                }
            }
        }
    }

    private void entries(int dir, byte[] block, Set<String> names, ArrayDeque<Integer> queue) {
        String where = paths[dir] + " (" + dir + ")";
        for (int s = 0; s < Layout.DIRENTS_PER_BLOCK; s++) {
            int ino = DiskDirent.ino(block, s);
            if (ino == 0) {
                continue;
            }
            int len = DiskDirent.nameLength(block, s);
            if (len == 0 || len > Layout.NAME_MAX) {
                problems.add("Entry #" + s + " in " + where + " has bad name length " + len + ".");
                continue;
            }
            byte[] raw = DiskDirent.nameBytes(block, s);
            String name = new String(raw, StandardCharsets.UTF_8);
            if (!DiskDirent.isValidName(raw)) {
                problems.add("Entry '" + printable(name) + "' in " + where + " has an illegal name.");
                continue;
            }
            if (!names.add(new String(raw, StandardCharsets.ISO_8859_1))) {
                problems.add("Duplicate entry '" + name + "' found in " + where + ".");
            }
            if (ino < 0 || ino > sb.inodes()) {
                problems.add("Entry '" + name + "' in " + where + " has bad inode #" + Integer.toUnsignedString(ino) + ".");
                continue;
            }
            DiskInode n = inodes[ino];
            if (!n.inUse()) {
                problems.add("Entry '" + name + "' in " + where + " has deleted/unused inode " + ino + ".");
                continue;
            }
            refs[ino]++;
            if (bad[ino] || !n.isDir()) {
                reached[ino] = true;
                continue;
            }
            String path = paths[dir] + name + "/";
            if (reached[ino]) {
                problems.add("Entry '" + name + "' in " + where + " is a link to directory "
                    + paths[ino].substring(0, Math.max(1, paths[ino].length() - 1)) + " (" + ino + ").");
                continue;
            }
            reached[ino] = true;
            paths[ino] = path;
            subdirs[dir]++;
            if (n.parent != dir) {
                problems.add("'..' in " + path.substring(0, path.length() - 1) + " (" + ino + ") is inode "
                    + Integer.toUnsignedString(n.parent) + ", should be " + dir + ".");
            }
            queue.add(ino);
        }
    }

    /** Pass 4: every inode in use is reached, and its link count matches the tree. */
    private void pass4() {
        for (int i = 1; i <= sb.inodes(); i++) {
            DiskInode n = inodes[i];
            if (!n.inUse() || bad[i]) {
                continue;
            }
            if (!reached[i]) {
                problems.add((n.isDir() ? "Unconnected directory inode " : "Unattached inode ") + i + ".");
                continue;
            }
            int expected = n.isDir() ? 2 + subdirs[i] : refs[i];
            if (n.nlink != expected) {
                problems.add("Inode " + i + " ref count is " + n.nlink + ", should be " + expected + ".");
            }
        }
    }

    /** Pass 5: the bitmap marks exactly the metadata and the blocks inodes claim. */
    private void pass5() {
        StringBuilder diffs = new StringBuilder();
        int b = 0;
        while (b < sb.blocks()) {
            boolean should = b < sb.dataStart() || owner[b] != 0;
            if (bit(b) == should) {
                b++;
                continue;
            }
            int start = b;
            while (b < sb.blocks() && bit(b) != (b < sb.dataStart() || owner[b] != 0) && bit(b) == bit(start)) {
                b++;
            }
            diffs.append(' ').append(should ? '+' : '-');
            diffs.append(b - 1 == start ? Integer.toString(start) : "(" + start + "--" + (b - 1) + ")");
        }
        if (diffs.length() > 0) {
            problems.add("Block bitmap differences:" + diffs + ".");
        }
        for (long p = sb.blocks(); p < (long) sb.bitmapBlocks() * Layout.BITS_PER_BLOCK; p++) {
            if (!bit((int) p)) {
                problems.add("Padding at end of block bitmap is not set.");
                break;
            }
        }
    }

    private int owner(int p) {
        return p >= sb.dataStart() && p < sb.blocks() ? owner[p] : 0;
    }

    private boolean bit(int b) {
        return (bitmap[b >>> 3] >> (b & 7) & 1) != 0;
    }

    private static int pointer(byte[] ind, int slot) {
        int o = slot * 4;
        return (ind[o] & 0xff) | (ind[o + 1] & 0xff) << 8 | (ind[o + 2] & 0xff) << 16 | (ind[o + 3] & 0xff) << 24;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 ? "^" + (char) (c + 0x40) : String.valueOf(c));
        }
        return b.toString();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

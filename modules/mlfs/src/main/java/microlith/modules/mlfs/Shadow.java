package microlith.modules.mlfs;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;

/**
 * What the write guard knows the disk holds: the metadata it has allowed, decoded with its
 * own code. Built at mount by reading the whole of the metadata (superblock, bitmap, inode
 * table, directory and indirect blocks), then kept up to date by the guard as it admits
 * writes, so checking a write reads nothing more from the disk.
 *
 * <pre>
 * bitmap         the block bitmap's bytes (bit b: byte b/8, bit b%8)
 * owner[b]       the inode whose pointer (direct, indirect, or in its indirect block) names b; 0: none
 * index[b]       which of that inode's blocks b is: file block 0..1035, or -1 for its indirect block
 * inode[n]       inode n as last written (mode 0: free)
 * dir blocks     each directory block's 64 entries; per directory, name -> inode
 * refs[n]        the entries naming inode n; dirOf[n] the directory holding the last one
 * </pre>
 */
final class Shadow {
    /** The 64 entries of one directory block: inode (0 = free) and name, one char per byte. */
    static final class Slots {
        final int[] ino = new int[Layout.DIRENTS_PER_BLOCK];
        final String[] name = new String[Layout.DIRENTS_PER_BLOCK];
    }

    final int blocks;
    final int inodes;
    final int bitmapStart;
    final int bitmapBlocks;
    final int tableStart;
    final int tableBlocks;
    final int dataStart;
    final byte[] superblock;
    final byte[] bitmap;
    final int[] owner;
    final int[] index;
    final ShadowInode[] inode;
    final int[] refs;
    final int[] dirOf;
    final Map<Integer, int[]> indirect = new HashMap<>();
    final Map<Integer, Slots> dirBlocks = new HashMap<>();
    final Map<Integer, Map<String, Integer>> names = new HashMap<>();
    /** Directories whose link count was already not 2 + subdirectories at mount (fsck would say so). */
    final Set<Integer> oddLinks = new HashSet<>();

    private Shadow(byte[] sector) {
        superblock = sector;
        blocks = LittleEndian.u32(sector, 0x0C);
        inodes = LittleEndian.u32(sector, 0x10);
        bitmapStart = LittleEndian.u32(sector, 0x14);
        bitmapBlocks = LittleEndian.u32(sector, 0x18);
        tableStart = LittleEndian.u32(sector, 0x1C);
        tableBlocks = LittleEndian.u32(sector, 0x20);
        dataStart = LittleEndian.u32(sector, 0x24);
        if (blocks <= 0 || inodes <= 0 || bitmapStart != 1 || tableStart != bitmapStart + bitmapBlocks
                || (long) bitmapBlocks * Layout.BITS_PER_BLOCK < blocks
                || (long) tableBlocks * Layout.INODES_PER_BLOCK < inodes
                || dataStart != tableStart + tableBlocks || dataStart >= blocks) {
            throw unclean("superblock geometry does not add up");
        }
        bitmap = new byte[bitmapBlocks * Layout.BLOCK_SIZE];
        owner = new int[blocks];
        index = new int[blocks];
        inode = new ShadowInode[inodes + 1];
        refs = new int[inodes + 1];
        dirOf = new int[inodes + 1];
    }

    /** Reads the disk's metadata; EUCLEAN when it is damaged beyond leaks (fsck would report it). */
    static Shadow scan(BlockDevice dev) {
        byte[] sector = new byte[Layout.SECTOR_SIZE];
        read(dev, 0, 0, 1, sector);
        Shadow s = new Shadow(sector);
        if ((long) s.blocks * Layout.SECTORS_PER_BLOCK > dev.sectors()) {
            throw unclean("filesystem is larger than the device");
        }
        byte[] block = new byte[Layout.BLOCK_SIZE];
        for (int i = 0; i < s.bitmapBlocks; i++) {
            read(dev, s.bitmapStart + i, 0, Layout.SECTORS_PER_BLOCK, block);
            System.arraycopy(block, 0, s.bitmap, i * Layout.BLOCK_SIZE, Layout.BLOCK_SIZE);
        }
        for (int t = 0; t < s.tableBlocks; t++) {
            read(dev, s.tableStart + t, 0, Layout.SECTORS_PER_BLOCK, block);
            for (int i = 0; i < Layout.INODES_PER_BLOCK; i++) {
                int n = t * Layout.INODES_PER_BLOCK + i + 1;
                if (n <= s.inodes) {
                    s.inode[n] = ShadowInode.decode(block, i * Layout.INODE_SIZE);
                }
            }
        }
        for (int n = 1; n <= s.inodes; n++) {
            s.claimAll(dev, n);
        }
        for (int n = 1; n <= s.inodes; n++) {
            if (s.inode[n].dir()) {
                s.readDirectory(dev, n);
            }
        }
        for (int n : s.names.keySet()) {
            if (s.inode[n].nlink != 2 + s.subdirs(n)) {
                s.oddLinks.add(n);
            }
        }
        return s;
    }

    private void claimAll(BlockDevice dev, int n) {
        ShadowInode x = inode[n];
        if (x.free()) {
            return;
        }
        if (!x.dir() && !x.regular() || !x.reservedZero) {
            throw unclean("inode " + n + " makes no sense");
        }
        for (int i = 0; i <= Layout.NDIRECT; i++) {
            if (x.ptr[i] != 0) {
                claim(x.ptr[i], n, i == ShadowInode.INDIRECT ? -1 : i, x);
            }
        }
        int ind = x.ptr[ShadowInode.INDIRECT];
        if (ind != 0) {
            byte[] block = new byte[Layout.BLOCK_SIZE];
            read(dev, ind, 0, Layout.SECTORS_PER_BLOCK, block);
            int[] p = new int[Layout.PTRS_PER_BLOCK];
            for (int slot = 0; slot < p.length; slot++) {
                p[slot] = LittleEndian.u32(block, slot * 4);
                if (p[slot] != 0) {
                    claim(p[slot], n, Layout.NDIRECT + slot, x);
                }
            }
            indirect.put(ind, p);
        }
    }

    private void claim(int b, int n, int idx, ShadowInode x) {
        if (b < dataStart || b >= blocks || owner[b] != 0 || !used(b) || idx >= x.blocks()
                || idx < 0 && x.blocks() <= Layout.NDIRECT) {
            throw unclean("block " + Integer.toUnsignedString(b) + " of inode " + n + " is not a block it may own");
        }
        owner[b] = n;
        index[b] = idx;
    }

    private void readDirectory(BlockDevice dev, int d) {
        ShadowInode x = inode[d];
        Map<String, Integer> byName = new HashMap<>();
        names.put(d, byName);
        byte[] block = new byte[Layout.BLOCK_SIZE];
        for (long i = 0; i < x.blocks(); i++) {
            int b = blockOf(d, i);
            if (b == 0) {
                throw unclean("directory " + d + " has a hole");
            }
            read(dev, b, 0, Layout.SECTORS_PER_BLOCK, block);
            Slots slots = new Slots();
            for (int e = 0; e < Layout.DIRENTS_PER_BLOCK; e++) {
                int ino = LittleEndian.u32(block, e * Layout.DIRENT_SIZE);
                String name = entryName(block, e * Layout.DIRENT_SIZE);
                if (ino == 0 && LittleEndian.zero(block, e * Layout.DIRENT_SIZE, (e + 1) * Layout.DIRENT_SIZE)) {
                    continue;
                }
                if (name == null || ino < 1 || ino > inodes || inode[ino].free() || byName.containsKey(name)) {
                    throw unclean("directory " + d + " has a bad entry in slot " + e + " of block " + b);
                }
                slots.ino[e] = ino;
                slots.name[e] = name;
                byName.put(name, ino);
                refs[ino]++;
                dirOf[ino] = d;
            }
            dirBlocks.put(b, slots);
        }
    }

    boolean used(int b) {
        return (bitmap[b >>> 3] >> (b & 7) & 1) != 0;
    }

    /** The disk block of file block i of inode n, from the shadow's pointers; 0 for a hole. */
    int blockOf(int n, long i) {
        ShadowInode x = inode[n];
        if (i < Layout.NDIRECT) {
            return x.ptr[(int) i];
        }
        int[] p = indirect.get(x.ptr[ShadowInode.INDIRECT]);
        return p == null ? 0 : p[(int) (i - Layout.NDIRECT)];
    }

    /**
     * The name in the 64-byte entry at o, or null unless it is one mlfs may store: length
     * 1..59, no '/' or NUL, not "." or "..", zeros after it.
     */
    static String entryName(byte[] b, int o) {
        int len = b[o + 4] & 0xff;
        if (len < 1 || len > Layout.NAME_MAX || !LittleEndian.zero(b, o + 5 + len, o + Layout.DIRENT_SIZE)) {
            return null;
        }
        for (int i = 0; i < len; i++) {
            byte c = b[o + 5 + i];
            if (c == '/' || c == 0) {
                return null;
            }
        }
        String name = new String(b, o + 5, len, StandardCharsets.ISO_8859_1);
        return name.equals(".") || name.equals("..") ? null : name;
    }

    /** The key the shadow files a name under: one char per byte. */
    static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    /** Subdirectories of directory d: entries naming a directory inode. */
    int subdirs(int d) {
        int count = 0;
        for (int n : names.getOrDefault(d, Map.of()).values()) {
            if (inode[n].dir()) {
                count++;
            }
        }
        return count;
    }

    private static void read(BlockDevice dev, int block, int sector, int count, byte[] buf) {
        long lba = (long) block * Layout.SECTORS_PER_BLOCK + sector;
        if (dev.read(lba, count, buf, sector * Layout.SECTOR_SIZE) != count) {
            throw new FsError(Errno.EIO, "guard: read error at block " + block);
        }
    }

    /** Reads sectors of a block into buf at the same offsets (buf is block-sized). */
    static void readSectors(BlockDevice dev, int block, int sector, int count, byte[] buf) {
        read(dev, block, sector, count, buf);
    }

    private static FsError unclean(String why) {
        return new FsError(Errno.EUCLEAN, "guard: " + why + "; run fsck");
    }
}

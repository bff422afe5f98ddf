package microlith.modules.mlfs;

import java.util.Arrays;

/**
 * An inode as the write guard decodes it (docs/mlfs.md, "Inode table"), with its own code:
 *
 * <pre>
 * 0x00 mode u16 | 0x02 nlink u16 | 0x04 uid | 0x08 gid | 0x0C parent | 0x10 size u64
 * 0x18 mtime s64 | 0x20 direct[12] | 0x50 indirect | 0x54..0x7F reserved, zero
 * </pre>
 *
 * Pointer i for i in 0..11 is direct[i]; {@link #INDIRECT} names the indirect pointer.
 */
final class ShadowInode {
    static final int INDIRECT = Layout.NDIRECT;
    private static final int TYPE = 0170000, DIR = 0040000, REG = 0100000;

    final int mode;
    final int nlink;
    final int uid;
    final int gid;
    final int parent;
    final long size;
    final long mtime;
    /** direct[0..11], then the indirect pointer. */
    final int[] ptr;
    final boolean reservedZero;
    final boolean allZero;

    private ShadowInode(byte[] b, int o) {
        mode = LittleEndian.u16(b, o);
        nlink = LittleEndian.u16(b, o + 2);
        uid = LittleEndian.u32(b, o + 4);
        gid = LittleEndian.u32(b, o + 8);
        parent = LittleEndian.u32(b, o + 12);
        size = LittleEndian.u64(b, o + 16);
        mtime = LittleEndian.u64(b, o + 24);
        ptr = new int[Layout.NDIRECT + 1];
        for (int i = 0; i <= Layout.NDIRECT; i++) {
            ptr[i] = LittleEndian.u32(b, o + 32 + 4 * i);
        }
        reservedZero = LittleEndian.zero(b, o + 0x54, o + Layout.INODE_SIZE);
        allZero = LittleEndian.zero(b, o, o + Layout.INODE_SIZE);
    }

    static ShadowInode decode(byte[] b, int off) {
        return new ShadowInode(b, off);
    }

    boolean free() {
        return mode == 0;
    }

    boolean dir() {
        return (mode & TYPE) == DIR;
    }

    boolean regular() {
        return (mode & TYPE) == REG;
    }

    int type() {
        return mode & TYPE;
    }

    /** Blocks below the size: pointers at or past this index must be 0. */
    long blocks() {
        return size < 0 ? Long.MAX_VALUE : (size + Layout.BLOCK_SIZE - 1) / Layout.BLOCK_SIZE;
    }

    /** Whether o has the same bytes as this inode (reserved ones as zero or not). */
    boolean same(ShadowInode o) {
        return mode == o.mode && nlink == o.nlink && uid == o.uid && gid == o.gid && parent == o.parent
            && size == o.size && mtime == o.mtime && reservedZero == o.reservedZero && samePointers(o);
    }

    boolean samePointers(ShadowInode o) {
        return Arrays.equals(ptr, o.ptr);
    }
}

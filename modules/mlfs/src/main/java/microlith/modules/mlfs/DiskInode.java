package microlith.modules.mlfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One 128-byte inode of the inode table. Inode n (from 1) is at byte (n-1)*128 of the
 * table; an inode whose mode is 0 is free.
 *
 * <pre>
 * offset size field
 * 0x00   2    mode        type (S_IFREG 0100000 or S_IFDIR 0040000) | permission bits
 * 0x02   2    nlink       files: directory entries naming it; directories: 2 + subdirectories
 * 0x04   4    uid
 * 0x08   4    gid
 * 0x0C   4    parent      directories: the directory whose entry names it (root: itself); files: 0
 * 0x10   8    size        bytes
 * 0x18   8    mtime       seconds since the epoch (signed)
 * 0x20   4*12 direct[12]  blocks 0..11 of the file; 0 = a hole (reads as zeros)
 * 0x50   4    indirect    a block of 1024 u32 pointers for file blocks 12..1035; 0 = none
 * 0x54   44   reserved    zero
 * </pre>
 */
public final class DiskInode {
    public int mode;
    public int nlink;
    public int uid;
    public int gid;
    public int parent;
    public long size;
    public long mtime;
    public final int[] direct = new int[Layout.NDIRECT];
    public int indirect;

    public static DiskInode decode(byte[] buf, int off) {
        ByteBuffer b = ByteBuffer.wrap(buf, off, Layout.INODE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        DiskInode n = new DiskInode();
        n.mode = Short.toUnsignedInt(b.getShort());
        n.nlink = Short.toUnsignedInt(b.getShort());
        n.uid = b.getInt();
        n.gid = b.getInt();
        n.parent = b.getInt();
        n.size = b.getLong();
        n.mtime = b.getLong();
        for (int i = 0; i < Layout.NDIRECT; i++) {
            n.direct[i] = b.getInt();
        }
        n.indirect = b.getInt();
        return n;
    }

    /** Writes all 128 bytes, reserved ones as zero. */
    public void encode(byte[] buf, int off) {
        ByteBuffer b = ByteBuffer.wrap(buf, off, Layout.INODE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) mode).putShort((short) nlink).putInt(uid).putInt(gid).putInt(parent);
        b.putLong(size).putLong(mtime);
        for (int p : direct) {
            b.putInt(p);
        }
        b.putInt(indirect);
        while (b.hasRemaining()) {
            b.put((byte) 0);
        }
    }

    public boolean inUse() {
        return mode != 0;
    }

    public boolean isDir() {
        return (mode & Layout.S_IFMT) == Layout.S_IFDIR;
    }

    public boolean isRegular() {
        return (mode & Layout.S_IFMT) == Layout.S_IFREG;
    }
}

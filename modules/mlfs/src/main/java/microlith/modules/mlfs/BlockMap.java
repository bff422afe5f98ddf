package microlith.modules.mlfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import microlith.module.api.Errno;

/**
 * Maps a file's block index to a disk block (Linux's bmap): indexes 0..11 through the
 * inode's direct pointers, 12..1035 through its single-indirect block. Changes are made
 * to the in-memory inode, which the caller writes afterwards; new data reaches the disk
 * before any pointer to it, and blocks are freed only after the pointers are gone, so a
 * crash can leak blocks but never leaves a pointer to a free one.
 */
final class BlockMap {
    private final BlockIo io;
    private final DiskSuperblock sb;
    private final BlockBitmap bitmap;

    BlockMap(BlockIo io, DiskSuperblock sb, BlockBitmap bitmap) {
        this.io = io;
        this.sb = sb;
        this.bitmap = bitmap;
    }

    /** The disk block holding file block index, or 0 for a hole. */
    int lookup(DiskInode n, long index) {
        if (index < Layout.NDIRECT) {
            return checked(n.direct[(int) index]);
        }
        if (n.indirect == 0) {
            return 0;
        }
        int slot = (int) (index - Layout.NDIRECT);
        byte[] ind = new byte[Layout.BLOCK_SIZE];
        io.read(checked(n.indirect), ind, slot * 4, slot * 4 + 4);
        return checked(pointer(ind, slot));
    }

    /**
     * Gives file block index (a hole) a new disk block holding content. ENOSPC leaves the
     * inode and the bitmap as they were.
     */
    int allocate(DiskInode n, long index, byte[] content) {
        int block = bitmap.allocate();
        if (index < Layout.NDIRECT) {
            io.writeBlock(block, content);
            n.direct[(int) index] = block;
            return block;
        }
        int slot = (int) (index - Layout.NDIRECT);
        if (n.indirect == 0) {
            int ind;
            try {
                ind = bitmap.allocate();
            } catch (FsError e) {
                bitmap.free(new int[] {block});
                throw e;
            }
            io.writeBlock(block, content);
            byte[] pointers = new byte[Layout.BLOCK_SIZE];
            setPointer(pointers, slot, block);
            io.writeBlock(ind, pointers);
            n.indirect = ind;
            return block;
        }
        io.writeBlock(block, content);
        byte[] ind = new byte[Layout.BLOCK_SIZE];
        int at = checked(n.indirect);
        io.read(at, ind, slot * 4, slot * 4 + 4);
        setPointer(ind, slot, block);
        io.write(at, ind, slot * 4, slot * 4 + 4);
        return block;
    }

    /**
     * Detaches every block from file block index keep on (the indirect block too when
     * nothing past the direct pointers remains) and returns them; the caller writes the
     * inode, then frees them.
     */
    int[] truncate(DiskInode n, long keep) {
        int[] gone = new int[Layout.MAX_FILE_BLOCKS + 1];
        int count = 0;
        for (int i = (int) Math.min(keep, Layout.NDIRECT); i < Layout.NDIRECT; i++) {
            if (n.direct[i] != 0) {
                gone[count++] = checked(n.direct[i]);
                n.direct[i] = 0;
            }
        }
        if (n.indirect != 0) {
            int at = checked(n.indirect);
            byte[] ind = io.readBlock(at);
            boolean changed = false;
            for (int slot = (int) Math.max(0, keep - Layout.NDIRECT); slot < Layout.PTRS_PER_BLOCK; slot++) {
                int p = pointer(ind, slot);
                if (p != 0) {
                    gone[count++] = checked(p);
                    setPointer(ind, slot, 0);
                    changed = true;
                }
            }
            if (keep <= Layout.NDIRECT) {
                gone[count++] = at;
                n.indirect = 0;
            } else if (changed) {
                io.writeBlock(at, ind);
            }
        }
        return Arrays.copyOf(gone, count);
    }

    /** A pointer read from disk, EUCLEAN unless it is 0 or names a data block. */
    private int checked(int p) {
        if (p != 0 && (p < sb.dataStart() || p >= sb.blocks())) {
            throw new FsError(Errno.EUCLEAN, "block pointer " + Integer.toUnsignedString(p) + " is out of range");
        }
        return p;
    }

    static int pointer(byte[] ind, int slot) {
        return ByteBuffer.wrap(ind).order(ByteOrder.LITTLE_ENDIAN).getInt(slot * 4);
    }

    private static void setPointer(byte[] ind, int slot, int block) {
        ByteBuffer.wrap(ind).order(ByteOrder.LITTLE_ENDIAN).putInt(slot * 4, block);
    }
}

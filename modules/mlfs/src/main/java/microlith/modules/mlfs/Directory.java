package microlith.modules.mlfs;

import java.util.ArrayList;
import java.util.List;
import microlith.module.api.DirEntry;
import microlith.module.api.Errno;

/**
 * Directory contents: whole blocks of 64-byte entries (see {@link DiskDirent}), searched
 * linearly. A directory grows a block at a time when no slot is free and never shrinks
 * while it lives; rmdir needs every slot free. Changing an entry writes one sector.
 */
final class Directory {
    /** Where an entry lives: the disk block, the slot in it, and the inode it names. */
    record Slot(int block, int index, int ino) {
    }

    private final BlockIo io;
    private final BlockMap map;
    private final InodeTable inodes;

    Directory(BlockIo io, BlockMap map, InodeTable inodes) {
        this.io = io;
        this.map = map;
        this.inodes = inodes;
    }

    /** The entry called name, or null. */
    Slot find(DiskInode dir, byte[] name) {
        for (long i = 0; i < Layout.blocksFor(dir.size); i++) {
            int at = blockAt(dir, i);
            byte[] block = io.readBlock(at);
            for (int s = 0; s < Layout.DIRENTS_PER_BLOCK; s++) {
                if (DiskDirent.ino(block, s) != 0 && DiskDirent.nameEquals(block, s, name)) {
                    return new Slot(at, s, DiskDirent.ino(block, s));
                }
            }
        }
        return null;
    }

    List<DirEntry> list(DiskInode dir) {
        List<DirEntry> out = new ArrayList<>();
        for (long i = 0; i < Layout.blocksFor(dir.size); i++) {
            byte[] block = io.readBlock(blockAt(dir, i));
            for (int s = 0; s < Layout.DIRENTS_PER_BLOCK; s++) {
                int ino = DiskDirent.ino(block, s);
                if (ino != 0) {
                    out.add(new DirEntry(DiskDirent.name(block, s), Integer.toUnsignedLong(ino)));
                }
            }
        }
        return out;
    }

    boolean isEmpty(DiskInode dir) {
        for (long i = 0; i < Layout.blocksFor(dir.size); i++) {
            byte[] block = io.readBlock(blockAt(dir, i));
            for (int s = 0; s < Layout.DIRENTS_PER_BLOCK; s++) {
                if (DiskDirent.ino(block, s) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Adds name -> ino in the first free slot. When there is none the directory grows by
     * one block, which already holds the entry, and its inode is written (dir is updated).
     */
    void add(int dirIno, DiskInode dir, byte[] name, int ino) {
        long blocks = Layout.blocksFor(dir.size);
        for (long i = 0; i < blocks; i++) {
            int at = blockAt(dir, i);
            byte[] block = io.readBlock(at);
            for (int s = 0; s < Layout.DIRENTS_PER_BLOCK; s++) {
                if (DiskDirent.ino(block, s) == 0) {
                    DiskDirent.put(block, s, ino, name);
                    writeSlot(at, block, s);
                    return;
                }
            }
        }
        if (blocks >= Layout.MAX_FILE_BLOCKS) {
            throw new FsError(Errno.ENOSPC, "directory is full");
        }
        byte[] block = new byte[Layout.BLOCK_SIZE];
        DiskDirent.put(block, 0, ino, name);
        map.allocate(dir, blocks, block);
        dir.size = (blocks + 1) * Layout.BLOCK_SIZE;
        inodes.write(dirIno, dir);
    }

    /** Points an existing entry at another inode (0 frees the slot). */
    void setIno(Slot slot, int ino) {
        byte[] block = new byte[Layout.BLOCK_SIZE];
        int off = slot.index() * Layout.DIRENT_SIZE;
        io.read(slot.block(), block, off, off + Layout.DIRENT_SIZE);
        if (ino == 0) {
            DiskDirent.clear(block, slot.index());
        } else {
            DiskDirent.setIno(block, slot.index(), ino);
        }
        writeSlot(slot.block(), block, slot.index());
    }

    private void writeSlot(int at, byte[] block, int s) {
        io.write(at, block, s * Layout.DIRENT_SIZE, (s + 1) * Layout.DIRENT_SIZE);
    }

    /** Directories have no holes: every block below the size is allocated. */
    private int blockAt(DiskInode dir, long index) {
        int at = map.lookup(dir, index);
        if (at == 0) {
            throw new FsError(Errno.EUCLEAN, "directory has a hole at block " + index);
        }
        return at;
    }
}

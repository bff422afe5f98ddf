package microlith.modules.mlfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.FileSystemType.MountException;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write guard (docs/mlfs.md, "The write guard"): for each rule, a write that a faulty
 * mlfs could make (an allocator handing out a block in use, an encoder writing wrong bytes,
 * an entry in the wrong slot, data at the wrong offset) is refused with EIO and a log line,
 * and the disk is unchanged; the operations of a correct mlfs are never refused.
 */
class GuardTest {
    private static final int FILE = InodeAttr.S_IFREG | 0644, DIR = InodeAttr.S_IFDIR | 0755;

    private final List<String> log = new ArrayList<>();
    private final MlfsType type = new MlfsType(log::add);
    private MemoryDisk disk;
    private SuperBlock fs;
    private long root;
    private long a;
    private long b;
    private WriteGuard guard;
    private BlockIo io;

    @BeforeEach
    void format() throws MountException {
        disk = new MemoryDisk(8 << 20);
        Mkfs.format(disk, 2048, 512, 1000);
        fs = type.mount(disk, "", false);
        root = fs.rootIno();
        a = put(root, "a", pattern(6000, 1));
        b = put(root, "b", pattern(100, 2));
        assertThat(fs.sync()).isZero();
        guard = WriteGuard.mount(disk, log::add);
        io = new BlockIo(disk);
        io.guard(guard);
    }

    private long put(long dir, String name, byte[] content) {
        long ino = fs.create(dir, name, FILE, 1000, 1000, 5);
        assertThat(ino).isPositive();
        assertThat(fs.write(ino, 0, content, 0, content.length, 6)).isEqualTo(content.length);
        return ino;
    }

    private static byte[] pattern(int size, int seed) {
        byte[] p = new byte[size];
        for (int i = 0; i < size; i++) {
            p[i] = (byte) (i * 7 + seed * 13 + (i >> 9));
        }
        return p;
    }

    private DiskInode inode(long ino) {
        return DiskInode.decode(disk.bytes, 2 * 4096 + (int) (ino - 1) * 128);
    }

    /** The write is refused: EIO, one log line with the rule, the disk as it was. */
    private void refused(Runnable write, String rule) {
        byte[] before = disk.snapshot();
        log.clear();
        assertThatThrownBy(write::run).isInstanceOfSatisfying(FsError.class,
            e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
        assertThat(log).hasSize(1);
        assertThat(log.get(0)).startsWith("mlfs: refused write to block ").contains(rule);
        assertThat(disk.bytes).isEqualTo(before);
    }

    @Test
    void aBlockInUseHandedOutAgainIsNotWritten() {
        int ofA = inode(a).direct[0];
        byte[] data = new byte[4096];
        guard.write(b, 4096, data, 0, 4096);
        refused(() -> io.writeBlock(ofA, data), "block " + ofA + ": block " + ofA + " is owned by inode " + a + ", not " + b);
        // Nor may the bitmap hand it out: its bit is set, and clearing it is refused too.
        guard.truncate(b, 0);
        byte[] bitmap = io.readBlock(1);
        bitmap[ofA / 8] &= (byte) ~(1 << (ofA % 8));
        refused(() -> io.write(1, bitmap, ofA / 8, ofA / 8 + 1), "is owned by inode " + a + "; it cannot be freed");
    }

    @Test
    void anInodeEncodedWronglyIsNotWritten() {
        guard.write(b, 4096, new byte[4096], 0, 4096);
        byte[] table = io.readBlock(2);
        DiskInode n = inode(b);
        n.direct[1] = inode(a).direct[1];
        n.size = 8192;
        n.encode(table, (int) (b - 1) * 128);
        refused(() -> io.write(2, table, (int) (b - 1) * 128, (int) b * 128), "which is owned by inode " + a);

        DiskInode big = inode(b);
        big.size = 1L << 40;
        big.encode(table, (int) (b - 1) * 128);
        refused(() -> io.write(2, table, (int) (b - 1) * 128, (int) b * 128), "size 1099511627776 is out of range");

        DiskInode chown = inode(b);
        chown.uid = 0;
        chown.encode(table, (int) (b - 1) * 128);
        refused(() -> io.write(2, table, (int) (b - 1) * 128, (int) b * 128), "type and owner never change");

        DiskInode other = inode(a);
        other.mtime = 99;
        other.encode(table, (int) (a - 1) * 128);
        refused(() -> io.write(2, table, (int) (a - 1) * 128, (int) a * 128), "inode " + a + " is not one this write changes");
    }

    @Test
    void aDirectoryEntryWrittenWronglyIsNotWritten() {
        int dirBlock = inode(root).direct[0];
        guard.create(root, "n", FILE, 0, 0);
        byte[] block = io.readBlock(dirBlock);
        // Over the entry of "a", in slot 0.
        DiskDirent.put(block, 0, (int) b, "n".getBytes(StandardCharsets.UTF_8));
        refused(() -> io.write(dirBlock, block, 0, 64), "slot 0 of directory 1 would change from a to n");
        // In a free slot, but a name the create does not make.
        byte[] fresh = io.readBlock(dirBlock);
        DiskDirent.put(fresh, 5, (int) b, "m".getBytes(StandardCharsets.UTF_8));
        refused(() -> io.write(dirBlock, fresh, 5 * 64, 6 * 64), "entry m of directory 1 would name inode " + b);
        // A name of length 0.
        byte[] bad = io.readBlock(dirBlock);
        DiskDirent.setIno(bad, 5, (int) b);
        refused(() -> io.write(dirBlock, bad, 5 * 64, 6 * 64), "slot 5 of directory 1 would hold a malformed entry");
        // Removing an entry the operation does not name.
        guard.remove(root, "b");
        byte[] wrong = io.readBlock(dirBlock);
        DiskDirent.clear(wrong, 0);
        refused(() -> io.write(dirBlock, wrong, 0, 64), "entry a of directory 1 may not be removed by this remove");
    }

    @Test
    void dataAtTheWrongOffsetOrForAnotherFileIsNotWritten() {
        byte[] mine = pattern(4096, 9);
        int block0 = inode(a).direct[0];
        int block1 = inode(a).direct[1];
        guard.write(a, 4096, mine, 0, 4096);
        byte[] shifted = new byte[4096];
        System.arraycopy(mine, 0, shifted, 1, 4095);
        refused(() -> io.writeBlock(block1, shifted), "data for inode " + a + " at offset 4096 is not what the program wrote");
        refused(() -> io.writeBlock(block0, mine), "that this operation does not write would change");
        // The right block and offset, but the bytes around the program's are not what was there.
        guard.write(a, 100, mine, 0, 10);
        byte[] around = io.readBlock(block0);
        System.arraycopy(mine, 0, around, 100, 10);
        around[0] ^= 1;
        refused(() -> io.write(block0, around, 0, 512), "that this operation does not write would change");
        // Put right, it goes through.
        around[0] ^= 1;
        io.write(block0, around, 0, 512);
        assertThat(Arrays.copyOfRange(disk.bytes, block0 * 4096 + 100, block0 * 4096 + 110))
            .isEqualTo(Arrays.copyOf(mine, 10));
        // And a write of other bytes to the same place is refused.
        guard.chmod(a, 0600);
        refused(() -> io.write(block0, around, 0, 512), "a chmod writes no data of inode " + a);
    }

    @Test
    void aNewBlockMustBeWrittenInFullBeforeAPointerNamesIt() {
        int free = 18 + 10;
        guard.write(b, 4096, pattern(4096, 3), 0, 4096);
        byte[] bitmap = io.readBlock(1);
        bitmap[free / 8] |= (byte) (1 << (free % 8));
        io.write(1, bitmap, free / 8, free / 8 + 1);
        byte[] half = new byte[4096];
        System.arraycopy(pattern(4096, 3), 0, half, 0, 2048);
        io.write(free, half, 0, 2048);
        byte[] table = io.readBlock(2);
        DiskInode n = inode(b);
        n.direct[1] = free;
        n.size = 8192;
        n.encode(table, (int) (b - 1) * 128);
        refused(() -> io.write(2, table, (int) (b - 1) * 128, (int) b * 128), "new block " + free + " of inode " + b
            + " was not written in full");
    }

    @Test
    void checkingAWriteReadsNothingButTheBytesAroundAPartialSector() {
        int[] reads = {0};
        BlockDevice counting = new BlockDevice() {
            @Override
            public long sectors() {
                return disk.sectors();
            }

            @Override
            public int read(long lba, int count, byte[] buf, int off) {
                reads[0] += count;
                return disk.read(lba, count, buf, off);
            }

            @Override
            public int write(long lba, int count, byte[] buf, int off) {
                return disk.write(lba, count, buf, off);
            }
        };
        guard = WriteGuard.mount(counting, log::add);
        io.guard(guard);
        int mounted = reads[0];
        // A new block for file b, as mlfs writes it: the bitmap bit, the block, then the inode.
        byte[] data = pattern(4096, 8);
        guard.write(b, 4096, data, 0, 4096);
        int free = 18;
        while ((disk.bytes[4096 + free / 8] >> (free % 8) & 1) != 0) {
            free++;
        }
        byte[] bitmap = io.readBlock(1);
        bitmap[free / 8] |= (byte) (1 << (free % 8));
        io.write(1, bitmap, free / 8, free / 8 + 1);
        io.writeBlock(free, data);
        byte[] table = io.readBlock(2);
        DiskInode n = inode(b);
        n.direct[1] = free;
        n.size = 8192;
        n.encode(table, (int) (b - 1) * 128);
        io.write(2, table, (int) (b - 1) * 128, (int) b * 128);
        assertThat(guard.finish(4096)).isTrue();
        // Whole sectors over file a's first block.
        int block0 = inode(a).direct[0];
        byte[] over = io.readBlock(block0);
        System.arraycopy(data, 0, over, 0, 1024);
        guard.write(a, 0, data, 0, 1024);
        io.write(block0, over, 0, 1024);
        assertThat(guard.finish(1024)).isTrue();
        assertThat(reads[0]).as("sectors the guard read").isEqualTo(mounted);
        // Ten bytes inside a sector: the guard reads that sector to check the other 502.
        System.arraycopy(data, 100, over, 10, 10);
        guard.write(a, 10, data, 100, 10);
        io.write(block0, over, 0, 20);
        assertThat(guard.finish(10)).isTrue();
        assertThat(reads[0]).isEqualTo(mounted + 1);
        assertThat(log).isEmpty();
        assertThat(Arrays.copyOfRange(disk.bytes, free * 4096, free * 4096 + 4096)).isEqualTo(data);
    }

    @Test
    void theSuperblockChangesOnlyAtMountAndUnmount() {
        guard.write(a, 0, new byte[1], 0, 1);
        byte[] sb = DiskSuperblock.decode(disk.bytes).withState(Layout.STATE_CLEAN).encode();
        refused(() -> io.write(0, sb, 0, DiskSuperblock.SIZE), "the superblock changes only at mount and unmount");
        guard.finish(0);
        refused(() -> io.write(0, sb, 0, DiskSuperblock.SIZE), "no operation is in progress");
    }

    @Test
    void answersAreHeldAgainstTheShadow() {
        assertThat(guard.lookupAgrees(root, "a", a)).isTrue();
        assertThat(guard.lookupAgrees(root, "zz", -Errno.ENOENT)).isTrue();
        assertThat(guard.lookupAgrees(root, "a", b)).isFalse();
        assertThat(guard.lookupAgrees(root, "a", -Errno.ENOENT)).isFalse();
        assertThat(log).contains("mlfs: refused lookup of a in directory 1: answer " + b + ", entry names inode " + a);
        guard.create(root, "n", FILE, 0, 0);
        assertThat(guard.finish(7)).as("a create that entered nothing cannot answer an inode").isFalse();
        guard.write(b, 0, new byte[50], 0, 50);
        assertThat(guard.finish(50)).as("a write that wrote nothing cannot answer 50 bytes").isFalse();
        guard.write(b, 0, new byte[50], 0, 50);
        assertThat(guard.finish(-Errno.ENOSPC)).isTrue();
    }

    @Test
    void aCorrectMlfsIsNeverRefused() throws MountException {
        long d = fs.create(root, "d", DIR, 0, 0, 1);
        long big = put(d, "big", pattern(300_000, 4));
        for (int i = 0; i < 70; i++) {
            assertThat(fs.create(d, "f" + i, FILE, 0, 0, 1)).isPositive();
        }
        assertThat(fs.write(big, 4097, pattern(5000, 5), 0, 5000, 2)).isEqualTo(5000);
        assertThat(fs.write(a, 10_000, pattern(3, 6), 0, 3, 2)).isEqualTo(3);
        assertThat(fs.truncate(big, 60_001, 3)).isZero();
        assertThat(fs.truncate(a, 10, 3)).isZero();
        assertThat(fs.truncate(a, 20_000, 3)).isZero();
        assertThat(fs.chmod(a, 0600)).isZero();
        long e = fs.create(root, "e", DIR, 0, 0, 1);
        assertThat(fs.rename(root, "a", d, "f3")).isZero();
        assertThat(fs.rename(d, "f4", e, "g")).isZero();
        assertThat(fs.rename(root, "e", d, "e2")).isZero();
        assertThat(fs.rename(d, "e2", root, "d2")).isZero();
        assertThat(fs.remove(d, "big", false)).isZero();
        assertThat(fs.lookup(d, "f3")).isEqualTo(a);
        assertThat(fs.remove(root, "d2", true)).isEqualTo(-Errno.ENOTEMPTY);
        assertThat(fs.remove(e, "g", false)).isZero();
        assertThat(fs.remove(root, "d2", true)).isZero();
        assertThat(log).isEmpty();
        fs.unmount();
        assertThat(log).isEmpty();
        // What the guard allowed is a disk its own scan accepts.
        fs = type.mount(disk, "", false);
        assertThat(fs.lookup(d, "f3")).isEqualTo(a);
        assertThat(log).isEmpty();
    }

    @Test
    void aDamagedDiskIsNotMountedReadWrite() throws MountException {
        fs.unmount();
        DiskInode n = inode(b);
        n.direct[1] = inode(a).direct[1];
        n.size = 8192;
        n.encode(disk.bytes, 2 * 4096 + (int) (b - 1) * 128);
        assertThatThrownBy(() -> type.mount(disk, "", false)).isInstanceOfSatisfying(MountException.class,
            e -> assertThat(e.errno()).isEqualTo(Errno.EUCLEAN)).hasMessageContaining("run fsck");
        SuperBlock ro = type.mount(disk, "ro", true);
        assertThat(ro.lookup(root, "a")).isEqualTo(a);
    }
}

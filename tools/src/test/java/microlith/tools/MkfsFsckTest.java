package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;
import microlith.modules.mlfs.MlfsType;
import microlith.tools.fs.ImageDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** microlith mkfs and fsck on image files, and fsck finding what was broken on purpose. */
class MkfsFsckTest {
    private static final int FILE = InodeAttr.S_IFREG | 0644, DIR = InodeAttr.S_IFDIR | 0755;
    // An 8M image: block 0 superblock, 1 bitmap, 2..17 inode table (512 inodes), data from 18.
    private static final int BITMAP = 4096, TABLE = 2 * 4096, DATA = 18;

    @TempDir
    Path dir;

    private Path mkfs(String size) {
        Path img = dir.resolve("disk.img");
        Cli r = Cli.run("mkfs", img.toString(), "--size", size);
        assertThat(r.status).as(r.toString()).isZero();
        return img;
    }

    /** Mounts the image, runs body, unmounts (if clean) and closes it. */
    private void withMount(Path img, boolean unmount, java.util.function.Consumer<SuperBlock> body) throws Exception {
        try (ImageDevice dev = ImageDevice.open(img, true)) {
            SuperBlock fs = new MlfsType(w -> { }).mount(dev, "", false);
            body.accept(fs);
            if (unmount) {
                fs.unmount();
            }
        }
    }

    private static void populate(SuperBlock fs) {
        long root = fs.rootIno();
        long etc = fs.create(root, "etc", DIR, 0, 0, 1);
        long motd = fs.create(etc, "motd", FILE, 0, 0, 1);
        byte[] text = "Welcome\n".getBytes(StandardCharsets.UTF_8);
        assertThat(fs.write(motd, 0, text, 0, text.length, 2)).isEqualTo(text.length);
        long big = fs.create(root, "big", FILE, 1000, 1000, 1);
        byte[] data = new byte[1 << 20];
        assertThat(fs.write(big, 0, data, 0, data.length, 2)).isEqualTo(data.length);
        fs.create(fs.create(etc, "sub", DIR, 0, 0, 1), "empty", FILE, 0, 0, 3);
    }

    private static void poke(Path img, long offset, int... bytes) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(offset);
            for (int b : bytes) {
                f.write(b);
            }
        }
    }

    private static int peek(Path img, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "r")) {
            f.seek(offset);
            return f.read();
        }
    }

    @Test
    void mkfsThenFsckIsClean() throws Exception {
        Path img = mkfs("8M");
        assertThat(Files.size(img)).isEqualTo(8 << 20);
        Cli r = Cli.run("fsck", img.toString());
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).isEqualTo(img + ": clean, 1/512 files, 18/2048 blocks\n");
        assertThat(r.err).isEmpty();
    }

    @Test
    void mkfsIsReproducibleAndOverwrites() throws Exception {
        Path img = mkfs("1M");
        byte[] first = Files.readAllBytes(img);
        Files.write(img, new byte[3 << 20]);
        Files.write(img, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        mkfs("1M");
        assertThat(Files.readAllBytes(img)).isEqualTo(first);
        assertThat(Cli.run("fsck", img.toString()).status).isZero();
    }

    @Test
    void aPopulatedFilesystemChecksClean() throws Exception {
        Path img = mkfs("8M");
        withMount(img, true, MkfsFsckTest::populate);
        Cli r = Cli.run("fsck", "-n", img.toString());
        assertThat(r.status).as(r.toString()).isZero();
        // 6 inodes; 18 metadata + root, etc, sub directory blocks + motd + 256 data and 1 indirect of big.
        assertThat(r.out).isEqualTo(img + ": clean, 6/512 files, " + (18 + 3 + 1 + 257) + "/2048 blocks\n");
    }

    @Test
    void notCleanlyUnmountedIsCheckedAndMarkedClean() throws Exception {
        Path img = mkfs("8M");
        withMount(img, false, MkfsFsckTest::populate);
        byte[] before = Files.readAllBytes(img);
        Cli r = Cli.run("fsck", "-n", img.toString());
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).startsWith(img + " was not cleanly unmounted, check forced.\n")
            .endsWith(img + ": 6/512 files, 279/2048 blocks\n");
        assertThat(Files.readAllBytes(img)).isEqualTo(before);

        assertThat(Cli.run("fsck", img.toString()).status).isZero();
        r = Cli.run("fsck", img.toString());
        assertThat(r.out).isEqualTo(img + ": clean, 6/512 files, 279/2048 blocks\n");
    }

    private Cli fsckBroken(Path img) {
        Cli r = Cli.run("fsck", "-n", img.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(4);
        assertThat(r.out).contains(img + ": ********** WARNING: Filesystem still has errors **********");
        return r;
    }

    @Test
    void fsckFindsABlockMissingFromTheBitmap() throws Exception {
        Path img = mkfs("8M");
        withMount(img, true, MkfsFsckTest::populate);
        // The root's directory block is the first data block: clear its bit.
        poke(img, BITMAP + DATA / 8, peek(img, BITMAP + DATA / 8) & ~(1 << (DATA % 8)));
        assertThat(fsckBroken(img).out).contains("Block bitmap differences: +18.");
    }

    @Test
    void fsckFindsWrongLinkCountsAndDanglingEntries() throws Exception {
        Path img = mkfs("8M");
        withMount(img, true, MkfsFsckTest::populate);
        long etcInode = TABLE + 128;        // inode 2: /etc
        poke(img, etcInode + 2, 7);         // nlink 7 instead of 3
        long bigInode = TABLE + 3 * 128;    // inode 4: /big
        poke(img, bigInode, 0, 0);          // mode 0: free, though / still names it
        Cli r = fsckBroken(img);
        assertThat(r.out).contains("Inode 2 ref count is 7, should be 3.")
            .contains("Entry 'big' in / (1) has deleted/unused inode 4.")
            .contains("Block bitmap differences: -(");
    }

    @Test
    void fsckFindsMultiplyClaimedBlocksAndBadSizes() throws Exception {
        Path img = mkfs("8M");
        withMount(img, true, MkfsFsckTest::populate);
        long motdInode = TABLE + 2 * 128;   // inode 3: /etc/motd, one block
        long bigInode = TABLE + 3 * 128;
        // motd's second direct pointer := big's first block; its size stays 8 bytes.
        for (int i = 0; i < 4; i++) {
            poke(img, motdInode + 0x24 + i, peek(img, bigInode + 0x20 + i));
        }
        Cli r = fsckBroken(img);
        assertThat(r.out).contains("Multiply-claimed block").contains("Inode 3, i_size is 8, should be 8192.");
    }

    @Test
    void fsckReportsABrokenSuperblock() throws Exception {
        Path img = mkfs("8M");
        poke(img, 0x10, 0x01, 0x03);        // inodes_count, checksum not updated
        Cli r = fsckBroken(img);
        assertThat(r.out).contains("Superblock checksum is 0x").contains("Superblock inode_table_blocks is 16, should be 25.");
    }

    @Test
    void badInputGetsOneLine() throws Exception {
        assertOneLine(Cli.run("fsck", dir.resolve("missing.img").toString()), 8, "No such file or directory");
        Path junk = dir.resolve("junk.img");
        Files.write(junk, new byte[64 << 10]);
        assertOneLine(Cli.run("fsck", junk.toString()), 8, "bad magic number");
        Files.write(junk, new byte[100]);
        assertOneLine(Cli.run("fsck", junk.toString()), 8, "too small");
        assertOneLine(Cli.run("mkfs", dir.resolve("a.img").toString(), "--size", "eight"), 1, "invalid size 'eight'");
        assertOneLine(Cli.run("mkfs", dir.resolve("a.img").toString(), "--size", "1000"), 1, "multiple of 4K");
        assertOneLine(Cli.run("mkfs", dir.resolve("a.img").toString(), "--size", "4G"), 1, "from 64K to 2G");
        assertOneLine(Cli.run("mkfs", dir.resolve("no/such/dir.img").toString(), "--size", "1M"), 1,
            "No such file or directory");
        assertThat(Files.exists(dir.resolve("a.img"))).isFalse();
    }

    private static void assertOneLine(Cli r, int status, String text) {
        assertThat(r.status).as(r.toString()).isEqualTo(status);
        assertThat(r.err.strip()).as(r.toString()).contains(text).doesNotContain("\n").doesNotContain("Exception");
        assertThat(r.out).isEmpty();
    }
}

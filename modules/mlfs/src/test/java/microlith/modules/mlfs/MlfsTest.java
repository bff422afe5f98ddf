package microlith.modules.mlfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import microlith.module.api.DirEntry;
import microlith.module.api.Errno;
import microlith.module.api.FileSystemType.MountException;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mounted filesystem on a RAM disk: Linux errno semantics and durability. */
class MlfsTest {
    private static final int FILE = InodeAttr.S_IFREG | 0644, DIR = InodeAttr.S_IFDIR | 0755;

    private final List<String> warnings = new ArrayList<>();
    private final MlfsType type = new MlfsType(warnings::add);
    private MemoryDisk disk;
    private SuperBlock fs;
    private long root;

    @BeforeEach
    void format() throws MountException {
        disk = new MemoryDisk(8 << 20);
        Mkfs.format(disk, 2048, 512, 1000);
        fs = type.mount(disk, "", false);
        root = fs.rootIno();
    }

    private SuperBlock remount() throws MountException {
        fs.unmount();
        fs = type.mount(disk, null, false);
        return fs;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String readAll(long ino) {
        byte[] buf = new byte[(int) fs.getattr(ino).size()];
        assertThat(fs.read(ino, 0, buf, 0, buf.length)).isEqualTo(buf.length);
        return new String(buf, StandardCharsets.UTF_8);
    }

    private long put(long dir, String name, String content) {
        long ino = fs.create(dir, name, FILE, 1000, 1000, 5);
        assertThat(ino).isPositive();
        assertThat(fs.write(ino, 0, bytes(content), 0, content.length(), 6)).isEqualTo(content.length());
        return ino;
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed + (i >> 12));
        }
        return b;
    }

    @Test
    void freshRootIsAnEmptyRootOwnedDirectory() {
        InodeAttr a = fs.getattr(root);
        assertThat(a.isDir()).isTrue();
        assertThat(a.mode()).isEqualTo(InodeAttr.S_IFDIR | 0755);
        assertThat(a.nlink()).isEqualTo(2);
        assertThat(a.uid()).isZero();
        assertThat(a.gid()).isZero();
        assertThat(a.mtime()).isEqualTo(1000);
        assertThat(fs.readdir(root)).isEmpty();
        long[] st = fs.statfs();
        assertThat(st[0]).isEqualTo(4096);
        assertThat(st[1]).isEqualTo(2048);
        assertThat(st[3]).isEqualTo(512);
        assertThat(st[4]).isEqualTo(511);
        assertThat(st[2]).isEqualTo(2048 - 1 - 1 - 16);
    }

    @Test
    void createWriteReadOverwrite() {
        long ino = put(root, "hello.txt", "Hello, world!\n");
        assertThat(fs.lookup(root, "hello.txt")).isEqualTo(ino);
        InodeAttr a = fs.getattr(ino);
        assertThat(a.mode()).isEqualTo(FILE);
        assertThat(a.nlink()).isEqualTo(1);
        assertThat(a.uid()).isEqualTo(1000);
        assertThat(a.size()).isEqualTo(14);
        assertThat(a.mtime()).isEqualTo(6);
        assertThat(readAll(ino)).isEqualTo("Hello, world!\n");
        assertThat(fs.write(ino, 7, bytes("mlfs!"), 0, 5, 7)).isEqualTo(5);
        assertThat(readAll(ino)).isEqualTo("Hello, mlfs!!\n");
        assertThat(fs.getattr(ino).mtime()).isEqualTo(7);

        byte[] buf = new byte[100];
        assertThat(fs.read(ino, 14, buf, 0, 100)).isZero();
        assertThat(fs.read(ino, 500, buf, 0, 100)).isZero();
        assertThat(fs.read(ino, 10, buf, 3, 100)).isEqualTo(4);
        assertThat(new String(buf, 3, 4, StandardCharsets.UTF_8)).isEqualTo("s!!\n");
    }

    @Test
    void writesAcrossBlockBoundariesAndHoles() {
        long ino = fs.create(root, "sparse", FILE, 0, 0, 1);
        byte[] data = pattern(10000, 3);
        assertThat(fs.write(ino, 4000, data, 0, data.length, 2)).isEqualTo(10000);
        assertThat(fs.getattr(ino).size()).isEqualTo(14000);
        byte[] got = new byte[14000];
        assertThat(fs.read(ino, 0, got, 0, got.length)).isEqualTo(14000);
        for (int i = 0; i < 4000; i++) {
            assertThat(got[i]).isZero();
        }
        for (int i = 0; i < data.length; i++) {
            assertThat(got[4000 + i]).isEqualTo(data[i]);
        }
        // A hole far past the end costs no blocks.
        long free = fs.statfs()[2];
        assertThat(fs.write(ino, 40 * 4096 + 10, data, 0, 1, 3)).isEqualTo(1);
        assertThat(fs.statfs()[2]).isEqualTo(free - 2); // the data block and the indirect block
        byte[] hole = new byte[4096];
        assertThat(fs.read(ino, 20 * 4096, hole, 0, 4096)).isEqualTo(4096);
        assertThat(hole).containsOnly(0);
    }

    @Test
    void truncateShrinksGrowsAndZeroesTheTail() {
        long ino = put(root, "t", "abcdefghij");
        long free = fs.statfs()[2];
        assertThat(fs.truncate(ino, 4, 9)).isZero();
        assertThat(readAll(ino)).isEqualTo("abcd");
        assertThat(fs.getattr(ino).mtime()).isEqualTo(9);
        assertThat(fs.truncate(ino, 8, 9)).isZero();
        assertThat(readAll(ino)).isEqualTo("abcd\0\0\0\0");
        assertThat(fs.truncate(ino, 0, 9)).isZero();
        assertThat(fs.getattr(ino).size()).isZero();
        assertThat(fs.statfs()[2]).isEqualTo(free + 1);
        assertThat(fs.truncate(ino, -1, 9)).isEqualTo(-Errno.EINVAL);
        assertThat(fs.truncate(ino, Layout.MAX_FILE_SIZE + 1, 9)).isEqualTo(-Errno.EFBIG);
        assertThat(fs.truncate(root, 0, 9)).isEqualTo(-Errno.EISDIR);
        assertThat(fs.truncate(999, 0, 9)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void largeFileThroughTheIndirectBlock() throws MountException {
        long ino = fs.create(root, "big", FILE, 0, 0, 1);
        byte[] data = pattern(3 << 20, 7);
        for (int off = 0; off < data.length; off += 100_000) {
            int n = Math.min(100_000, data.length - off);
            assertThat(fs.write(ino, off, data, off, n, 2)).isEqualTo(n);
        }
        long used = 2048 - 18 - fs.statfs()[2];
        assertThat(used).isEqualTo(768 + 1 + 1); // 3 MiB of data, the indirect block, the root's entries
        remount();
        byte[] got = new byte[data.length];
        assertThat(fs.read(ino, 0, got, 0, got.length)).isEqualTo(got.length);
        assertThat(got).isEqualTo(data);

        // The largest file: 12 direct + 1024 indirect blocks.
        assertThat(fs.truncate(ino, 0, 3)).isZero();
        assertThat(fs.statfs()[2]).isEqualTo(2048 - 18 - 1);
        assertThat(fs.write(ino, Layout.MAX_FILE_SIZE - 2, data, 0, 10, 4)).isEqualTo(2);
        assertThat(fs.getattr(ino).size()).isEqualTo(Layout.MAX_FILE_SIZE);
        assertThat(fs.write(ino, Layout.MAX_FILE_SIZE, data, 0, 10, 4)).isEqualTo(-Errno.EFBIG);
        assertThat(fs.statfs()[2]).isEqualTo(2048 - 18 - 1 - 2);
        assertThat(fs.truncate(ino, 12 * 4096 + 1, 5)).isZero(); // the indirect block stays
        assertThat(fs.statfs()[2]).isEqualTo(2048 - 18 - 1 - 1);
        assertThat(fs.truncate(ino, 5, 5)).isZero(); // and goes (block 0 is a hole)
        assertThat(fs.statfs()[2]).isEqualTo(2048 - 18 - 1);
    }

    @Test
    void mkdirRmdirAndLinkCounts() {
        long a = fs.create(root, "a", DIR, 0, 0, 10);
        assertThat(fs.getattr(a).isDir()).isTrue();
        assertThat(fs.getattr(a).nlink()).isEqualTo(2);
        assertThat(fs.getattr(root).nlink()).isEqualTo(3);
        assertThat(fs.getattr(root).mtime()).isEqualTo(10);
        long b = fs.create(a, "b", DIR, 0, 0, 11);
        put(b, "f", "x");
        assertThat(fs.getattr(a).nlink()).isEqualTo(3);
        assertThat(fs.readdir(a)).containsExactly(new DirEntry("b", b));

        assertThat(fs.remove(root, "a", true)).isEqualTo(-Errno.ENOTEMPTY);
        assertThat(fs.remove(a, "b", true)).isEqualTo(-Errno.ENOTEMPTY);
        assertThat(fs.remove(b, "f", true)).isEqualTo(-Errno.ENOTDIR);
        assertThat(fs.remove(a, "b", false)).isEqualTo(-Errno.EISDIR);
        assertThat(fs.remove(b, "f", false)).isZero();
        assertThat(fs.remove(b, "f", false)).isEqualTo(-Errno.ENOENT);
        assertThat(fs.remove(a, "b", true)).isZero();
        assertThat(fs.getattr(b)).isNull();
        assertThat(fs.getattr(a).nlink()).isEqualTo(2);
        assertThat(fs.remove(root, "a", true)).isZero();
        assertThat(fs.getattr(root).nlink()).isEqualTo(2);
        assertThat(fs.readdir(root)).isEmpty();
        assertThat(fs.statfs()[4]).isEqualTo(511);
    }

    @Test
    void errnosOfNames() {
        put(root, "f", "data");
        long f = fs.lookup(root, "f");
        assertThat(fs.create(root, "f", FILE, 0, 0, 1)).isEqualTo(-Errno.EEXIST);
        assertThat(fs.create(root, "f", DIR, 0, 0, 1)).isEqualTo(-Errno.EEXIST);
        assertThat(fs.lookup(root, "nope")).isEqualTo(-Errno.ENOENT);
        assertThat(fs.lookup(f, "x")).isEqualTo(-Errno.ENOTDIR);
        assertThat(fs.create(f, "x", FILE, 0, 0, 1)).isEqualTo(-Errno.ENOTDIR);
        assertThat(fs.lookup(12345, "x")).isEqualTo(-Errno.ENOENT);
        String longest = "n".repeat(59);
        assertThat(fs.create(root, longest, FILE, 0, 0, 1)).isPositive();
        assertThat(fs.lookup(root, longest)).isPositive();
        assertThat(fs.create(root, longest + "n", FILE, 0, 0, 1)).isEqualTo(-Errno.ENAMETOOLONG);
        assertThat(fs.lookup(root, longest + "n")).isEqualTo(-Errno.ENAMETOOLONG);
        assertThat(fs.create(root, "é".repeat(30), FILE, 0, 0, 1)).isEqualTo(-Errno.ENAMETOOLONG);
        assertThat(fs.create(root, "a/b", FILE, 0, 0, 1)).isEqualTo(-Errno.EINVAL);
        assertThat(fs.create(root, "", FILE, 0, 0, 1)).isEqualTo(-Errno.EINVAL);
        assertThat(fs.read(root, 0, new byte[1], 0, 1)).isEqualTo(-Errno.EISDIR);
        assertThat(fs.write(root, 0, new byte[1], 0, 1, 1)).isEqualTo(-Errno.EISDIR);
        assertThat(fs.read(f, -1, new byte[1], 0, 1)).isEqualTo(-Errno.EINVAL);
        assertThat(fs.readdir(f)).isEmpty();
        assertThat(fs.getattr(0)).isNull();
        assertThat(fs.getattr(513)).isNull();
        assertThat(fs.create(root, "fifo", 0010644, 0, 0, 1)).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void chmodKeepsTheType() {
        long f = put(root, "f", "x");
        assertThat(fs.chmod(f, 04755)).isZero();
        assertThat(fs.getattr(f).mode()).isEqualTo(InodeAttr.S_IFREG | 04755);
        assertThat(fs.chmod(root, 0700)).isZero();
        assertThat(fs.getattr(root).mode()).isEqualTo(InodeAttr.S_IFDIR | 0700);
    }

    @Test
    void renameFollowsLinux() {
        long a = fs.create(root, "a", DIR, 0, 0, 1);
        long b = fs.create(root, "b", DIR, 0, 0, 1);
        long f = put(root, "f", "first");
        long g = put(a, "g", "second");
        long freeBlocks = fs.statfs()[2];

        assertThat(fs.rename(root, "f", root, "f2")).isZero();
        assertThat(fs.lookup(root, "f")).isEqualTo(-Errno.ENOENT);
        assertThat(fs.lookup(root, "f2")).isEqualTo(f);

        // Replacing a file frees the old one.
        assertThat(fs.rename(root, "f2", a, "g")).isZero();
        assertThat(fs.lookup(a, "g")).isEqualTo(f);
        assertThat(readAll(f)).isEqualTo("first");
        assertThat(fs.getattr(g)).isNull();
        assertThat(fs.statfs()[2]).isEqualTo(freeBlocks + 1);

        // A directory moves with its link counts.
        assertThat(fs.rename(root, "a", b, "a")).isZero();
        assertThat(fs.getattr(root).nlink()).isEqualTo(3);
        assertThat(fs.getattr(b).nlink()).isEqualTo(3);
        assertThat(fs.lookup(fs.lookup(b, "a"), "g")).isEqualTo(f);

        assertThat(fs.rename(root, "b", a, "x")).isEqualTo(-Errno.EINVAL);
        assertThat(fs.rename(root, "b", b, "x")).isEqualTo(-Errno.EINVAL);
        assertThat(fs.rename(root, "nope", root, "x")).isEqualTo(-Errno.ENOENT);
        assertThat(fs.rename(a, "g", root, "b")).isEqualTo(-Errno.EISDIR);
        long c = fs.create(root, "c", DIR, 0, 0, 1);
        put(root, "h", "h");
        assertThat(fs.rename(root, "c", root, "h")).isEqualTo(-Errno.ENOTDIR);
        assertThat(fs.rename(root, "c", root, "b")).isEqualTo(-Errno.ENOTEMPTY);
        assertThat(fs.rename(root, "h", root, "n".repeat(60))).isEqualTo(-Errno.ENAMETOOLONG);
        assertThat(fs.rename(root, "h", root, "h")).isZero();

        // An empty directory may be replaced by a directory.
        long e = fs.create(b, "e", DIR, 0, 0, 1);
        assertThat(fs.getattr(b).nlink()).isEqualTo(4);
        assertThat(fs.rename(root, "c", b, "e")).isZero();
        assertThat(fs.getattr(e)).isNull();
        assertThat(fs.lookup(b, "e")).isEqualTo(c);
        assertThat(fs.getattr(b).nlink()).isEqualTo(4);
        assertThat(fs.getattr(root).nlink()).isEqualTo(3);
    }

    @Test
    void directoriesGrowPastOneBlock() throws MountException {
        long d = fs.create(root, "many", DIR, 0, 0, 1);
        for (int i = 0; i < 200; i++) {
            assertThat(fs.create(d, "file" + i, FILE, 0, 0, 1)).isPositive();
        }
        assertThat(fs.getattr(d).size()).isEqualTo(4 * 4096);
        remount();
        assertThat(fs.readdir(d)).hasSize(200);
        assertThat(fs.lookup(d, "file199")).isPositive();
        for (int i = 0; i < 200; i++) {
            assertThat(fs.remove(d, "file" + i, false)).isZero();
        }
        assertThat(fs.remove(root, "many", true)).isZero();
        assertThat(fs.statfs()[2]).isEqualTo(2048 - 18 - 1); // the root keeps its entry block
        assertThat(fs.statfs()[4]).isEqualTo(511);
    }

    @Test
    void enospcWhenTheDiskIsFull() {
        byte[] chunk = pattern(1 << 20, 1);
        int n = 0;
        long last = 0;
        long written = 0;
        for (int i = 0; n >= 0; i++) {
            last = fs.create(root, "fill" + i, FILE, 0, 0, 1);
            assertThat(last).isPositive();
            n = fs.write(last, 0, chunk, 0, chunk.length, 1);
            if (n > 0 && n < chunk.length) {
                written = n;
                n = fs.write(last, n, chunk, n, chunk.length - n, 1);
            }
        }
        assertThat(n).isEqualTo(-Errno.ENOSPC);
        assertThat(written % 4096).isZero();
        assertThat(fs.getattr(last).size()).isEqualTo(written);
        assertThat(fs.statfs()[2]).isZero();
        // A new directory needs a block for its first entry.
        long d = fs.create(root, "d", DIR, 0, 0, 1);
        assertThat(d).isPositive();
        long before = fs.statfs()[4];
        assertThat(fs.create(d, "x", FILE, 0, 0, 1)).isEqualTo(-Errno.ENOSPC);
        assertThat(fs.statfs()[4]).isEqualTo(before);
        assertThat(fs.lookup(d, "x")).isEqualTo(-Errno.ENOENT);
        // Freeing space makes room again.
        assertThat(fs.remove(root, "fill0", false)).isZero();
        assertThat(fs.create(d, "x", FILE, 0, 0, 1)).isPositive();
    }

    @Test
    void enospcWhenInodesRunOut() {
        for (int i = 1; i < 512; i++) {
            assertThat(fs.create(root, "f" + i, FILE, 0, 0, 1)).as("file %d", i).isPositive();
        }
        assertThat(fs.statfs()[4]).isZero();
        assertThat(fs.create(root, "one-more", FILE, 0, 0, 1)).isEqualTo(-Errno.ENOSPC);
        assertThat(fs.create(root, "one-more", DIR, 0, 0, 1)).isEqualTo(-Errno.ENOSPC);
    }

    @Test
    void remountSeesEverything() throws MountException {
        long d = fs.create(root, "etc", DIR, 0, 0, 100);
        long f = put(d, "motd", "Welcome to microlith\n");
        fs.chmod(f, 0600);
        put(root, "gone", "x");
        fs.remove(root, "gone", false);
        long[] before = fs.statfs();
        assertThat(fs.sync()).isZero();

        SuperBlock again = type.mount(disk, "rw", false);
        assertThat(again.lookup(again.rootIno(), "etc")).isEqualTo(d);
        assertThat(again.lookup(d, "motd")).isEqualTo(f);
        assertThat(again.lookup(again.rootIno(), "gone")).isEqualTo(-Errno.ENOENT);
        assertThat(again.getattr(f).mode()).isEqualTo(InodeAttr.S_IFREG | 0600);
        assertThat(again.getattr(d).mtime()).isEqualTo(5);
        assertThat(again.statfs()).isEqualTo(before);
        byte[] buf = new byte[64];
        int n = again.read(f, 0, buf, 0, buf.length);
        assertThat(new String(buf, 0, n, StandardCharsets.UTF_8)).isEqualTo("Welcome to microlith\n");
    }

    @Test
    void cleanFlagWhileMounted() throws MountException {
        assertThat(DiskSuperblock.decode(disk.bytes).isClean()).isFalse();
        fs.unmount();
        DiskSuperblock sb = DiskSuperblock.decode(disk.bytes);
        assertThat(sb.isClean()).isTrue();
        assertThat(sb.problems(2048)).isEmpty();
        assertThat(warnings).isEmpty();

        type.mount(disk, "", false); // never unmounted: a crash
        type.mount(disk, "", true);
        assertThat(warnings).containsExactly("mlfs: warning: mounting unchecked fs, running fsck is recommended");
    }

    @Test
    void readOnlyMountRefusesWritesAndTouchesNothing() throws MountException {
        long f = put(root, "f", "keep");
        fs.unmount();
        byte[] before = disk.snapshot();
        SuperBlock ro = type.mount(disk, "ro", true);
        assertThat(ro.create(root, "n", FILE, 0, 0, 1)).isEqualTo(-Errno.EROFS);
        assertThat(ro.create(root, "d", DIR, 0, 0, 1)).isEqualTo(-Errno.EROFS);
        assertThat(ro.write(f, 0, bytes("x"), 0, 1, 1)).isEqualTo(-Errno.EROFS);
        assertThat(ro.truncate(f, 0, 1)).isEqualTo(-Errno.EROFS);
        assertThat(ro.remove(root, "f", false)).isEqualTo(-Errno.EROFS);
        assertThat(ro.rename(root, "f", root, "g")).isEqualTo(-Errno.EROFS);
        assertThat(ro.chmod(f, 0777)).isEqualTo(-Errno.EROFS);
        byte[] buf = new byte[4];
        assertThat(ro.read(f, 0, buf, 0, 4)).isEqualTo(4);
        assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo("keep");
        ro.unmount();
        assertThat(disk.bytes).isEqualTo(before);
    }

    @Test
    void mountRefusesWhatIsNotACleanMlfs() {
        MemoryDisk blank = new MemoryDisk(1 << 20);
        assertThatThrownBy(() -> type.mount(blank, "", false))
            .isInstanceOfSatisfying(MountException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> type.mount(new MemoryDisk(512), "", false))
            .isInstanceOfSatisfying(MountException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> type.mount(disk, "errors=panic", false))
            .isInstanceOfSatisfying(MountException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));

        fs.unmount();
        disk.bytes[0x10]++; // inodes_count, without fixing the checksum
        assertThatThrownBy(() -> type.mount(disk, "", false))
            .isInstanceOfSatisfying(MountException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EUCLEAN))
            .hasMessageContaining("checksum");
        disk.bytes[0x10]--;

        // The bitmap must mark the inode table in use.
        disk.bytes[4096] = 0;
        assertThatThrownBy(() -> type.mount(disk, "", false))
            .isInstanceOfSatisfying(MountException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EUCLEAN));
        disk.bytes[4096] = (byte) 0xff;

        // Nor may the root inode be free.
        disk.bytes[2 * 4096] = 0;
        disk.bytes[2 * 4096 + 1] = 0;
        assertThatThrownBy(() -> type.mount(disk, "", false))
            .isInstanceOfSatisfying(MountException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EUCLEAN));
    }

    @Test
    void superblockBytesMatchTheDocumentedLayout() {
        byte[] b = disk.bytes;
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("MLFS");
        assertThat(b[4]).isEqualTo((byte) 1);
        assertThat(b[8] & 0xff | (b[9] & 0xff) << 8).isEqualTo(4096);
        DiskSuperblock sb = DiskSuperblock.decode(b);
        assertThat(sb.blocks()).isEqualTo(2048);
        assertThat(sb.inodes()).isEqualTo(512);
        assertThat(sb.bitmapStart()).isEqualTo(1);
        assertThat(sb.inodeTableStart()).isEqualTo(2);
        assertThat(sb.inodeTableBlocks()).isEqualTo(16);
        assertThat(sb.dataStart()).isEqualTo(18);
        assertThat(sb.checksum()).isEqualTo(Crc32.of(b, 0, 0x30));
        assertThat(Crc32.of(bytes("123456789"), 0, 9)).isEqualTo(0xCBF43926);
    }

    @Test
    void writeThroughCostsFewSectors() {
        long f = put(root, "f", "x");
        int before = disk.writes;
        assertThat(fs.write(f, 1, bytes("y"), 0, 1, 2)).isEqualTo(1);
        assertThat(disk.writes - before).isEqualTo(2); // the data sector and the inode sector
    }

    @Test
    void theModuleRegistersTheFilesystem() {
        List<Object> registered = new ArrayList<>();
        microlith.module.api.ModuleContext ctx = (microlith.module.api.ModuleContext) java.lang.reflect.Proxy
            .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {microlith.module.api.ModuleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerFilesystem")
                            || method.getName().equals("unregisterFilesystem")) {
                        registered.add(method.getName() + " " + ((microlith.module.api.FileSystemType) args[0]).name());
                        return 0;
                    }
                    return null;
                });
        Mlfs module = new Mlfs();
        assertThat(module.init(ctx)).isZero();
        module.exit(ctx);
        assertThat(registered).containsExactly("registerFilesystem mlfs", "unregisterFilesystem mlfs");
    }
}

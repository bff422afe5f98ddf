package microlith.tools;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import microlith.modules.mlfs.DiskSuperblock;
import microlith.modules.mlfs.FsError;
import microlith.modules.mlfs.Layout;
import microlith.modules.mlfs.Mkfs;
import microlith.tools.fs.ImageDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code microlith mkfs IMAGE --size 8M}: creates (or overwrites) a disk image of that
 * size holding an empty mlfs whose root is 0755 and owned by root. Timestamps are zero,
 * as in the initramfs, so the same command always makes the same bytes.
 */
@Command(name = "mkfs", mixinStandardHelpOptions = true,
    description = {"Create an empty mlfs filesystem image (see docs/mlfs.md).",
        "IMAGE is created, or truncated and rewritten if it exists."})
public final class MkfsCommand implements Callable<Integer> {
    static final long MIN_SIZE = Layout.MIN_BLOCKS * Layout.BLOCK_SIZE;
    static final long MAX_SIZE = 2L << 30;

    @Option(names = "--size", required = true, paramLabel = "SIZE",
        description = "Image size in bytes, or with a K, M or G suffix (e.g. 8M); a multiple of 4K from 64K to 2G.")
    String size;

    @Option(names = {"-N", "--inodes"}, paramLabel = "N",
        description = "Number of inodes (default: one per 16K, rounded up to a whole inode-table block).")
    Long inodes;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file to write.")
    Path image;

    @Override
    public Integer call() {
        long bytes = parseSize(size);
        if (bytes < 0) {
            return fail("invalid size '" + size + "' (use bytes or a K, M or G suffix, e.g. 8M)");
        }
        if (bytes % Layout.BLOCK_SIZE != 0 || bytes < MIN_SIZE || bytes > MAX_SIZE) {
            return fail("size " + size + " must be a multiple of 4K from 64K to 2G");
        }
        long blocks = bytes / Layout.BLOCK_SIZE;
        long count = inodes != null ? inodes : Layout.defaultInodes(blocks);
        if (count < 1 || count > Integer.MAX_VALUE
                || !DiskSuperblock.create((int) blocks, (int) count).problems(blocks).isEmpty()) {
            return fail("cannot fit " + count + " inodes in " + blocks + " blocks");
        }
        if (Files.isDirectory(image)) {
            return fail(image + ": Is a directory");
        }
        Path parent = image.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return fail(image + ": No such file or directory");
        }
        try {
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(0);
                f.setLength(bytes);
            }
            try (ImageDevice dev = ImageDevice.open(image, true)) {
                DiskSuperblock sb = Mkfs.format(dev, blocks, count, 0);
                System.out.println("Creating filesystem with " + sb.blocks() + " 4k blocks and " + sb.inodes()
                    + " inodes");
            }
            return 0;
        } catch (IOException | FsError e) {
            return fail(image + ": " + e.getMessage());
        }
    }

    /** Bytes in "8M", "512K", "1G" or "65536"; -1 if it is not a size. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        int shift = 0;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            shift = "KMG".indexOf(t.charAt(t.length() - 1)) * 10 + 10;
            t = t.substring(0, t.length() - 1);
        }
        if (t.isEmpty() || t.length() > 12 || !t.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(t) << shift;
    }

    private static int fail(String why) {
        System.err.println("microlith: mkfs: " + why);
        return 1;
    }
}

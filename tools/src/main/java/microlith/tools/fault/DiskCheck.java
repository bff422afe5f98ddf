package microlith.tools.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import microlith.module.api.DirEntry;
import microlith.module.api.FileSystemType;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;
import microlith.modules.mlfs.FsError;
import microlith.modules.mlfs.MlfsType;
import microlith.tools.fs.Fsck;
import microlith.tools.fs.ImageDevice;

/**
 * What an mlfs disk image holds once the machine has stopped, read on the host: fsck's
 * findings, and each regular file of a directory with its CRC-32 (zlib's, the one
 * the workload prints), so that what the program was told can be held against what is on
 * the disk.
 */
public final class DiskCheck {
    /**
     * fsck's problems (empty when clean); whether they are all leaks, which a crash of
     * mlfs may leave by design (docs/mlfs.md) and which lose nothing written; the root's
     * files by name with their CRC-32; and why the image could not be read, or null.
     */
    public record State(List<String> problems, boolean leaksOnly, Map<String, Long> files, String unreadable) {
        public boolean clean() {
            return unreadable == null && problems.isEmpty();
        }
    }

    private DiskCheck() {
    }

    /** The image's state, with the files of the root directory. */
    public static State read(Path image) {
        return read(image, null);
    }

    /** The image's state, with the files of directory dir of the root (null: the root's own). */
    public static State read(Path image, String dir) {
        try (ImageDevice dev = ImageDevice.open(image, false)) {
            Fsck.Result r = Fsck.check(dev);
            Map<String, Long> files = new TreeMap<>();
            String unreadable = null;
            try {
                files = files(new MlfsType(w -> { }).mount(dev, "", true), dir);
            } catch (FileSystemType.MountException | FsError e) {
                unreadable = e.getMessage();
            }
            return new State(r.problems(), leaksOnly(r.problems()), files, unreadable);
        } catch (IOException | Fsck.NotMlfs | FsError e) {
            return new State(List.of(), false, Map.of(), String.valueOf(e.getMessage()));
        }
    }

    private static Map<String, Long> files(SuperBlock fs, String dir) {
        Map<String, Long> out = new TreeMap<>();
        long root = dir == null ? fs.rootIno() : fs.lookup(fs.rootIno(), dir);
        if (root < 0) {
            return out;
        }
        for (DirEntry e : fs.readdir(root)) {
            InodeAttr a = fs.getattr(e.ino());
            if (a == null || (a.mode() & InodeAttr.S_IFMT) != InodeAttr.S_IFREG) {
                continue;
            }
            byte[] data = new byte[(int) Math.min(a.size(), 1 << 24)];
            int n = fs.read(e.ino(), 0, data, 0, data.length);
            CRC32 crc = new CRC32();
            if (n >= 0) {
                crc.update(data, 0, n);
            }
            out.put(e.name(), n == data.length ? crc.getValue() : -1L);
        }
        return out;
    }

    /**
     * Whether every problem is a leak: an inode in use that no entry names, a directory
     * nothing reaches, a block marked in use that nothing claims ("-" in the bitmap
     * differences), or the link count of such an inode.
     */
    static boolean leaksOnly(List<String> problems) {
        List<String> leaked = new ArrayList<>();
        for (String p : problems) {
            if (p.startsWith("Unattached inode ") || p.startsWith("Unconnected directory inode ")) {
                leaked.add(p.replaceAll("\\D+", " ").trim());
            }
        }
        for (String p : problems) {
            boolean leak = p.startsWith("Unattached inode ") || p.startsWith("Unconnected directory inode ")
                || p.startsWith("Block bitmap differences:") && !p.contains("+")
                || p.matches("Inode \\d+ ref count is .*") && leaked.contains(p.split(" ")[1]);
            if (!leak) {
                return false;
            }
        }
        return true;
    }
}

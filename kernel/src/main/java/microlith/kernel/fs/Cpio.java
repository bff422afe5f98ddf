package microlith.kernel.fs;

import java.nio.charset.StandardCharsets;

/**
 * Unpacks a cpio archive in the "newc" format (what Linux's initramfs uses,
 * Documentation/driver-api/early-userspace/buffer-format.rst): a 110-byte ASCII header
 * per entry, the NUL-terminated name and the data, each padded to 4 bytes, ending with
 * the entry "TRAILER!!!".
 *
 * <pre>
 * c_magic[6]="070701" c_ino[8] c_mode[8] c_uid[8] c_gid[8] c_nlink[8] c_mtime[8]
 * c_filesize[8] c_devmajor[8] c_devminor[8] c_rdevmajor[8] c_rdevminor[8]
 * c_namesize[8] c_check[8]        (all hexadecimal ASCII)
 * </pre>
 */
public final class Cpio {
    /** A malformed archive. */
    public static final class FormatException extends Exception {
        public FormatException(String m) {
            super(m, null, false, false);
        }
    }

    private Cpio() {
    }

    private static long hex(byte[] a, int off) throws FormatException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int c = a[off + i];
            int d = Character.digit(c, 16);
            if (d < 0) {
                throw new FormatException("bad hex digit in cpio header at offset " + (off + i));
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static int align4(long x) {
        return (int) ((x + 3) & ~3L);
    }

    /** Where the entries go, in archive order (parents before children, as gen_init_cpio writes). */
    public interface Sink {
        /** One entry: path is absolute; data[off, off+len) is a file's bytes or a symlink's target. */
        void entry(String path, int mode, int uid, int gid, long mtime, long rdev, byte[] data, int off, int len);

        /**
         * path becomes another name for the regular file an earlier entry made at target
         * (a hard link); the entry itself follows, with the data if it carries it. A sink
         * that keeps no files (a listing) may ignore links.
         */
        default void link(String path, String target) {
        }
    }

    /**
     * Unpacks into sink; returns the number of entries. Regular files with a link count of
     * two or more that share an inode number are hard links to one file, whose data may
     * come with any of the names (gen_init_cpio puts it on the last): the first name makes
     * the file, each later one is linked to it and then written, as Linux's initramfs
     * unpacker does (init/initramfs.c, maybe_link).
     */
    public static int unpack(byte[] a, Sink sink) throws FormatException {
        int off = 0;
        int count = 0;
        java.util.Map<Long, String> firstName = new java.util.HashMap<>();
        while (true) {
            if (off + 110 > a.length) {
                throw new FormatException("truncated cpio archive (no TRAILER!!!)");
            }
            String magic = new String(a, off, 6, StandardCharsets.US_ASCII);
            if (!magic.equals("070701") && !magic.equals("070702")) {
                throw new FormatException("not a newc cpio archive (magic " + magic + ")");
            }
            long ino = hex(a, off + 6);
            long mode = hex(a, off + 14);
            long uid = hex(a, off + 22);
            long gid = hex(a, off + 30);
            long nlink = hex(a, off + 38);
            long mtime = hex(a, off + 46);
            long size = hex(a, off + 54);
            long rdevMajor = hex(a, off + 78);
            long rdevMinor = hex(a, off + 86);
            long nameSize = hex(a, off + 94);
            int nameOff = off + 110;
            if (nameSize < 1 || nameOff + nameSize > a.length) {
                throw new FormatException("truncated cpio entry name");
            }
            String name = new String(a, nameOff, (int) nameSize - 1, StandardCharsets.UTF_8);
            int dataOff = align4(nameOff + nameSize);
            if (dataOff + size > a.length) {
                throw new FormatException("truncated cpio entry " + name);
            }
            if (name.equals("TRAILER!!!")) {
                return count;
            }
            String path = "/" + name.replaceAll("^(\\./|/)+", "");
            if (!path.equals("/")) {
                if (nlink >= 2 && (mode & Inode.S_IFMT) == Inode.S_IFREG) {
                    String first = firstName.putIfAbsent(ino, path);
                    if (first != null) {
                        sink.link(path, first);
                    }
                }
                sink.entry(path, (int) mode, (int) uid, (int) gid, mtime, rdevMajor << 8 | rdevMinor, a, dataOff,
                    (int) size);
                count++;
            }
            off = align4(dataOff + size);
        }
    }
}

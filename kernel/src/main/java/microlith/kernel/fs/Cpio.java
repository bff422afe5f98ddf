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

    /**
     * Unpacks into fs; returns the number of entries. Entries with a link count of two or
     * more that share an inode number are hard links to one file, whose data may come
     * with any of them (gen_init_cpio puts it on the last), as Linux's initramfs has it.
     */
    public static int unpack(byte[] a, RamFs fs) throws FormatException {
        int off = 0;
        int count = 0;
        java.util.Map<Long, Inode> links = new java.util.HashMap<>();
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
                int slash = path.lastIndexOf('/');
                if (slash > 0) {
                    fs.mkdirs(path.substring(0, slash));
                }
                Inode first = nlink >= 2 && (mode & Inode.S_IFMT) == Inode.S_IFREG ? links.get(ino) : null;
                Inode n;
                if (first != null) {
                    fs.link(path, first);
                    n = first;
                } else {
                    n = fs.create(path, (int) mode, (int) uid, (int) gid);
                    n.mtime = mtime;
                    if (nlink >= 2 && n.isRegular()) {
                        links.put(ino, n);
                    }
                }
                if (!n.isDir() && (first == null || size > 0)) {
                    n.data = java.util.Arrays.copyOfRange(a, dataOff, dataOff + (int) size);
                }
                count++;
            }
            off = align4(dataOff + size);
        }
    }
}

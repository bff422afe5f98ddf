package microlith.modules.mlfs;

import java.nio.charset.StandardCharsets;

/**
 * Directory entries: a directory's data is whole blocks of 64 fixed-size slots. "." and
 * ".." are not stored (the VFS supplies them; the inode's parent field records "..").
 *
 * <pre>
 * offset size field
 * 0x00   4    ino       0 = a free slot
 * 0x04   1    name_len  1..59
 * 0x05   59   name      name_len bytes, no '/' or NUL, then zeros
 * </pre>
 */
public final class DiskDirent {
    private DiskDirent() {
    }

    public static int ino(byte[] block, int slot) {
        int o = slot * Layout.DIRENT_SIZE;
        return (block[o] & 0xff) | (block[o + 1] & 0xff) << 8 | (block[o + 2] & 0xff) << 16
            | (block[o + 3] & 0xff) << 24;
    }

    public static int nameLength(byte[] block, int slot) {
        return block[slot * Layout.DIRENT_SIZE + 4] & 0xff;
    }

    /** The raw name bytes (name_len clamped to the slot). */
    public static byte[] nameBytes(byte[] block, int slot) {
        int len = Math.min(nameLength(block, slot), Layout.NAME_MAX);
        byte[] name = new byte[len];
        System.arraycopy(block, slot * Layout.DIRENT_SIZE + 5, name, 0, len);
        return name;
    }

    public static String name(byte[] block, int slot) {
        return new String(nameBytes(block, slot), StandardCharsets.UTF_8);
    }

    public static boolean nameEquals(byte[] block, int slot, byte[] name) {
        if (nameLength(block, slot) != name.length) {
            return false;
        }
        int o = slot * Layout.DIRENT_SIZE + 5;
        for (int i = 0; i < name.length; i++) {
            if (block[o + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Fills a slot; name must already be valid (see {@link #isValidName}). */
    public static void put(byte[] block, int slot, int ino, byte[] name) {
        int o = slot * Layout.DIRENT_SIZE;
        setIno(block, slot, ino);
        block[o + 4] = (byte) name.length;
        System.arraycopy(name, 0, block, o + 5, name.length);
        for (int i = o + 5 + name.length; i < o + Layout.DIRENT_SIZE; i++) {
            block[i] = 0;
        }
    }

    public static void setIno(byte[] block, int slot, int ino) {
        int o = slot * Layout.DIRENT_SIZE;
        block[o] = (byte) ino;
        block[o + 1] = (byte) (ino >>> 8);
        block[o + 2] = (byte) (ino >>> 16);
        block[o + 3] = (byte) (ino >>> 24);
    }

    /** Zeroes a slot, which frees it. */
    public static void clear(byte[] block, int slot) {
        int o = slot * Layout.DIRENT_SIZE;
        for (int i = o; i < o + Layout.DIRENT_SIZE; i++) {
            block[i] = 0;
        }
    }

    /** A name mlfs can store: 1..59 bytes, no '/' or NUL, not "." or "..". */
    public static boolean isValidName(byte[] name) {
        if (name.length == 0 || name.length > Layout.NAME_MAX) {
            return false;
        }
        for (byte c : name) {
            if (c == '/' || c == 0) {
                return false;
            }
        }
        return !(name.length == 1 && name[0] == '.') && !(name.length == 2 && name[0] == '.' && name[1] == '.');
    }
}

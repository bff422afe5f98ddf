package microlith.modules.mlfs;

/**
 * Little-endian field reads for the write guard. The guard decodes the disk with this code
 * of its own, never with the codecs it checks ({@link DiskInode}, {@link DiskDirent}): an
 * injected fault lands in one method, so a wrong encoder is caught by an independent decoder.
 */
final class LittleEndian {
    private LittleEndian() {
    }

    static int u16(byte[] b, int o) {
        return b[o] & 0xff | (b[o + 1] & 0xff) << 8;
    }

    static int u32(byte[] b, int o) {
        return b[o] & 0xff | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    static long u64(byte[] b, int o) {
        return u32(b, o) & 0xffffffffL | (long) u32(b, o + 4) << 32;
    }

    /** Whether b[from..to) are all zero. */
    static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

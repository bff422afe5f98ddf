package microlith.modules.mlfs;

import java.util.Arrays;

/**
 * Little-endian field reads for the write guard. The guard decodes the disk with this code
 * of its own, never with the codecs it checks ({@link DiskInode}, {@link DiskDirent}): an
 * injected fault lands in one method, so a wrong encoder is caught by an independent decoder.
 */
final class LittleEndian {
    private static final byte[] ZERO = new byte[Layout.BLOCK_SIZE];

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

    /** Whether b[from..to) (at most a block) are all zero. */
    static boolean zero(byte[] b, int from, int to) {
        return from >= to || Arrays.mismatch(b, from, to, ZERO, 0, to - from) < 0;
    }
}

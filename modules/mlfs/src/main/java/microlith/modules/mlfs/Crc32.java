package microlith.modules.mlfs;

/**
 * CRC-32 as zlib, Ethernet and ext4 compute it (reflected polynomial 0xEDB88320, initial
 * value and final XOR all ones), so {@code crc32} tools on the host can confirm a
 * superblock checksum. java.util.zip is not available to modules, hence this table.
 */
public final class Crc32 {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32() {
    }

    public static int of(byte[] data, int off, int len) {
        int c = ~0;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
        }
        return ~c;
    }
}

package microlith.hw.dev;

/**
 * The 256 words IDENTIFY DEVICE returns, laid out as ATA/ATAPI-6 section 8.15 defines them,
 * for a fixed PIO-only disk of a given capacity. Strings are space-padded ASCII with the
 * first character of each pair in the high byte of its word, as the standard stores them.
 */
public final class AtaIdentifyData {
    public static final String MODEL = "MICROLITH HARDDISK";
    public static final String FIRMWARE = "1.0";
    public static final String SERIAL = "ML0000000001";

    /** The default translation: 16 heads of 63 sectors, at most 16383 cylinders. */
    public static final int HEADS = 16;
    public static final int SECTORS_PER_TRACK = 63;
    private static final int MAX_CYLINDERS = 16383;
    /** The largest capacity a 28-bit LBA can address. */
    public static final long LBA28_LIMIT = 1L << 28;

    private AtaIdentifyData() {
    }

    /** Cylinders of the default CHS translation of a disk of this many sectors. */
    public static int cylinders(long sectors) {
        return (int) Math.min(sectors / (HEADS * SECTORS_PER_TRACK), MAX_CYLINDERS);
    }

    public static short[] build(long sectors) {
        short[] w = new short[256];
        int cyls = cylinders(sectors);
        long chsCapacity = (long) cyls * HEADS * SECTORS_PER_TRACK;
        long lba28 = Math.min(sectors, LBA28_LIMIT - 1);
        w[0] = 0x0040; // ATA device, not removable
        w[1] = (short) cyls;
        w[3] = HEADS;
        w[6] = SECTORS_PER_TRACK;
        putString(w, 10, 20, SERIAL);
        putString(w, 23, 8, FIRMWARE);
        putString(w, 27, 40, MODEL);
        w[47] = (short) 0x8000; // READ/WRITE MULTIPLE not supported (0 sectors per block)
        w[49] = 0x0200; // LBA supported; no DMA
        w[50] = 0x4000;
        w[53] = 0x0007; // words 54-58, 64-70 and 88 are valid
        w[54] = (short) cyls;
        w[55] = HEADS;
        w[56] = SECTORS_PER_TRACK;
        w[57] = (short) chsCapacity;
        w[58] = (short) (chsCapacity >>> 16);
        w[60] = (short) lba28;
        w[61] = (short) (lba28 >>> 16);
        w[64] = 0x0003; // PIO modes 3 and 4
        w[67] = 120; // minimum PIO cycle times, ns
        w[68] = 120;
        w[80] = 0x007E; // ATA-1 through ATA-6
        w[82] = 0x0020; // write cache
        w[83] = 0x7400; // FLUSH CACHE EXT, FLUSH CACHE, 48-bit addresses
        w[84] = 0x4000;
        w[85] = 0x0020;
        w[86] = 0x3400;
        w[87] = 0x4000;
        for (int i = 0; i < 4; i++) {
            w[100 + i] = (short) (sectors >>> (16 * i));
        }
        // Integrity word: signature A5h, and a checksum making all 512 bytes sum to zero.
        int sum = 0xA5;
        for (int i = 0; i < 255; i++) {
            sum += (w[i] & 0xff) + ((w[i] >>> 8) & 0xff);
        }
        w[255] = (short) ((((-sum) & 0xff) << 8) | 0xA5);
        return w;
    }

    private static void putString(short[] w, int word, int len, String s) {
        for (int i = 0; i < len; i += 2) {
            int hi = i < s.length() ? s.charAt(i) : ' ';
            int lo = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
            w[word + i / 2] = (short) ((hi << 8) | lo);
        }
    }
}

package microlith.modules.ata;

/**
 * What the driver needs from the 256 IDENTIFY DEVICE words: the fields Linux reads with
 * its ata_id_* helpers (include/linux/ata.h), decoded from the ATA/ATAPI-6 layout.
 */
final class AtaId {
    private static final int[] UDMA_SPEED = {16, 25, 33, 44, 66, 100, 133};

    private final int[] words;

    /** @param block the 512 bytes IDENTIFY returned, words little-endian */
    AtaId(byte[] block) {
        words = new int[256];
        for (int i = 0; i < 256; i++) {
            words[i] = (block[2 * i] & 0xff) | (block[2 * i + 1] & 0xff) << 8;
        }
    }

    /** ata_id_c_string: the first character of each pair sits in the high byte; trailing blanks go. */
    private String string(int first, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            sb.append((char) (words[i] >>> 8)).append((char) (words[i] & 0xff));
        }
        int end = sb.length();
        while (end > 0 && (sb.charAt(end - 1) == ' ' || sb.charAt(end - 1) == 0)) {
            end--;
        }
        return sb.substring(0, end);
    }

    String model() {
        return string(27, 20);
    }

    String firmware() {
        return string(23, 4);
    }

    /** The highest ATA version in word 80 (0 if the device does not report one). */
    int majorVersion() {
        int w = words[80];
        if (w == 0xffff || (w & 0x7ffe) == 0) {
            return 0;
        }
        return 31 - Integer.numberOfLeadingZeros(w & 0x7ffe);
    }

    boolean hasLba() {
        return (words[49] & 0x0200) != 0;
    }

    /** Word 83 is valid when bit 14 is set and bit 15 clear; bit 10 is the 48-bit address feature set. */
    boolean hasLba48() {
        return (words[83] & 0xc000) == 0x4000 && (words[83] & 0x0400) != 0;
    }

    boolean hasFlushExt() {
        return (words[83] & 0xc000) == 0x4000 && (words[83] & 0x2000) != 0;
    }

    /** The capacity in sectors: words 100-103 for a 48-bit device, else words 60-61. */
    long sectors() {
        if (hasLba48()) {
            long n = 0;
            for (int i = 3; i >= 0; i--) {
                n = n << 16 | words[100 + i];
            }
            return n;
        }
        return (long) words[61] << 16 | words[60];
    }

    /** The fastest transfer mode the device claims, named as Linux names it ("UDMA/100", "PIO4"). */
    String maxMode() {
        if ((words[53] & 0x0004) != 0 && (words[88] & 0x7f) != 0) {
            int mode = 31 - Integer.numberOfLeadingZeros(words[88] & 0x7f);
            return "UDMA/" + UDMA_SPEED[mode];
        }
        if ((words[53] & 0x0002) != 0 && (words[64] & 0x03) != 0) {
            return "PIO" + (3 + 31 - Integer.numberOfLeadingZeros(words[64] & 0x03));
        }
        return "PIO" + Math.min(words[51] >>> 8, 2);
    }
}

package microlith.hw.mmu;

/**
 * Bits of a 4-level paging entry (AMD64 APM vol. 2, 5.3.3).
 *
 * <pre>
 *  63  62-52   51-12                 11-9  8   7   6   5   4   3   2   1   0
 * +---+------+---------------------+-----+---+---+---+---+---+---+---+---+---+
 * |NX | avl  | physical address    | avl | G |PS | D | A |PCD|PWT|U/S|R/W| P |
 * +---+------+---------------------+-----+---+---+---+---+---+---+---+---+---+
 * </pre>
 * PS is the page-size bit in PDPT (1 GiB) and PD (2 MiB) entries.
 */
public final class PageTableEntry {
    public static final long P = 1L << 0;
    public static final long RW = 1L << 1;
    public static final long US = 1L << 2;
    public static final long PWT = 1L << 3;
    public static final long PCD = 1L << 4;
    public static final long A = 1L << 5;
    public static final long D = 1L << 6;
    public static final long PS = 1L << 7;
    public static final long G = 1L << 8;
    public static final long NX = 1L << 63;
    public static final long ADDR_MASK = 0x000f_ffff_ffff_f000L;

    private PageTableEntry() {
    }
}

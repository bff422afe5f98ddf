package microlith.hw.cpu;

/**
 * RFLAGS bit positions.
 *
 * <pre>
 *  21  20  19  18  17  16  15  14  13-12  11  10   9   8   7   6   5   4   3   2   1   0
 * +---+---+---+---+---+---+---+---+------+---+---+---+---+---+---+---+---+---+---+---+---+
 * |ID |VIP|VIF|AC |VM |RF | 0 |NT | IOPL |OF |DF |IF |TF |SF |ZF | 0 |AF | 0 |PF | 1 |CF |
 * +---+---+---+---+---+---+---+---+------+---+---+---+---+---+---+---+---+---+---+---+---+
 * </pre>
 */
public final class Flags {
    public static final long CF = 1L << 0;
    public static final long FIXED1 = 1L << 1;
    public static final long PF = 1L << 2;
    public static final long AF = 1L << 4;
    public static final long ZF = 1L << 6;
    public static final long SF = 1L << 7;
    public static final long TF = 1L << 8;
    public static final long IF = 1L << 9;
    public static final long DF = 1L << 10;
    public static final long OF = 1L << 11;
    public static final long IOPL = 3L << 12;
    public static final long NT = 1L << 14;
    public static final long RF = 1L << 16;
    public static final long AC = 1L << 18;
    public static final long ID = 1L << 21;

    /** The six status flags that arithmetic computes. */
    public static final long ARITH = CF | PF | AF | ZF | SF | OF;
    /** Bits software may change with POPF at CPL 0 (VM, VIF, VIP stay clear in long mode). */
    public static final long WRITABLE = ARITH | TF | IF | DF | IOPL | NT | RF | AC | ID;

    private Flags() {
    }

    public static int iopl(long rflags) {
        return (int) (rflags >>> 12) & 3;
    }
}

package microlith.hw.cpu;

/** Model-specific register numbers the machine implements (AMD64 APM vol. 2, appendix A). */
public final class Msr {
    public static final int TSC = 0x10;
    public static final int EFER = 0xC0000080;
    public static final int STAR = 0xC0000081;
    public static final int LSTAR = 0xC0000082;
    public static final int CSTAR = 0xC0000083;
    public static final int SFMASK = 0xC0000084;
    public static final int FS_BASE = 0xC0000100;
    public static final int GS_BASE = 0xC0000101;
    public static final int KERNEL_GS_BASE = 0xC0000102;

    /*
     * EFER
     *  63      12   11   10   9    8    7         1    0
     * +--------+----+----+----+----+----+---------+----+
     * |reserved|    |NXE |LMA |    |LME |         |SCE |
     * +--------+----+----+----+----+----+---------+----+
     */
    public static final long EFER_SCE = 1L << 0;
    public static final long EFER_LME = 1L << 8;
    public static final long EFER_LMA = 1L << 10;
    public static final long EFER_NXE = 1L << 11;

    private Msr() {
    }
}

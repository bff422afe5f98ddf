package microlith.hw.cpu.sse;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.Vectors;

/**
 * The MXCSR view one SSE floating-point instruction works under: rounding control, FTZ, DAZ,
 * and the exception flags its elements raise. Flags are collected for all elements first
 * and committed at the end, so that an unmasked exception leaves the destination unchanged
 * (the caller writes it only after {@link #commit} returns).
 *
 * <pre>
 *  15  14-13  12  11  10   9   8   7   6   5   4   3   2   1   0
 * +---+-----+---+---+---+---+---+---+---+---+---+---+---+---+---+
 * |FTZ| RC  |PM |UM |OM |ZM |DM |IM |DAZ|PE |UE |OE |ZE |DE |IE |
 * +---+-----+---+---+---+---+---+---+---+---+---+---+---+---+---+
 * </pre>
 */
public final class FpEnv {
    public static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;
    public static final int DAZ = 1 << 6, FTZ = 1 << 15;
    /** RC values: round to nearest even, down (toward -inf), up (toward +inf), toward zero. */
    public static final int RN = 0, RD = 1, RU = 2, RZ = 3;
    /** CR4.OSXMMEXCPT: the OS handles #XM; without it an unmasked exception is #UD. */
    private static final long CR4_OSXMMEXCPT = 1L << 10;

    public final int rc;
    public final boolean ftz;
    public final boolean daz;
    /** Exceptions whose mask bit is clear. */
    public final int unmasked;
    /** Detected before computing (invalid, denormal operand, divide by zero). */
    public int pre;
    /** Detected on the result (overflow, underflow, precision). */
    public int post;

    public FpEnv(int mxcsr) {
        rc = mxcsr >>> 13 & 3;
        ftz = (mxcsr & FTZ) != 0;
        daz = (mxcsr & DAZ) != 0;
        unmasked = ~(mxcsr >>> 7) & 0x3f;
    }

    /** Rounding mode for the truncating conversions (CVTT*). */
    public static FpEnv truncating(int mxcsr) {
        return new FpEnv((mxcsr & ~(3 << 13)) | RZ << 13);
    }

    public void invalid() {
        pre |= IE;
    }

    /**
     * Applies DAZ to an operand (a denormal becomes a zero of the same sign) or, without
     * DAZ, notes the denormal-operand exception. Call it only for non-NaN operands: a NaN
     * operand takes precedence over the denormal exception (SDM vol. 1, 11.5.2.1).
     */
    public long operand(long x, boolean dbl) {
        if (SoftFp.isDenormal(x, dbl)) {
            if (daz) {
                return x & SoftFp.signBit(dbl);
            }
            pre |= DE;
        }
        return x;
    }

    /** DAZ only: the conversions to integer do not report denormal operands. */
    public long dazOnly(long x, boolean dbl) {
        return daz && SoftFp.isDenormal(x, dbl) ? x & SoftFp.signBit(dbl) : x;
    }

    /**
     * Writes the collected flags to MXCSR (they are sticky) and raises #XM (or #UD when the
     * OS has not set CR4.OSXMMEXCPT) if any of them is unmasked. An unmasked exception
     * found before computing stops the instruction there, so the result flags of other
     * elements are not reported (SDM vol. 1, 11.5.2).
     */
    public void commit(Core c) {
        int flags = (pre & unmasked) != 0 ? pre : pre | post;
        c.mxcsr |= flags;
        if ((flags & unmasked) != 0) {
            throw (c.cr4 & CR4_OSXMMEXCPT) != 0 ? new CpuException(Vectors.XM, false, 0, 0) : CpuException.ud();
        }
    }
}

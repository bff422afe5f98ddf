package microlith.hw.cpu;

/**
 * An architectural exception raised while executing an instruction. It unwinds the
 * interpreter to the instruction boundary, where {@link InterruptDelivery} hands it to the
 * IDT. No stack trace is captured: this is control flow, not an error in the simulator.
 */
public final class CpuException extends RuntimeException {
    public final int vector;
    public final boolean hasErrorCode;
    public final long errorCode;
    /** For #PF: the faulting linear address that goes to CR2. */
    public final long faultAddress;

    public CpuException(int vector, boolean hasErrorCode, long errorCode, long faultAddress) {
        super(null, null, false, false);
        this.vector = vector;
        this.hasErrorCode = hasErrorCode;
        this.errorCode = errorCode;
        this.faultAddress = faultAddress;
    }

    public static CpuException ud() {
        return new CpuException(Vectors.UD, false, 0, 0);
    }

    public static CpuException gp(long errorCode) {
        return new CpuException(Vectors.GP, true, errorCode, 0);
    }

    public static CpuException de() {
        return new CpuException(Vectors.DE, false, 0, 0);
    }

    public static CpuException pf(long address, int errorCode) {
        return new CpuException(Vectors.PF, true, errorCode, address);
    }

    @Override
    public String getMessage() {
        return Vectors.mnemonic(vector) + (hasErrorCode ? " error " + Long.toHexString(errorCode) : "")
            + (vector == Vectors.PF ? " at 0x" + Long.toHexString(faultAddress) : "");
    }
}

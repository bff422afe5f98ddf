package microlith.kernel.arch;

import microlith.hw.cpu.Cpu;

/** Builds 64-bit interrupt gates (layout drawn in hw's InterruptDelivery). */
public final class Idt {
    public static final int ENTRIES = 256;
    public static final int BYTES = ENTRIES * 16;

    private Idt() {
    }

    /** Writes one present interrupt gate (type 0xE) for vector. */
    public static void setGate(Cpu cpu, long idt, int vector, long handler, int dpl, int ist) {
        long lo = (handler & 0xffff) | (long) Segments.KERNEL_CS << 16 | (long) (ist & 7) << 32
            | (0x8EL | (long) dpl << 5) << 40 | ((handler >>> 16) & 0xffff) << 48;
        long hi = handler >>> 32;
        cpu.write64(idt + vector * 16L, lo);
        cpu.write64(idt + vector * 16L + 8, hi);
    }
}

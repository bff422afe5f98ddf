package microlith.hw.cpu;

import microlith.hw.cpu.sse.SseOps;
import microlith.hw.cpu.x87.Float80;

/**
 * What a kernel uses to switch the x87/SSE state between tasks: the FXSAVE and FXRSTOR
 * operations (64-bit layout, 512 bytes, 16-byte aligned), exactly as the instructions
 * perform them, for kernel code written in Java.
 */
public final class FpuState {
    public static final int AREA_BYTES = 512;

    private FpuState() {
    }

    /** FXSAVE64 to the linear address la. */
    public static void save(Cpu c, long la) {
        SseOps.fxsave(c.core(), la, true);
    }

    /** FXRSTOR64 from the linear address la. */
    public static void restore(Cpu c, long la) {
        SseOps.fxrstor(c.core(), la, true);
    }

    /** FNINIT plus the power-on MXCSR and zeroed XMM registers: a new task's state. */
    public static void reset(Cpu cpu) {
        Core c = cpu.core();
        c.x87.init();
        java.util.Arrays.fill(c.x87.regs, Float80.POS_ZERO);
        c.mxcsr = 0x1F80;
        java.util.Arrays.fill(c.xmm, 0);
    }
}

package microlith.kernel.arch;

import microlith.hw.cpu.Cpu;
import microlith.hw.dev.Pit8254;

/**
 * The interrupt hardware as the kernel programs it: the 8259A pair (Intel 8259A data
 * sheet) and channel 0 of the 8254 timer.
 *
 * <pre>
 * 8259A  ICW1 0x11: edge triggered, cascade, ICW4 follows
 *        ICW2: vector base (0x20 master, 0x28 slave)   ICW3: slave on IR2 / cascade id 2
 *        ICW4 0x01: 8086 mode, normal EOI              OCW1 (IMR): bit n masks line n
 * 8254   control 0x34: channel 0, lobyte/hibyte, mode 2 (rate generator), then the divisor
 * </pre>
 */
public final class Pic {
    public static final int MASTER = 0x20, SLAVE = 0xA0;
    private final Cpu cpu;

    public Pic(Cpu cpu) {
        this.cpu = cpu;
    }

    /** Remaps IRQ 0-15 to vectors base..base+15, all lines masked but the cascade. */
    public void init(int base) {
        cpu.out(MASTER, 1, 0x11);
        cpu.out(SLAVE, 1, 0x11);
        cpu.out(MASTER + 1, 1, base);
        cpu.out(SLAVE + 1, 1, base + 8);
        cpu.out(MASTER + 1, 1, 0x04);
        cpu.out(SLAVE + 1, 1, 0x02);
        cpu.out(MASTER + 1, 1, 0x01);
        cpu.out(SLAVE + 1, 1, 0x01);
        cpu.out(MASTER + 1, 1, 0xff & ~(1 << 2));
        cpu.out(SLAVE + 1, 1, 0xff);
    }

    /** Masks or unmasks one line in the IMR (OCW1). */
    public void setMasked(int irq, boolean masked) {
        int port = (irq < 8 ? MASTER : SLAVE) + 1;
        int bit = 1 << (irq & 7);
        int imr = cpu.in(port, 1);
        int next = masked ? imr | bit : imr & ~bit;
        if (next != imr) {
            cpu.out(port, 1, next);
        }
    }

    /** Non-specific end of interrupt, to the slave too for lines 8-15. */
    public void eoi(int irq) {
        if (irq >= 8) {
            cpu.out(SLAVE, 1, 0x20);
        }
        cpu.out(MASTER, 1, 0x20);
    }

    /** The master's in-service register (OCW3 read ISR), to tell a spurious IRQ 7. */
    public int inService() {
        cpu.out(MASTER, 1, 0x0B);
        int isr = cpu.in(MASTER, 1);
        cpu.out(MASTER, 1, 0x0A);
        return isr;
    }

    /** Channel 0 as a rate generator at hz; returns the divisor. */
    public int startTimer(int hz) {
        int divisor = (int) ((Pit8254.INPUT_HZ + hz / 2) / hz);
        cpu.out(0x43, 1, 0x34);
        cpu.out(0x40, 1, divisor & 0xff);
        cpu.out(0x40, 1, divisor >>> 8);
        return divisor;
    }
}

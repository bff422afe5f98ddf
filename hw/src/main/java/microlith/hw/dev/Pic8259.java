package microlith.hw.dev;

import microlith.hw.cpu.InterruptController;
import microlith.hw.io.PortDevice;

/**
 * A pair of cascaded 8259A programmable interrupt controllers, as on the PC: the master
 * at 0x20/0x21 takes IRQ 0-7, the slave at 0xA0/0xA1 takes IRQ 8-15 and cascades into
 * the master's IRQ 2. Supports the ICW1-ICW4 initialisation sequence, the mask register
 * (OCW1), non-specific and specific EOI (OCW2) and reading IRR/ISR (OCW3). Inputs are
 * level-sensitive here: a device holds its line while it wants service.
 */
public final class Pic8259 implements InterruptController {
    private final Chip master = new Chip();
    private final Chip slave = new Chip();
    private Runnable lineChanged = () -> { };

    public Pic8259() {
        master.vectorBase = 0x08;
        slave.vectorBase = 0x70;
    }

    public void onLineChange(Runnable r) {
        this.lineChanged = r;
    }

    public PortDevice masterPorts() {
        return master;
    }

    public PortDevice slavePorts() {
        return slave;
    }

    /** An edge on IRQ line n (0-15), latched until acknowledged (the PIT's output pulse). */
    public void pulseIrq(int n) {
        Chip c = n < 8 ? master : slave;
        c.edges |= 1 << (n & 7);
        lineChanged.run();
    }

    /** Whether IRQ line n is masked in the IMR. */
    public boolean masked(int n) {
        Chip c = n < 8 ? master : slave;
        return (c.imr & (1 << (n & 7))) != 0 || n >= 8 && (master.imr & 4) != 0;
    }

    /** Drives IRQ line n (0-15). */
    public void setIrq(int n, boolean level) {
        Chip c = n < 8 ? master : slave;
        int bit = 1 << (n & 7);
        c.lines = level ? c.lines | bit : c.lines & ~bit;
        lineChanged.run();
    }

    private int slaveOutput() {
        return slave.highestPending() >= 0 ? 1 << 2 : 0;
    }

    @Override
    public boolean hasInterrupt() {
        master.cascade = slaveOutput();
        return master.highestPending() >= 0;
    }

    @Override
    public int acknowledge() {
        master.cascade = slaveOutput();
        int irq = master.highestPending();
        if (irq < 0) {
            // Spurious interrupt: IRQ 7 without setting ISR.
            return master.vectorBase + 7;
        }
        master.isr |= 1 << irq;
        master.edges &= ~(1 << irq);
        if (irq == 2) {
            int s = slave.highestPending();
            if (s < 0) {
                return slave.vectorBase + 7;
            }
            slave.isr |= 1 << s;
            slave.edges &= ~(1 << s);
            return slave.vectorBase + s;
        }
        return master.vectorBase + irq;
    }

    private final class Chip implements PortDevice {
        int lines;
        int edges;
        int cascade;
        int imr = 0xff;
        int isr;
        int vectorBase;
        int initStep;
        boolean icw4Needed;
        boolean readIsr;

        int highestPending() {
            int req = (lines | edges | cascade) & ~imr;
            for (int i = 0; i < 8; i++) {
                int bit = 1 << i;
                if ((isr & bit) != 0) {
                    return -1; // a higher- or equal-priority interrupt is in service
                }
                if ((req & bit) != 0) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public int in(int port, int size) {
            if ((port & 1) == 1) {
                return imr;
            }
            return readIsr ? isr : lines | cascade;
        }

        @Override
        public void out(int port, int size, int value) {
            value &= 0xff;
            if ((port & 1) == 0) {
                if ((value & 0x10) != 0) {
                    // ICW1: start initialisation.
                    initStep = 2;
                    icw4Needed = (value & 1) != 0;
                    imr = 0;
                    isr = 0;
                } else if ((value & 0x18) == 0) {
                    // OCW2
                    int cmd = value >>> 5;
                    if (cmd == 1) {
                        isr &= isr - 1; // clears the highest-priority (lowest) in-service bit
                    } else if (cmd == 3) {
                        isr &= ~(1 << (value & 7));
                    }
                } else if ((value & 0x18) == 0x08) {
                    // OCW3
                    if ((value & 2) != 0) {
                        readIsr = (value & 1) != 0;
                    }
                }
            } else {
                switch (initStep) {
                    case 2:
                        vectorBase = value & 0xf8;
                        initStep = 3;
                        return;
                    case 3:
                        initStep = icw4Needed ? 4 : 0;
                        return;
                    case 4:
                        initStep = 0;
                        return;
                    default:
                        imr = value;
                }
            }
            lineChanged.run();
        }
    }
}

package microlith.kernel.arch;

import microlith.module.api.Errno;

/**
 * Interrupt lines drivers have claimed (request_irq): what to do when the line fires
 * (call the handler through its address, or notify a server), and a count for
 * /proc/interrupts. Lines 0 (timer) and 2 (cascade) belong to the kernel.
 */
public final class IrqTable {
    /** What a claimed line does when it fires; true if the device was this driver's. */
    @FunctionalInterface
    public interface Action {
        boolean handle(int irq);
    }

    private final Pic pic;
    private final Action[] action = new Action[16];
    private final String[] name = new String[16];
    private final long[] count = new long[16];
    /** Where a ring-0 driver's handler pointer lives in kernel memory (its irqaction), 0 for none. */
    private final long[] handlerSlot = new long[16];

    public IrqTable(Pic pic) {
        this.pic = pic;
    }

    public int request(int irq, Action a, String devName) {
        return request(irq, a, devName, 0);
    }

    /** request_irq of a ring-0 driver whose handler's address is read from slot at each interrupt. */
    public int request(int irq, Action a, String devName, long slot) {
        if (irq < 0 || irq > 15) {
            return -Errno.EINVAL;
        }
        if (irq == 0 || irq == 2 || action[irq] != null) {
            return -Errno.EBUSY;
        }
        action[irq] = a;
        name[irq] = devName;
        handlerSlot[irq] = slot;
        pic.setMasked(irq, false);
        return 0;
    }

    public void free(int irq) {
        if (irq >= 0 && irq < 16 && action[irq] != null) {
            pic.setMasked(irq, true);
            action[irq] = null;
            name[irq] = null;
            handlerSlot[irq] = 0;
        }
    }

    /** Who holds a line: the kernel's own (0, 2), a driver's name, or null when free. */
    public String holder(int irq) {
        if (irq == 0 || irq == 2) {
            return irq == 0 ? "timer" : "cascade";
        }
        return irq > 0 && irq < 16 ? name[irq] : null;
    }

    /** Called from the IRQ entry for a driver line; true if a handler claimed it. */
    public boolean handle(int irq) {
        Action a = action[irq];
        if (a == null) {
            return false;
        }
        count[irq]++;
        return a.handle(irq);
    }

    /** The kernel address a ring-0 driver's handler pointer for irq is read from; 0 if none. */
    public long handlerSlot(int irq) {
        return irq >= 0 && irq < 16 ? handlerSlot[irq] : 0;
    }

    /** How often a driver's line has fired (the timer's and the cascade's count elsewhere). */
    public long count(int irq) {
        return count[irq];
    }

    /** /proc/interrupts lines for driver IRQs. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (action[i] != null) {
                sb.append(String.format("%3d: %10d   XT-PIC  %s%n", i, count[i], name[i]));
            }
        }
        return sb.toString();
    }
}

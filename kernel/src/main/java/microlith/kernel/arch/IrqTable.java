package microlith.kernel.arch;

import microlith.kernel.Kernel;
import microlith.kernel.syscall.Errno;

/**
 * Interrupt lines drivers have claimed (request_irq): the handler's address, called
 * through it from the IRQ entry with the line number, and a count for /proc/interrupts.
 * Lines 0 (timer), 2 (cascade) and 4 (console) belong to the kernel.
 */
public final class IrqTable {
    private final Kernel k;
    private final long[] handler = new long[16];
    private final String[] name = new String[16];
    private final long[] count = new long[16];

    public IrqTable(Kernel k) {
        this.k = k;
    }

    public int request(int irq, long fn, String devName) {
        if (irq < 0 || irq > 15 || irq == 0 || irq == 2 || irq == 4) {
            return irq == 0 || irq == 2 || irq == 4 ? -Errno.EBUSY : -Errno.EINVAL;
        }
        if (handler[irq] != 0) {
            return -Errno.EBUSY;
        }
        handler[irq] = fn;
        name[irq] = devName;
        setMasked(irq, false);
        return 0;
    }

    public void free(int irq) {
        if (irq >= 0 && irq < 16 && handler[irq] != 0) {
            setMasked(irq, true);
            handler[irq] = 0;
            name[irq] = null;
        }
    }

    /** 8259 IMR: master 0x21 for lines 0-7, slave 0xA1 for 8-15. */
    private void setMasked(int irq, boolean masked) {
        int port = irq < 8 ? 0x21 : 0xA1;
        int bit = 1 << (irq & 7);
        int imr = k.cpu.in(port, 1);
        k.cpu.out(port, 1, masked ? imr | bit : imr & ~bit);
    }

    /** Called from the IRQ entry for a driver line; true if a handler claimed it. */
    public boolean handle(int irq) {
        long fn = handler[irq];
        if (fn == 0) {
            return false;
        }
        count[irq]++;
        return k.modules.callPointer(fn, irq, 0, 0) == 1;
    }

    /** /proc/interrupts lines for driver IRQs. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (handler[i] != 0) {
                sb.append(String.format("%3d: %10d   XT-PIC  %s%n", i, count[i], name[i]));
            }
        }
        return sb.toString();
    }
}

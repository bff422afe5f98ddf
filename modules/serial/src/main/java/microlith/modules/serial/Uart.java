package microlith.modules.serial;

import microlith.module.api.ModuleContext;

/**
 * One 16550 UART, programmed through its eight ports (National Semiconductor PC16550D):
 *
 * <pre>
 * base+0  RBR (read) / THR (write); with LCR.DLAB: divisor latch low
 * base+1  IER: bit 0 received-data interrupt, bit 3 modem-status interrupt; with LCR.DLAB:
 *         divisor latch high
 * base+2  FCR (write): FIFO enable and resets
 * base+3  LCR: word length, parity, stop bits; bit 7 DLAB
 * base+4  MCR: DTR, RTS, OUT2 (OUT2 gates the interrupt line on a PC)
 * base+5  LSR: bit 0 DR (data ready), bit 5 THRE
 * base+6  MSR: bit 3 DDCD (carrier changed; reading clears it), bit 7 DCD (carrier)
 * </pre>
 */
final class Uart {
    private static final int RBR = 0, THR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6;
    private static final int IER_RX = 0x01, IER_MODEM = 0x08;
    private static final int MSR_DDCD = 0x08, MSR_DCD = 0x80;

    private final ModuleContext ctx;
    final int base;

    Uart(ModuleContext ctx, int base) {
        this.ctx = ctx;
        this.base = base;
    }

    /**
     * 115200 baud (divisor 1), 8N1, FIFOs on, DTR/RTS/OUT2; interrupts on received data
     * and on modem-status changes (the carrier dropping is how the host's end of input
     * reaches a port without a line discipline).
     */
    void init() {
        ctx.outb(0x80, base + LCR);
        ctx.outb(1, base + RBR);
        ctx.outb(0, base + IER);
        ctx.outb(0x03, base + LCR);
        ctx.outb(0x07, base + FCR);
        ctx.outb(0x0B, base + MCR);
        ctx.outb(IER_RX | IER_MODEM, base + IER);
    }

    /** Turns the received-data interrupt off while the driver has no room, and on again. */
    void setReceiveInterrupt(boolean on) {
        ctx.outb((on ? IER_RX : 0) | IER_MODEM, base + IER);
    }

    boolean carrier() {
        return (ctx.inb(base + MSR) & MSR_DCD) != 0;
    }

    /** Whether the carrier changed since the last look (reading MSR acknowledges the interrupt). */
    boolean carrierChanged() {
        return (ctx.inb(base + MSR) & MSR_DDCD) != 0;
    }

    /** Receive interrupt off, as on shutdown. */
    void quiesce() {
        ctx.outb(0, base + IER);
    }

    boolean dataReady() {
        return (ctx.inb(base + LSR) & 1) != 0;
    }

    int receive() {
        return ctx.inb(base + RBR) & 0xff;
    }

    void transmit(int b) {
        ctx.outb(b & 0xff, base + THR);
    }
}

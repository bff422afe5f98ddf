package microlith.modules.serial;

import microlith.module.api.ModuleContext;

/**
 * One 16550 UART, programmed through its eight ports (National Semiconductor PC16550D):
 *
 * <pre>
 * base+0  RBR (read) / THR (write); with LCR.DLAB: divisor latch low
 * base+1  IER: bit 0 received-data interrupt; with LCR.DLAB: divisor latch high
 * base+2  FCR (write): FIFO enable and resets
 * base+3  LCR: word length, parity, stop bits; bit 7 DLAB
 * base+4  MCR: DTR, RTS, OUT2 (OUT2 gates the interrupt line on a PC)
 * base+5  LSR: bit 0 DR (data ready), bit 5 THRE
 * </pre>
 */
final class Uart {
    private static final int RBR = 0, THR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5;

    private final ModuleContext ctx;
    final int base;

    Uart(ModuleContext ctx, int base) {
        this.ctx = ctx;
        this.base = base;
    }

    /** 115200 baud (divisor 1), 8N1, FIFOs on, DTR/RTS/OUT2, receive interrupt on. */
    void init() {
        ctx.outb(0x80, base + LCR);
        ctx.outb(1, base + RBR);
        ctx.outb(0, base + IER);
        ctx.outb(0x03, base + LCR);
        ctx.outb(0x07, base + FCR);
        ctx.outb(0x0B, base + MCR);
        ctx.outb(0x01, base + IER);
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

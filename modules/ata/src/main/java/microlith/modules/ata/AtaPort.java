package microlith.modules.ata;

import microlith.module.api.ModuleContext;

/**
 * The primary ATA channel at the register level, as Linux's libata-sff drives a PATA
 * port: device selection, taskfile loading, software reset and status polling, with
 * master only ("ata1.00"). The kernel runs each system call to completion with
 * interrupts off, so completion is found by polling Alternate Status (which leaves the
 * device's interrupt pending); the interrupt handler acknowledges it later by reading
 * Status.
 */
final class AtaPort {
    static final int CMD = 0x1F0, CMD_PORTS = 8;
    static final int CTL = 0x3F6, CTL_PORTS = 1;
    static final int IRQ = 14;

    static final int DATA = CMD, ERROR = CMD + 1, NSECT = CMD + 2, LBAL = CMD + 3, LBAM = CMD + 4,
        LBAH = CMD + 5, DEVICE = CMD + 6, STATUS = CMD + 7, COMMAND = CMD + 7;

    static final int BSY = 0x80, DRDY = 0x40, DF = 0x20, DRQ = 0x08, ERR = 0x01;
    static final int ABRT = 0x04;
    static final int SRST = 0x04, NIEN = 0x02;
    /** Device register: bits 7 and 5 are obsolete ones, bit 6 selects LBA addressing, bit 4 clear = master. */
    static final int DEVICE_OBS = 0xA0, DEVICE_LBA = 0x40;

    static final int IDENTIFY_DEVICE = 0xEC;
    static final int READ_SECTORS = 0x20, READ_SECTORS_EXT = 0x24;
    static final int WRITE_SECTORS = 0x30, WRITE_SECTORS_EXT = 0x34;
    static final int FLUSH_CACHE = 0xE7, FLUSH_CACHE_EXT = 0xEA;

    /**
     * How many Alternate Status reads a wait may take. The simulated disk answers at once;
     * the bound only keeps a wedged device from hanging the kernel.
     */
    static final int POLL_LIMIT = 100_000;
    /** Returned by the waits when the bound ran out. */
    static final int TIMEOUT = -1;

    private final ModuleContext ctx;
    private final AtaState state;

    AtaPort(ModuleContext ctx, AtaState state) {
        this.ctx = ctx;
        this.state = state;
    }

    int altStatus() {
        return ctx.inb(CTL);
    }

    int error() {
        return ctx.inb(ERROR);
    }

    /**
     * ata_devchk: whether anything holds the master's taskfile registers. Patterns written
     * to Sector Count and LBA Low read back only if a device latches them; an empty
     * channel floats at all ones.
     */
    boolean deviceResponds() {
        ctx.outb(DEVICE_OBS, DEVICE);
        ctx.outb(0x55, NSECT);
        ctx.outb(0xaa, LBAL);
        ctx.outb(0xaa, NSECT);
        ctx.outb(0x55, LBAL);
        ctx.outb(0x55, NSECT);
        ctx.outb(0xaa, LBAL);
        return ctx.inb(NSECT) == 0x55 && ctx.inb(LBAL) == 0xaa;
    }

    /**
     * ata_bus_softreset: pulses SRST with interrupts enabled (nIEN clear), waits for the
     * master to finish, and returns its signature as LBA High:Mid (0x0000 for an ATA disk,
     * 0xEB14 for ATAPI), or {@link #TIMEOUT}.
     */
    int softReset() {
        ctx.outb(0, CTL);
        ctx.outb(SRST, CTL);
        ctx.outb(0, CTL);
        state.setFlag(AtaState.AWAITING_IRQ, false);
        ctx.outb(DEVICE_OBS, DEVICE);
        if (waitNotBusy() == TIMEOUT) {
            return TIMEOUT;
        }
        return ctx.inb(LBAH) << 8 | ctx.inb(LBAM);
    }

    /** Polls until BSY clears; the status, or {@link #TIMEOUT}. */
    int waitNotBusy() {
        for (int i = 0; i < POLL_LIMIT; i++) {
            int st = altStatus();
            if ((st & BSY) == 0) {
                return st;
            }
        }
        return TIMEOUT;
    }

    /** Polls until the device asks for data (DRQ) or reports an error; the status, or {@link #TIMEOUT}. */
    int waitDrq() {
        for (int i = 0; i < POLL_LIMIT; i++) {
            int st = altStatus();
            if ((st & BSY) == 0 && (st & (DRQ | ERR | DF)) != 0) {
                return st;
            }
        }
        return TIMEOUT;
    }

    /**
     * Loads the taskfile and writes the command. A 48-bit command writes each register
     * twice, high-order byte first, so that the device's "previous" slot holds it.
     * Returns 0, or {@link #TIMEOUT} if the device never became idle to accept it.
     */
    int issue(int command, long lba, int count, boolean lba48) {
        int st = waitNotBusy();
        if (st == TIMEOUT || (st & DRQ) != 0) {
            return TIMEOUT;
        }
        if (lba48) {
            ctx.outb(DEVICE_LBA, DEVICE);
            ctx.outb(count >>> 8 & 0xff, NSECT);
            ctx.outb((int) (lba >>> 24) & 0xff, LBAL);
            ctx.outb((int) (lba >>> 32) & 0xff, LBAM);
            ctx.outb((int) (lba >>> 40) & 0xff, LBAH);
        } else {
            ctx.outb(DEVICE_OBS | DEVICE_LBA | (int) (lba >>> 24) & 0x0f, DEVICE);
        }
        ctx.outb(count & 0xff, NSECT);
        ctx.outb((int) lba & 0xff, LBAL);
        ctx.outb((int) (lba >>> 8) & 0xff, LBAM);
        ctx.outb((int) (lba >>> 16) & 0xff, LBAH);
        ctx.outb(command, COMMAND);
        state.setFlag(AtaState.AWAITING_IRQ, true);
        altStatus(); // ata_sff_pause: the 400 ns before Status is valid
        return 0;
    }

    /** A command without an address (IDENTIFY DEVICE, FLUSH CACHE): selects the master and writes it. */
    int issue(int command) {
        int st = waitNotBusy();
        if (st == TIMEOUT || (st & DRQ) != 0) {
            return TIMEOUT;
        }
        ctx.outb(DEVICE_OBS, DEVICE);
        ctx.outb(command, COMMAND);
        state.setFlag(AtaState.AWAITING_IRQ, true);
        altStatus();
        return 0;
    }

    /** One sector from the data register: 256 words, each stored little-endian. */
    void readSector(byte[] buf, int off) {
        for (int i = 0; i < 512; i += 2) {
            int w = ctx.inw(DATA);
            buf[off + i] = (byte) w;
            buf[off + i + 1] = (byte) (w >>> 8);
        }
    }

    void writeSector(byte[] buf, int off) {
        for (int i = 0; i < 512; i += 2) {
            ctx.outw((buf[off + i] & 0xff) | (buf[off + i + 1] & 0xff) << 8, DATA);
        }
    }

    /**
     * ata_sff_freeze: masks INTRQ with nIEN and reads Status to drop a pending interrupt,
     * so that nothing is left asserted once the handler is gone.
     */
    void freeze() {
        ctx.outb(NIEN, CTL);
        ctx.inb(STATUS);
        state.setFlag(AtaState.AWAITING_IRQ, false);
    }

    /**
     * The interrupt half: if a command of ours may have interrupted and the device is no
     * longer busy, reading Status acknowledges it (drops INTRQ). False if the interrupt
     * cannot be ours.
     */
    boolean acknowledgeInterrupt() {
        if (!state.flag(AtaState.AWAITING_IRQ) || (altStatus() & BSY) != 0) {
            return false;
        }
        ctx.inb(STATUS);
        state.setFlag(AtaState.AWAITING_IRQ, false);
        return true;
    }
}

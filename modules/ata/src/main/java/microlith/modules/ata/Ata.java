package microlith.modules.ata;

import microlith.module.api.Errno;
import microlith.module.api.IrqHandler;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;

/**
 * The ata module: claims the primary channel's ports and IRQ 14, resets the channel,
 * identifies the master disk and registers it as /dev/hda; /proc/ata counts its work.
 * With no disk on the channel the load fails with ENODEV and nothing stays claimed.
 */
public final class Ata implements KernelModule {
    private static final String NAME = "ata";
    private static final String DISK = "hda";

    private AtaState state;
    private AtaPort port;
    private AtaId id;
    private AtaDisk disk;

    @Override
    public int init(ModuleContext ctx) {
        if (!ctx.requestRegion(AtaPort.CMD, AtaPort.CMD_PORTS, NAME)) {
            ctx.printk(ModuleContext.ERR, "ata1: I/O ports 0x1f0-0x1f7 already in use");
            return -Errno.EBUSY;
        }
        if (!ctx.requestRegion(AtaPort.CTL, AtaPort.CTL_PORTS, NAME)) {
            ctx.releaseRegion(AtaPort.CMD, AtaPort.CMD_PORTS);
            ctx.printk(ModuleContext.ERR, "ata1: I/O port 0x3f6 already in use");
            return -Errno.EBUSY;
        }
        state = AtaState.allocate(ctx);
        if (state == null) {
            releasePorts(ctx);
            ctx.printk(ModuleContext.ERR, "ata1: out of memory for the port's state");
            return -Errno.ENOMEM;
        }
        port = new AtaPort(ctx, state);
        int err = ctx.requestIrq(AtaPort.IRQ, this::interrupt, NAME);
        if (err < 0) {
            releasePorts(ctx);
            state.free();
            ctx.printk(ModuleContext.ERR, "ata1: cannot get IRQ %d (%d)", AtaPort.IRQ, err);
            return err;
        }
        ctx.printk(ModuleContext.INFO, "ata1: PATA max PIO4 cmd 0x%x ctl 0x%x irq %d", AtaPort.CMD, AtaPort.CTL, AtaPort.IRQ);
        err = probe(ctx);
        if (err == 0) {
            long sectors = id.sectors();
            ctx.printk(ModuleContext.INFO, "ata1.00: ATA-%d: %s, %s, max %s", id.majorVersion(), id.model(),
                id.firmware(), id.maxMode());
            ctx.printk(ModuleContext.INFO, "ata1.00: %d sectors, multi 0: %s", sectors, id.hasLba48() ? "LBA48" : "LBA");
            ctx.printk(ModuleContext.INFO, "%s: %d sectors (%d MB)", DISK, sectors, sectors * 512 / 1_000_000);
            disk = new AtaDisk(ctx, port, state, DISK, id);
            err = ctx.registerBlockDevice(DISK, disk);
            if (err == 0) {
                err = ctx.procCreate(NAME, this::show);
                if (err < 0) {
                    ctx.unregisterBlockDevice(DISK);
                }
            }
        }
        if (err < 0) {
            release(ctx);
        }
        return err;
    }

    /** Finds the master: a device that latches registers, an ATA signature after reset, IDENTIFY data. */
    private int probe(ModuleContext ctx) {
        if (!port.deviceResponds()) {
            return noDrive(ctx);
        }
        int signature = port.softReset();
        if (signature == AtaPort.TIMEOUT) {
            ctx.printk(ModuleContext.ERR, "ata1: SRST failed: device stays busy");
            return -Errno.EIO;
        }
        if (signature == 0xEB14) {
            ctx.printk(ModuleContext.WARNING, "ata1.00: ATAPI device, not supported");
            return -Errno.ENODEV;
        }
        if (signature != 0 || port.issue(AtaPort.IDENTIFY_DEVICE) == AtaPort.TIMEOUT || port.altStatus() == 0) {
            return noDrive(ctx);
        }
        int st = port.waitDrq();
        if (st == AtaPort.TIMEOUT || (st & (AtaPort.ERR | AtaPort.DF)) != 0) {
            ctx.printk(ModuleContext.ERR, "ata1.00: IDENTIFY DEVICE failed (status 0x%02x, error 0x%02x)",
                port.altStatus(), port.error());
            return -Errno.EIO;
        }
        byte[] block = new byte[512];
        port.readSector(block, 0);
        port.waitNotBusy();
        id = new AtaId(block);
        if (!id.hasLba()) {
            ctx.printk(ModuleContext.ERR, "ata1.00: %s: no LBA support, not supported", id.model());
            return -Errno.ENODEV;
        }
        return 0;
    }

    private static int noDrive(ModuleContext ctx) {
        ctx.printk(ModuleContext.INFO, "ata: no drive on primary channel");
        return -Errno.ENODEV;
    }

    /** IRQ 14: the device finished a command the driver has already polled to its end. */
    private int interrupt(int irq) {
        if (!port.acknowledgeInterrupt()) {
            return IrqHandler.IRQ_NONE;
        }
        state.count(AtaState.IRQS);
        return IrqHandler.IRQ_HANDLED;
    }

    private void show(StringBuilder out) {
        out.append("model: ").append(id.model()).append('\n');
        out.append("sectors: ").append(state.get(AtaState.N_SECTORS)).append('\n');
        out.append("irqs: ").append(state.get(AtaState.IRQS)).append('\n');
        out.append("reads: ").append(state.get(AtaState.READS)).append('\n');
        out.append("writes: ").append(state.get(AtaState.WRITES)).append('\n');
        out.append("flushes: ").append(state.get(AtaState.FLUSHES)).append('\n');
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.procRemove(NAME);
        ctx.unregisterBlockDevice(DISK);
        disk.flush(); // what sd does at shutdown: nothing written stays in a drive cache
        release(ctx);
    }

    private void release(ModuleContext ctx) {
        port.freeze();
        ctx.freeIrq(AtaPort.IRQ);
        releasePorts(ctx);
        state.free();
    }

    private static void releasePorts(ModuleContext ctx) {
        ctx.releaseRegion(AtaPort.CTL, AtaPort.CTL_PORTS);
        ctx.releaseRegion(AtaPort.CMD, AtaPort.CMD_PORTS);
    }
}

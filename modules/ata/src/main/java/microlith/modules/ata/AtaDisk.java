package microlith.modules.ata;

import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.ModuleContext;

/**
 * The master disk as a block device: each request becomes PIO READ/WRITE SECTORS commands
 * of at most 256 sectors, in their 48-bit EXT form only when the address needs it (as
 * libata's lba_28_ok decides). Every failure is logged and returned as -EIO.
 */
final class AtaDisk implements BlockDevice {
    private static final int MAX_SECTORS_PER_COMMAND = 256;
    private static final long LBA28_END = 1L << 28;

    private final ModuleContext ctx;
    private final AtaPort port;
    private final AtaState state;
    private final String name;

    AtaDisk(ModuleContext ctx, AtaPort port, AtaState state, String name, AtaId id) {
        this.ctx = ctx;
        this.port = port;
        this.state = state;
        this.name = name;
        state.setSectors(id.sectors());
        state.setFlag(AtaState.FLUSH_EXT, id.hasFlushExt());
    }

    @Override
    public long sectors() {
        return state.get(AtaState.N_SECTORS);
    }

    @Override
    public int read(long lba, int count, byte[] buf, int off) {
        return transfer(false, lba, count, buf, off);
    }

    @Override
    public int write(long lba, int count, byte[] buf, int off) {
        return transfer(true, lba, count, buf, off);
    }

    @Override
    public int flush() {
        boolean flushExt = state.flag(AtaState.FLUSH_EXT);
        String what = flushExt ? "FLUSH CACHE EXT" : "FLUSH CACHE";
        if (port.issue(flushExt ? AtaPort.FLUSH_CACHE_EXT : AtaPort.FLUSH_CACHE) == AtaPort.TIMEOUT) {
            return notReady(what);
        }
        int st = port.waitNotBusy();
        if (st == AtaPort.TIMEOUT || (st & (AtaPort.ERR | AtaPort.DF)) != 0) {
            return failed(what, st);
        }
        state.count(AtaState.FLUSHES);
        return 0;
    }

    private int transfer(boolean write, long lba, int count, byte[] buf, int off) {
        if (count < 0 || off < 0 || (long) off + (long) count * SECTOR_SIZE > buf.length) {
            return -Errno.EINVAL;
        }
        long sectors = sectors();
        if (lba < 0 || lba + count > sectors) {
            ctx.printk(ModuleContext.ERR, "%s: attempt to access beyond end of device (sector %d + %d > %d)",
                name, lba, count, sectors);
            return -Errno.EIO;
        }
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, MAX_SECTORS_PER_COMMAND);
            int err = pio(write, lba + done, n, buf, off + done * SECTOR_SIZE);
            if (err < 0) {
                return err;
            }
            done += n;
        }
        state.count(write ? AtaState.WRITES : AtaState.READS);
        return count;
    }

    /**
     * One PIO data-in or data-out command: for each sector wait for DRQ and move 256
     * words, then wait for the device to go idle with no error and no data left over.
     * A 28-bit address reaches sector 2^28 - 2; beyond that only the EXT form can, and
     * only a disk with the 48-bit feature set reports a capacity that goes there.
     */
    private int pio(boolean write, long lba, int n, byte[] buf, int off) {
        boolean ext = lba + n >= LBA28_END;
        int cmd = write ? (ext ? AtaPort.WRITE_SECTORS_EXT : AtaPort.WRITE_SECTORS)
            : (ext ? AtaPort.READ_SECTORS_EXT : AtaPort.READ_SECTORS);
        if (port.issue(cmd, lba, n, ext) == AtaPort.TIMEOUT) {
            return notReady(describe(write, ext, lba));
        }
        for (int s = 0; s < n; s++) {
            int st = port.waitDrq();
            if (st == AtaPort.TIMEOUT || (st & (AtaPort.ERR | AtaPort.DF)) != 0) {
                return failed(describe(write, ext, lba + s), st);
            }
            if (write) {
                port.writeSector(buf, off + s * SECTOR_SIZE);
            } else {
                port.readSector(buf, off + s * SECTOR_SIZE);
            }
        }
        int st = port.waitNotBusy();
        if (st == AtaPort.TIMEOUT || (st & (AtaPort.ERR | AtaPort.DF | AtaPort.DRQ)) != 0) {
            return failed(describe(write, ext, lba), st);
        }
        return 0;
    }

    private static String describe(boolean write, boolean ext, long lba) {
        return (write ? "WRITE SECTORS" : "READ SECTORS") + (ext ? " EXT" : "") + " at sector " + lba;
    }

    private int notReady(String what) {
        ctx.printk(ModuleContext.ERR, "ata1.00: %s: device not ready (status 0x%02x)", what, port.altStatus());
        return -Errno.EIO;
    }

    private int failed(String what, int status) {
        if (status == AtaPort.TIMEOUT) {
            ctx.printk(ModuleContext.ERR, "ata1.00: %s: timeout (status 0x%02x)", what, port.altStatus());
        } else {
            ctx.printk(ModuleContext.ERR, "ata1.00: %s failed: status 0x%02x error 0x%02x", what, status, port.error());
        }
        return -Errno.EIO;
    }
}

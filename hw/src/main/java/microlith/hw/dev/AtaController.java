package microlith.hw.dev;

import java.io.IOException;
import microlith.hw.io.PortDevice;

/**
 * The primary ATA channel with one master disk and no slave, programmed by PIO through
 * the ATA/ATAPI-6 register model:
 *
 * <pre>
 * port   read                    write
 * 0x1F0  Data (16 or 32 bits)    Data
 * 0x1F1  Error                   Features
 * 0x1F2  Sector Count            Sector Count
 * 0x1F3  LBA Low                 LBA Low
 * 0x1F4  LBA Mid                 LBA Mid
 * 0x1F5  LBA High                LBA High
 * 0x1F6  Device                  Device: 0x40 LBA, 0x10 DEV, bits 3-0 LBA 27:24 (or head)
 * 0x1F7  Status                  Command
 * 0x3F6  Alternate Status        Device Control: 0x80 HOB, 0x04 SRST, 0x02 nIEN
 * </pre>
 *
 * The medium answers at once, so BSY is seen only while SRST is held; every other command
 * goes straight to its data phase or its end. Sector Count and the LBA registers are two
 * deep, as the 48-bit feature set requires: a write pushes the old value into the
 * "previous" slot that EXT commands use as the high-order byte and that reads return while
 * HOB is set. INTRQ follows the standard: raised at each PIO data-in block, at each data-out
 * block after the first and at the end of data-out and non-data commands; cleared by
 * reading Status, writing Command, or SRST; driven only while the master is selected and
 * nIEN is clear.
 */
public final class AtaController implements PortDevice {
    public static final int CMD_BASE = 0x1F0;
    public static final int CTL_PORT = 0x3F6;

    public static final int BSY = 0x80, DRDY = 0x40, DF = 0x20, DRQ = 0x08, ERR = 0x01;
    public static final int UNC = 0x40, IDNF = 0x10, ABRT = 0x04;
    public static final int HOB = 0x80, SRST = 0x04, NIEN = 0x02;
    public static final int LBA = 0x40, DEV = 0x10;

    public static final int IDENTIFY_DEVICE = 0xEC;
    public static final int READ_SECTORS = 0x20, READ_SECTORS_EXT = 0x24;
    public static final int WRITE_SECTORS = 0x30, WRITE_SECTORS_EXT = 0x34;
    public static final int FLUSH_CACHE = 0xE7, FLUSH_CACHE_EXT = 0xEA;

    /** The interrupt line this controller drives. */
    public interface Intrq {
        void set(boolean level);
    }

    private enum Phase { NONE, DATA_IN, DATA_OUT }

    private final DiskImage disk;
    private final Intrq intrq;
    private final byte[] block = new byte[DiskImage.SECTOR_SIZE];
    private int blockPos;
    private Phase phase = Phase.NONE;
    private long nextLba;
    private long remaining;
    private boolean ext;

    private int status;
    private int error;
    private int nsect, lbal, lbam, lbah;
    private int prevNsect, prevLbal, prevLbam, prevLbah;
    private int device;
    private int control;
    private boolean pending;
    private boolean line;

    public AtaController(DiskImage disk, Intrq intrq) {
        this.disk = disk;
        this.intrq = intrq;
        completeReset();
    }

    /** Releases the host file behind the disk, once the machine has stopped. */
    public void close() throws java.io.IOException {
        disk.close();
    }

    public long sectors() {
        return disk.sectors();
    }

    /** Whether INTRQ is asserted now. */
    public boolean intrq() {
        return line;
    }

    private boolean slaveSelected() {
        return (device & DEV) != 0;
    }

    @Override
    public int in(int port, int size) {
        if (port == CTL_PORT) {
            return slaveSelected() ? 0 : status;
        }
        int reg = port - CMD_BASE;
        if (reg == 0) {
            return readData(size);
        }
        if (slaveSelected() && reg == 7) {
            return 0; // the absent device 1: device 0 answers its status with 00h
        }
        if ((status & BSY) != 0) {
            return status; // while busy every command block register reads as Status
        }
        boolean hob = (control & HOB) != 0;
        switch (reg) {
            case 1: return error;
            case 2: return hob ? prevNsect : nsect;
            case 3: return hob ? prevLbal : lbal;
            case 4: return hob ? prevLbam : lbam;
            case 5: return hob ? prevLbah : lbah;
            case 6: return device;
            default:
                pending = false;
                updateIntrq();
                return status;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == CTL_PORT) {
            writeControl(value & 0xff);
            return;
        }
        int reg = port - CMD_BASE;
        if (reg == 0) {
            writeData(size, value);
            return;
        }
        if ((status & BSY) != 0) {
            return;
        }
        value &= 0xff;
        control &= ~HOB;
        switch (reg) {
            case 1:
                return; // Features: no command implemented here takes one
            case 2: prevNsect = nsect; nsect = value; return;
            case 3: prevLbal = lbal; lbal = value; return;
            case 4: prevLbam = lbam; lbam = value; return;
            case 5: prevLbah = lbah; lbah = value; return;
            case 6:
                device = value;
                updateIntrq();
                return;
            default:
                if (!slaveSelected()) {
                    execute(value);
                }
        }
    }

    private void writeControl(int value) {
        boolean wasReset = (control & SRST) != 0;
        control = value & (HOB | SRST | NIEN);
        if ((control & SRST) != 0) {
            phase = Phase.NONE;
            pending = false;
            status = BSY;
        } else if (wasReset) {
            completeReset();
        }
        updateIntrq();
    }

    /** The end of a reset: the ATA signature in the task file and diagnostic code 01h. */
    private void completeReset() {
        phase = Phase.NONE;
        pending = false;
        status = DRDY;
        error = 0x01;
        nsect = 1;
        lbal = 1;
        lbam = 0;
        lbah = 0;
        device = 0;
    }

    private void execute(int command) {
        pending = false;
        phase = Phase.NONE;
        error = 0;
        switch (command) {
            case IDENTIFY_DEVICE: {
                short[] words = AtaIdentifyData.build(disk.sectors());
                for (int i = 0; i < words.length; i++) {
                    block[2 * i] = (byte) words[i];
                    block[2 * i + 1] = (byte) (words[i] >>> 8);
                }
                remaining = 1;
                startBlock(Phase.DATA_IN);
                raise();
                return;
            }
            case READ_SECTORS:
            case READ_SECTORS_EXT:
                if (setRange(command == READ_SECTORS_EXT) && loadSector()) {
                    startBlock(Phase.DATA_IN);
                    raise();
                }
                return;
            case WRITE_SECTORS:
            case WRITE_SECTORS_EXT:
                if (setRange(command == WRITE_SECTORS_EXT)) {
                    startBlock(Phase.DATA_OUT); // no interrupt before the first block
                }
                return;
            case FLUSH_CACHE:
            case FLUSH_CACHE_EXT:
                try {
                    disk.flush();
                    status = DRDY;
                } catch (IOException e) {
                    fail(DF | ERR, ABRT);
                }
                raise();
                return;
            default:
                fail(ERR, ABRT);
                raise();
        }
    }

    /**
     * Decodes the address and count of a READ/WRITE SECTORS (EXT) command into nextLba and
     * remaining; false, with IDNF reported, if any of the sectors does not exist.
     */
    private boolean setRange(boolean ext48) {
        ext = ext48;
        long lba;
        long limit;
        if (ext) {
            lba = (long) prevLbah << 40 | (long) prevLbam << 32 | (long) prevLbal << 24 | lbah << 16 | lbam << 8 | lbal;
            int count = prevNsect << 8 | nsect;
            remaining = count == 0 ? 65536 : count;
            limit = disk.sectors();
        } else {
            remaining = nsect == 0 ? 256 : nsect;
            limit = Math.min(disk.sectors(), AtaIdentifyData.LBA28_LIMIT - 1);
            if ((device & LBA) != 0) {
                lba = (long) (device & 0x0f) << 24 | lbah << 16 | lbam << 8 | lbal;
            } else {
                lba = chsToLba();
            }
        }
        if (lba < 0 || lba + remaining > limit) {
            if (lba >= 0) {
                reportAddress(Math.max(lba, limit)); // the first sector that does not exist
            }
            fail(ERR, IDNF);
            raise();
            return false;
        }
        nextLba = lba;
        return true;
    }

    /** CHS in the default translation (Cylinder in LBA High:Mid, head in Device, sector in LBA Low); -1 if invalid. */
    private long chsToLba() {
        int cylinder = lbah << 8 | lbam;
        int head = device & 0x0f;
        int sector = lbal;
        if (sector == 0 || sector > AtaIdentifyData.SECTORS_PER_TRACK || head >= AtaIdentifyData.HEADS
            || cylinder >= AtaIdentifyData.cylinders(disk.sectors())) {
            return -1;
        }
        return ((long) cylinder * AtaIdentifyData.HEADS + head) * AtaIdentifyData.SECTORS_PER_TRACK + sector - 1;
    }

    /** Puts the address of the failing sector in the LBA registers, as the error outputs require. */
    private void reportAddress(long lba) {
        lbal = (int) lba & 0xff;
        lbam = (int) (lba >>> 8) & 0xff;
        lbah = (int) (lba >>> 16) & 0xff;
        if (ext) {
            prevLbal = (int) (lba >>> 24) & 0xff;
            prevLbam = (int) (lba >>> 32) & 0xff;
            prevLbah = (int) (lba >>> 40) & 0xff;
        } else {
            device = (device & 0xf0) | (int) (lba >>> 24) & 0x0f;
        }
    }

    private void fail(int statusBits, int errorBits) {
        phase = Phase.NONE;
        status = DRDY | statusBits;
        error = errorBits;
    }

    private void startBlock(Phase p) {
        phase = p;
        blockPos = 0;
        status = DRDY | DRQ;
    }

    /** Reads sector nextLba into the block buffer; false, with UNC reported, if the host file failed. */
    private boolean loadSector() {
        try {
            disk.read(nextLba, block);
            return true;
        } catch (IOException e) {
            reportAddress(nextLba);
            fail(ERR, UNC);
            raise();
            return false;
        }
    }

    private int readData(int size) {
        if (slaveSelected() || phase != Phase.DATA_IN) {
            return size == 1 ? 0xff : size == 2 ? 0xffff : -1; // nobody drives the bus
        }
        int v = nextWord();
        if (size == 4) {
            v |= (phase == Phase.DATA_IN ? nextWord() : 0xffff) << 16;
        }
        return size == 1 ? v & 0xff : v;
    }

    private int nextWord() {
        int v = (block[blockPos] & 0xff) | (block[blockPos + 1] & 0xff) << 8;
        blockPos += 2;
        if (blockPos == block.length) {
            endDataInBlock();
        }
        return v;
    }

    private void endDataInBlock() {
        nextLba++;
        if (--remaining == 0) {
            phase = Phase.NONE;
            status = DRDY; // a data-in command ends without an interrupt
        } else if (loadSector()) {
            startBlock(Phase.DATA_IN);
            raise();
        }
    }

    private void writeData(int size, int value) {
        if (slaveSelected() || phase != Phase.DATA_OUT) {
            return;
        }
        putWord(value & 0xffff);
        if (size == 4 && phase == Phase.DATA_OUT) {
            putWord(value >>> 16);
        }
    }

    private void putWord(int v) {
        block[blockPos] = (byte) v;
        block[blockPos + 1] = (byte) (v >>> 8);
        blockPos += 2;
        if (blockPos == block.length) {
            endDataOutBlock();
        }
    }

    private void endDataOutBlock() {
        try {
            disk.write(nextLba, block);
        } catch (IOException e) {
            reportAddress(nextLba);
            fail(DF | ERR, ABRT);
            raise();
            return;
        }
        nextLba++;
        if (--remaining == 0) {
            phase = Phase.NONE;
            status = DRDY;
        } else {
            startBlock(Phase.DATA_OUT);
        }
        raise();
    }

    private void raise() {
        pending = true;
        updateIntrq();
    }

    private void updateIntrq() {
        boolean level = pending && (control & NIEN) == 0 && !slaveSelected();
        if (level != line) {
            line = level;
            intrq.set(level);
        }
    }
}

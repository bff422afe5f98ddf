package microlith.hw.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import microlith.hw.Machine;
import microlith.hw.io.IoBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The primary ATA channel driven through the machine's port bus, as a PIO driver drives it. */
class AtaControllerTest {
    private static final int DATA = 0x1F0, ERROR = 0x1F1, NSECT = 0x1F2, LBAL = 0x1F3, LBAM = 0x1F4,
        LBAH = 0x1F5, DEVICE = 0x1F6, STATUS = 0x1F7, COMMAND = 0x1F7, ALTSTATUS = 0x3F6, DEVCTL = 0x3F6;
    private static final int SECTORS = 16384;

    @TempDir
    Path dir;
    private Path image;
    private Machine machine;
    private IoBus io;

    @BeforeEach
    void setUp() throws IOException {
        image = dir.resolve("disk.img");
        byte[] data = new byte[SECTORS * 512];
        for (int s = 0; s < SECTORS; s++) {
            data[s * 512] = (byte) s;
            data[s * 512 + 1] = (byte) (s >>> 8);
        }
        Files.write(image, data);
        machine = newMachine();
        io = machine.io();
    }

    private Machine newMachine() throws IOException {
        Machine m = new Machine(16 << 20, InputStream.nullInputStream(), OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        m.attachDisk(image);
        return m;
    }

    private int inb(int port) {
        return io.in(port, 1);
    }

    private void outb(int port, int value) {
        io.out(port, 1, value);
    }

    /** IRQ 14 as the slave 8259A sees it: bit 6 of its request register. */
    private boolean irq14() {
        return (io.in(0xA0, 1) & 0x40) != 0;
    }

    private void command28(int cmd, long lba, int count) {
        outb(DEVICE, 0xE0 | (int) (lba >>> 24) & 0x0f);
        outb(NSECT, count);
        outb(LBAL, (int) lba);
        outb(LBAM, (int) (lba >>> 8));
        outb(LBAH, (int) (lba >>> 16));
        outb(COMMAND, cmd);
    }

    private void command48(int cmd, long lba, int count) {
        outb(DEVICE, 0x40);
        outb(NSECT, count >>> 8);
        outb(LBAL, (int) (lba >>> 24));
        outb(LBAM, (int) (lba >>> 32));
        outb(LBAH, (int) (lba >>> 40));
        outb(NSECT, count);
        outb(LBAL, (int) lba);
        outb(LBAM, (int) (lba >>> 8));
        outb(LBAH, (int) (lba >>> 16));
        outb(COMMAND, cmd);
    }

    private byte[] readBlock() {
        assertThat(inb(ALTSTATUS)).as("status before a data-in block").isEqualTo(0x48);
        byte[] b = new byte[512];
        for (int i = 0; i < 512; i += 2) {
            int w = io.in(DATA, 2);
            b[i] = (byte) w;
            b[i + 1] = (byte) (w >>> 8);
        }
        return b;
    }

    private void writeBlock(byte[] b, int off) {
        assertThat(inb(ALTSTATUS)).as("status before a data-out block").isEqualTo(0x48);
        for (int i = 0; i < 512; i += 4) {
            // 32-bit transfers: two words per access, low word first.
            io.out(DATA, 4, (b[off + i] & 0xff) | (b[off + i + 1] & 0xff) << 8 | (b[off + i + 2] & 0xff) << 16
                | (b[off + i + 3] & 0xff) << 24);
        }
    }

    private static String ataString(int[] words, int from, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            sb.append((char) (words[i] >>> 8)).append((char) (words[i] & 0xff));
        }
        return sb.toString().strip();
    }

    @Test
    void identifyDevice() {
        outb(DEVICE, 0xA0);
        outb(COMMAND, AtaController.IDENTIFY_DEVICE);
        assertThat(inb(STATUS)).isEqualTo(0x48);
        int[] w = new int[256];
        int sum = 0;
        for (int i = 0; i < 256; i++) {
            w[i] = io.in(DATA, 2);
            sum += (w[i] & 0xff) + (w[i] >>> 8);
        }
        assertThat(inb(STATUS)).isEqualTo(0x40);
        assertThat(ataString(w, 27, 20)).isEqualTo("MICROLITH HARDDISK");
        assertThat(ataString(w, 23, 4)).isEqualTo("1.0");
        assertThat(ataString(w, 10, 10)).isNotEmpty();
        assertThat(w[60] | w[61] << 16).isEqualTo(SECTORS);
        assertThat(w[100] | (long) w[101] << 16 | (long) w[102] << 32 | (long) w[103] << 48).isEqualTo(SECTORS);
        assertThat(w[49] & 0x0200).as("LBA supported").isNotZero();
        assertThat(w[83] & 0x0400).as("48-bit addresses").isNotZero();
        assertThat(w[80]).as("ATA-6").isEqualTo(0x7E);
        assertThat(w[255] & 0xff).isEqualTo(0xA5);
        assertThat(sum & 0xff).as("checksum").isZero();
        assertThat(io.in(DATA, 2)).as("no data after the block").isEqualTo(0xffff);
    }

    @Test
    void readSectorsReturnsTheImage() {
        command28(AtaController.READ_SECTORS, 300, 3);
        for (int s = 300; s < 303; s++) {
            byte[] b = readBlock();
            assertThat((b[0] & 0xff) | (b[1] & 0xff) << 8).isEqualTo(s);
        }
        assertThat(inb(STATUS)).isEqualTo(0x40);
    }

    @Test
    void writeThenReadRoundTripsThroughTheFile() throws IOException {
        byte[] data = new byte[3 * 512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        command28(AtaController.WRITE_SECTORS, 1000, 3);
        for (int s = 0; s < 3; s++) {
            writeBlock(data, s * 512);
        }
        assertThat(inb(STATUS)).isEqualTo(0x40);
        byte[] file = Files.readAllBytes(image);
        assertThat(Arrays.copyOfRange(file, 1000 * 512, 1003 * 512)).isEqualTo(data);

        command28(AtaController.READ_SECTORS, 1000, 3);
        byte[] back = new byte[3 * 512];
        for (int s = 0; s < 3; s++) {
            System.arraycopy(readBlock(), 0, back, s * 512, 512);
        }
        assertThat(back).isEqualTo(data);
        outb(COMMAND, AtaController.FLUSH_CACHE);
        assertThat(inb(STATUS)).isEqualTo(0x40);
    }

    @Test
    void writesPersistAcrossANewControllerOnTheSameFile() throws IOException {
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 0x5A);
        command28(AtaController.WRITE_SECTORS, 42, 1);
        writeBlock(data, 0);
        assertThat(inb(STATUS)).isEqualTo(0x40);

        io = newMachine().io();
        command28(AtaController.READ_SECTORS, 42, 1);
        assertThat(readBlock()).isEqualTo(data);
    }

    @Test
    void lba48CommandsUseThePreviousRegisterContents() {
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 0xC3);
        command48(AtaController.WRITE_SECTORS_EXT, 16000, 1);
        writeBlock(data, 0);
        command48(AtaController.READ_SECTORS_EXT, 15999, 2);
        byte[] first = readBlock();
        assertThat((first[0] & 0xff) | (first[1] & 0xff) << 8).isEqualTo(15999);
        assertThat(readBlock()).isEqualTo(data);
        outb(COMMAND, AtaController.FLUSH_CACHE_EXT);
        assertThat(inb(STATUS)).isEqualTo(0x40);
    }

    @Test
    void hobReadsThePreviousValues() {
        outb(LBAL, 0x12);
        outb(LBAL, 0x34);
        assertThat(inb(LBAL)).isEqualTo(0x34);
        outb(DEVCTL, AtaController.HOB);
        assertThat(inb(LBAL)).isEqualTo(0x12);
        outb(NSECT, 9); // any command block write clears HOB
        assertThat(inb(LBAL)).isEqualTo(0x34);
    }

    @Test
    void sectorCountZeroMeans256() {
        command28(AtaController.READ_SECTORS, 0, 0);
        for (int s = 0; s < 256; s++) {
            byte[] b = readBlock();
            assertThat((b[0] & 0xff) | (b[1] & 0xff) << 8).isEqualTo(s);
        }
        assertThat(inb(STATUS)).isEqualTo(0x40);
    }

    @Test
    void chsAddressingUsesTheDefaultTranslation() {
        // Cylinder 1, head 2, sector 5 = (1 * 16 + 2) * 63 + 4.
        outb(DEVICE, 0xA2);
        outb(NSECT, 1);
        outb(LBAL, 5);
        outb(LBAM, 1);
        outb(LBAH, 0);
        outb(COMMAND, AtaController.READ_SECTORS);
        byte[] b = readBlock();
        assertThat((b[0] & 0xff) | (b[1] & 0xff) << 8).isEqualTo(18 * 63 + 4);
    }

    @Test
    void unknownCommandsAbort() {
        outb(DEVICE, 0xE0);
        outb(COMMAND, 0xC8); // READ DMA: no DMA here
        assertThat(inb(STATUS)).isEqualTo(0x41);
        assertThat(inb(ERROR)).isEqualTo(AtaController.ABRT);
    }

    @Test
    void outOfRangeAddressesReportIdnf() {
        command28(AtaController.READ_SECTORS, SECTORS - 1, 2);
        assertThat(inb(STATUS)).isEqualTo(0x41);
        assertThat(inb(ERROR)).isEqualTo(AtaController.IDNF);
        assertThat(inb(LBAL) | inb(LBAM) << 8 | inb(LBAH) << 16 | (inb(DEVICE) & 0x0f) << 24)
            .as("the first missing sector").isEqualTo(SECTORS);
        assertThat(io.in(DATA, 2)).isEqualTo(0xffff);

        command48(AtaController.WRITE_SECTORS_EXT, 1L << 40, 1);
        assertThat(inb(STATUS)).isEqualTo(0x41);
        assertThat(inb(ERROR)).isEqualTo(AtaController.IDNF);

        // A command after an error starts clean.
        command28(AtaController.READ_SECTORS, 0, 1);
        assertThat(inb(ERROR)).isZero();
        readBlock();
    }

    @Test
    void interruptRaisedOnCompletionAndClearedByStatus() {
        assertThat(irq14()).isFalse();
        command28(AtaController.WRITE_SECTORS, 7, 2);
        assertThat(irq14()).as("no interrupt before the first data-out block").isFalse();
        writeBlock(new byte[512], 0);
        assertThat(irq14()).as("second block requested").isTrue();
        assertThat(inb(ALTSTATUS)).isEqualTo(0x48);
        assertThat(irq14()).as("alternate status leaves it pending").isTrue();
        assertThat(inb(STATUS)).isEqualTo(0x48);
        assertThat(irq14()).as("status acknowledges").isFalse();
        writeBlock(new byte[512], 0);
        assertThat(irq14()).as("command complete").isTrue();
        inb(STATUS);
        assertThat(irq14()).isFalse();

        command28(AtaController.READ_SECTORS, 7, 1);
        assertThat(irq14()).as("data-in block ready").isTrue();
        outb(COMMAND, AtaController.FLUSH_CACHE);
        assertThat(inb(ALTSTATUS)).isEqualTo(0x40);
        assertThat(irq14()).as("the next command's completion").isTrue();
    }

    @Test
    void nienMasksTheLine() {
        outb(DEVCTL, AtaController.NIEN);
        command28(AtaController.READ_SECTORS, 0, 1);
        assertThat(irq14()).isFalse();
        outb(DEVCTL, 0);
        assertThat(irq14()).as("the pending interrupt shows once unmasked").isTrue();
        inb(STATUS);
        assertThat(irq14()).isFalse();
    }

    @Test
    void absentSlaveReadsStatusZeroAndIgnoresCommands() {
        command28(AtaController.READ_SECTORS, 0, 1);
        outb(DEVICE, 0xB0);
        assertThat(inb(STATUS)).isZero();
        assertThat(inb(ALTSTATUS)).isZero();
        assertThat(irq14()).as("only the selected device drives INTRQ").isFalse();
        outb(COMMAND, AtaController.IDENTIFY_DEVICE);
        assertThat(inb(STATUS)).isZero();
        outb(DEVICE, 0xA0);
        assertThat(irq14()).isTrue();
        assertThat(inb(STATUS)).as("the master's read is still in progress").isEqualTo(0x48);
    }

    @Test
    void softwareResetRestoresTheSignature() {
        command28(AtaController.READ_SECTORS, 5, 1);
        outb(DEVCTL, AtaController.SRST);
        assertThat(inb(ALTSTATUS)).isEqualTo(AtaController.BSY);
        assertThat(inb(LBAM)).as("busy: registers read as status").isEqualTo(AtaController.BSY);
        assertThat(irq14()).isFalse();
        outb(DEVCTL, 0);
        assertThat(inb(STATUS)).isEqualTo(0x40);
        assertThat(inb(ERROR)).as("diagnostic code: device 0 passed").isEqualTo(1);
        assertThat(new int[] {inb(NSECT), inb(LBAL), inb(LBAM), inb(LBAH), inb(DEVICE)})
            .containsExactly(1, 1, 0, 0, 0);
        assertThat(io.in(DATA, 2)).as("the transfer was abandoned").isEqualTo(0xffff);
    }

    @Test
    void unusableImagesAreRefusedWithOneLine() throws IOException {
        Path empty = dir.resolve("empty.img");
        Files.write(empty, new byte[100]);
        assertThatThrownBy(() -> DiskImage.open(dir.resolve("missing.img")))
            .hasMessageEndingWith("missing.img: No such file or directory");
        assertThatThrownBy(() -> DiskImage.open(dir)).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> DiskImage.open(empty)).hasMessageContaining("smaller than one 512-byte sector");
    }
}

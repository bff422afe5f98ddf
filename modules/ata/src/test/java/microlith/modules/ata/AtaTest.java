package microlith.modules.ata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import microlith.hw.dev.AtaController;
import microlith.hw.dev.DiskImage;
import microlith.hw.io.IoBus;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.IrqHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ata module against a real simulated controller, through a fake kernel. */
class AtaTest {
    private static final int SECTORS = 16384;

    @TempDir
    Path dir;
    private Path image;
    private AtaController controller;
    private FakeModuleContext ctx;
    private final Ata ata = new Ata();

    /** A bus with the controller on the primary channel's ports, backed by an image of the given size. */
    private FakeModuleContext withDisk(long sectors) throws IOException {
        image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(sectors * 512);
            f.seek(512 * 3);
            f.write("sector three".getBytes());
        }
        IoBus io = new IoBus();
        controller = new AtaController(DiskImage.open(image), level -> { });
        io.register(AtaController.CMD_BASE, AtaController.CMD_BASE + 7, controller);
        io.register(AtaController.CTL_PORT, AtaController.CTL_PORT, controller);
        ctx = new FakeModuleContext(io);
        return ctx;
    }

    private BlockDevice hda() {
        return ctx.blockDevices.get("hda");
    }

    /** What the kernel does once interrupts are enabled again: runs the handler while IRQ 14 is asserted. */
    private int deliverIrq() {
        return controller.intrq() ? ctx.irqs.get(14).handle(14) : IrqHandler.IRQ_NONE;
    }

    @Test
    void loadIdentifiesTheDiskAndRegistersHda() throws IOException {
        withDisk(SECTORS);
        assertThat(ata.init(ctx)).isZero();
        assertThat(ctx.log).containsExactly(
            "ata1: PATA max PIO4 cmd 0x1f0 ctl 0x3f6 irq 14",
            "ata1.00: ATA-6: MICROLITH HARDDISK, 1.0, max PIO4",
            "ata1.00: 16384 sectors, multi 0: LBA48",
            "hda: 16384 sectors (8 MB)");
        assertThat(ctx.regions).containsEntry(0x1F0, 8).containsEntry(0x3F6, 1);
        assertThat(ctx.irqs).containsKey(14);
        assertThat(hda().sectors()).isEqualTo(SECTORS);
        assertThat(ctx.proc("ata")).contains("model: MICROLITH HARDDISK\n", "sectors: 16384\n", "irqs: 0\n");
    }

    @Test
    void readsAndWritesReachTheImage() throws IOException {
        withDisk(SECTORS);
        ata.init(ctx);
        byte[] buf = new byte[2 * 512];
        assertThat(hda().read(2, 2, buf, 0)).isEqualTo(2);
        assertThat(new String(buf, 512, 12)).isEqualTo("sector three");

        // 300 sectors: two commands, 256 + 44.
        byte[] data = new byte[300 * 512 + 7];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + i / 512);
        }
        assertThat(hda().write(1000, 300, data, 7)).isEqualTo(300);
        byte[] file = Files.readAllBytes(image);
        assertThat(Arrays.copyOfRange(file, 1000 * 512, 1300 * 512)).isEqualTo(Arrays.copyOfRange(data, 7, data.length));
        byte[] back = new byte[300 * 512];
        assertThat(hda().read(1000, 300, back, 0)).isEqualTo(300);
        assertThat(back).isEqualTo(Arrays.copyOfRange(data, 7, data.length));
        assertThat(hda().flush()).isZero();
        assertThat(ctx.proc("ata")).contains("reads: 2\n", "writes: 1\n", "flushes: 1\n");
    }

    @Test
    void interruptsAreAcknowledgedAndCounted() throws IOException {
        withDisk(SECTORS);
        ata.init(ctx);
        assertThat(controller.intrq()).as("IDENTIFY's data-in interrupt, left for the handler").isTrue();
        assertThat(deliverIrq()).isEqualTo(IrqHandler.IRQ_HANDLED);
        assertThat(controller.intrq()).as("reading Status acknowledged it").isFalse();
        assertThat(ctx.irqs.get(14).handle(14)).as("nothing outstanding: not ours").isEqualTo(IrqHandler.IRQ_NONE);

        hda().write(5, 1, new byte[512], 0);
        assertThat(deliverIrq()).isEqualTo(IrqHandler.IRQ_HANDLED);
        hda().read(5, 3, new byte[3 * 512], 0);
        assertThat(deliverIrq()).isEqualTo(IrqHandler.IRQ_HANDLED);
        assertThat(ctx.proc("ata")).contains("irqs: 3\n");
    }

    @Test
    void noDriveFailsWithEnodevAndReleasesEverything() {
        ctx = new FakeModuleContext(new IoBus()); // nothing decodes the ports: they float at all ones
        assertThat(ata.init(ctx)).isEqualTo(-Errno.ENODEV);
        assertThat(ctx.log).contains("ata: no drive on primary channel");
        assertThat(ctx.regions).isEmpty();
        assertThat(ctx.irqs).isEmpty();
        assertThat(ctx.blockDevices).isEmpty();
        assertThat(ctx.procFiles).isEmpty();
        assertThat(ctx.heap).isEmpty();
    }

    @Test
    void busyPortsFailWithEbusy() throws IOException {
        withDisk(SECTORS);
        ctx.claimedElsewhere.add(0x3F6);
        assertThat(ata.init(ctx)).isEqualTo(-Errno.EBUSY);
        assertThat(ctx.regions).isEmpty();
        assertThat(ctx.irqs).isEmpty();
    }

    @Test
    void exitReleasesEverythingAndLeavesNoInterrupt() throws IOException {
        withDisk(SECTORS);
        ata.init(ctx);
        hda().write(0, 1, new byte[512], 0);
        ata.exit(ctx);
        assertThat(ctx.regions).isEmpty();
        assertThat(ctx.irqs).isEmpty();
        assertThat(ctx.blockDevices).isEmpty();
        assertThat(ctx.procFiles).isEmpty();
        assertThat(ctx.heap).as("the port's state is kfree'd").isEmpty();
        assertThat(controller.intrq()).isFalse();
    }

    @Test
    void theDriversStateLivesInKernelMemory() throws IOException {
        withDisk(SECTORS);
        ata.init(ctx);
        assertThat(ctx.heap).hasSize(1);
        long state = ctx.heap.firstKey();
        assertThat(ctx.read64(state + AtaState.N_SECTORS)).isEqualTo(SECTORS);
        hda().write(5, 1, new byte[512], 0);
        assertThat(ctx.read64(state + AtaState.WRITES)).isEqualTo(1);
        // A stray write over the capacity, as a bug elsewhere in the kernel could make:
        // the driver believes it, as a C driver would.
        ctx.write64(state + AtaState.N_SECTORS, 8);
        assertThat(hda().sectors()).isEqualTo(8);
        assertThat(hda().read(8, 1, new byte[512], 0)).isEqualTo(-Errno.EIO);
        assertThat(ctx.proc("ata")).contains("sectors: 8\n");
    }

    @Test
    void requestsBeyondTheEndFailWithEio() throws IOException {
        withDisk(SECTORS);
        ata.init(ctx);
        assertThat(hda().read(SECTORS - 1, 2, new byte[1024], 0)).isEqualTo(-Errno.EIO);
        assertThat(ctx.log).last().asString().contains("hda: attempt to access beyond end of device");
        assertThat(hda().read(0, 2, new byte[1000], 0)).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void deviceErrorsBecomeEio() throws IOException {
        withDisk(SECTORS);
        ata.init(ctx);
        // The host file shrinks under the disk: the sector cannot be read (UNC).
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(100 * 512);
        }
        assertThat(hda().read(200, 1, new byte[512], 0)).isEqualTo(-Errno.EIO);
        assertThat(ctx.log).last().asString()
            .isEqualTo("ata1.00: READ SECTORS at sector 200 failed: status 0x41 error 0x40");
    }

    @Test
    void aWedgedDeviceTimesOut() throws IOException {
        withDisk(SECTORS);
        ata.init(ctx);
        ctx.outb(AtaController.SRST, AtaController.CTL_PORT); // held in reset: BSY forever
        assertThat(hda().read(0, 1, new byte[512], 0)).isEqualTo(-Errno.EIO);
        assertThat(ctx.log).last().asString().isEqualTo("ata1.00: READ SECTORS at sector 0: device not ready (status 0x80)");
    }

    @Test
    void sectorsPastLba28UseTheExtCommands() throws IOException {
        long sectors = (1L << 28) + 64; // a sparse 128 GiB image
        withDisk(sectors);
        assertThat(ata.init(ctx)).isZero();
        assertThat(hda().sectors()).isEqualTo(sectors);
        byte[] data = new byte[4 * 512];
        Arrays.fill(data, (byte) 0x6B);
        long lba = (1L << 28) - 2; // straddles the 28-bit limit
        assertThat(hda().write(lba, 4, data, 0)).isEqualTo(4);
        byte[] back = new byte[4 * 512];
        assertThat(hda().read(lba, 4, back, 0)).isEqualTo(4);
        assertThat(back).isEqualTo(data);
        assertThat(hda().flush()).isZero();
    }
}

package microlith.modules.serial;

import microlith.module.api.Errno;
import microlith.module.api.FileOperations;
import microlith.module.api.IrqHandler;
import microlith.module.api.KernelModule;
import microlith.module.api.ModuleContext;
import microlith.module.api.ModuleParam;
import microlith.module.api.OpenFile;
import microlith.module.api.PollTable;

/**
 * The serial driver: COM1 as ttyS0 (character device 4,64, the console, receive and
 * modem-status interrupts on IRQ 4) and COM2 as ttyS1 (4,65, output only), each a terminal
 * under the N_TTY line discipline ({@link Tty}); and the same two ports again without a
 * line discipline as uart0 and uart1 ({@link RawPort}, a dynamic major): byte pipes to the
 * host that are not terminals. Parameters, given on the kernel command line as for any
 * built-in driver ({@code serial.echo=0 serial.onlcr=0}), set the terminals' initial
 * termios: {@code run} turns echo and NL-to-CRNL off so a program's bytes reach the host
 * as written.
 */
public final class Serial implements KernelModule {
    static final int TTY_MAJOR = 4, FIRST_MINOR = 64;
    private static final int COM1 = 0x3F8, COM2 = 0x2F8, IRQ_COM1 = 4;

    private final Tty[] ttys = new Tty[2];
    private final RawPort[] raws = new RawPort[2];
    private int rawMajor;

    @Override
    public int init(ModuleContext ctx) {
        ModuleParam<Boolean> echo = ctx.paramBool("echo", true, 0444, "echo input (ECHO) on new terminals");
        ModuleParam<Boolean> onlcr = ctx.paramBool("onlcr", true, 0444, "map NL to CR NL on output (ONLCR)");
        if (!ctx.requestRegion(COM1, 8, "serial")) {
            ctx.printk(ModuleContext.ERR, "serial8250: I/O ports 0x3f8-0x3ff busy");
            return -Errno.EBUSY;
        }
        if (!ctx.requestRegion(COM2, 8, "serial")) {
            ctx.releaseRegion(COM1, 8);
            ctx.printk(ModuleContext.ERR, "serial8250: I/O ports 0x2f8-0x2ff busy");
            return -Errno.EBUSY;
        }
        Uart com1 = new Uart(ctx, COM1);
        Uart com2 = new Uart(ctx, COM2);
        ttys[0] = Tty.create(ctx, com1, echo.get(), onlcr.get(), ttys);
        // COM2 carries output only (a program's stderr under `run`): nothing echoes there.
        ttys[1] = Tty.create(ctx, com2, false, onlcr.get(), ttys);
        raws[0] = RawPort.create(ctx, com1);
        raws[1] = RawPort.create(ctx, com2);
        if (ttys[0] == null || ttys[1] == null || raws[0] == null || raws[1] == null) {
            release(ctx);
            return -Errno.ENOMEM;
        }
        com1.init();
        int r = ctx.registerChrdevRegion(TTY_MAJOR, "ttyS", new Ops(ttys, FIRST_MINOR));
        if (r < 0) {
            release(ctx);
            return r;
        }
        rawMajor = ctx.registerChrdevRegion(0, "uart", new Ops(raws, 0));
        if (rawMajor < 0) {
            ctx.unregisterChrdev(TTY_MAJOR, "ttyS");
            release(ctx);
            return rawMajor;
        }
        for (int i = 0; i < ttys.length; i++) {
            ctx.deviceCreate("ttyS" + i, TTY_MAJOR, FIRST_MINOR + i, 0620);
            ctx.deviceCreate("uart" + i, rawMajor, i, 0620);
        }
        r = ctx.requestIrq(IRQ_COM1, irq -> {
            if (com1.carrierChanged()) {
                raws[0].carrierChanged();
            }
            // Received bytes go to the raw port while someone has it open for reading.
            if (raws[0].hasReaders()) {
                raws[0].receive();
            } else {
                ttys[0].interrupt();
            }
            return IrqHandler.IRQ_HANDLED;
        }, "serial");
        if (r < 0) {
            unregister(ctx);
            release(ctx);
            return r;
        }
        ctx.printk(ModuleContext.INFO, "serial8250: ttyS0 at I/O 0x3f8 (irq = 4) is a 16550A");
        ctx.printk(ModuleContext.INFO, "serial8250: ttyS1 at I/O 0x2f8 (irq = 3) is a 16550A");
        return 0;
    }

    private void unregister(ModuleContext ctx) {
        for (int i = 0; i < ttys.length; i++) {
            ctx.deviceDestroy("ttyS" + i);
            ctx.deviceDestroy("uart" + i);
        }
        ctx.unregisterChrdev(rawMajor, "uart");
        ctx.unregisterChrdev(TTY_MAJOR, "ttyS");
    }

    private void release(ModuleContext ctx) {
        for (int i = 0; i < ttys.length; i++) {
            if (ttys[i] != null) {
                ttys[i].destroy();
                ttys[i] = null;
            }
            if (raws[i] != null) {
                raws[i].destroy();
                raws[i] = null;
            }
        }
        ctx.releaseRegion(COM2, 8);
        ctx.releaseRegion(COM1, 8);
    }

    @Override
    public void exit(ModuleContext ctx) {
        ttys[0].uart.quiesce();
        ctx.freeIrq(IRQ_COM1);
        unregister(ctx);
        release(ctx);
    }

    /** The file operations of one major: each call goes to the line its minor names. */
    private static final class Ops implements FileOperations {
        private final SerialLine[] lines;
        private final int firstMinor;

        Ops(SerialLine[] lines, int firstMinor) {
            this.lines = lines;
            this.firstMinor = firstMinor;
        }

        private SerialLine line(OpenFile f) {
            int i = f.minor() - firstMinor;
            return i >= 0 && i < lines.length ? lines[i] : null;
        }

        @Override
        public int open(OpenFile file) {
            SerialLine l = line(file);
            return l == null ? -Errno.ENXIO : l.open(file);
        }

        @Override
        public int release(OpenFile file) {
            return line(file).release(file);
        }

        @Override
        public long read(OpenFile file, long userBuf, long count) {
            return line(file).read(file, userBuf, count);
        }

        @Override
        public long write(OpenFile file, long userBuf, long count) {
            return line(file).write(file, userBuf, count);
        }

        @Override
        public long ioctl(OpenFile file, int cmd, long arg) {
            return line(file).ioctl(file, cmd, arg);
        }

        @Override
        public int poll(OpenFile file, PollTable table) {
            return line(file).poll(table);
        }
    }
}

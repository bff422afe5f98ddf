package microlith.hw;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.Flags;
import microlith.hw.dev.AtaController;
import microlith.hw.dev.DiskImage;
import microlith.hw.dev.Pic8259;
import microlith.hw.dev.PowerPort;
import microlith.hw.dev.Uart16550;
import microlith.hw.io.IoBus;

/**
 * The board: RAM, one CPU, the port-I/O bus and the devices wired to it, plus the boot
 * loader that puts a kernel image in memory and jumps to it.
 *
 * <pre>
 * ports        device
 * 0x020-0x021  8259A PIC, master (IRQ 0-7)
 * 0x040-0x043  8254 PIT channel 0 (IRQ 0)
 * 0x0A0-0x0A1  8259A PIC, slave (IRQ 8-15)
 * 0x0F4        power-off with status
 * 0x1F0-0x1F7  ATA primary channel, command block (IRQ 14), with {@link #attachDisk}
 * 0x2F8-0x2FF  16550 UART COM2 (IRQ 3): output line, the guest's stderr under `run`
 * 0x3E8-0x3EF  16550 UART COM3 (no IRQ): output line, the kernel log under `run`
 * 0x3F6        ATA primary channel, control block, with {@link #attachDisk}
 * 0x3F8-0x3FF  16550 UART COM1 (IRQ 4): the console
 * </pre>
 */
public final class Machine {
    public static final int IRQ_COM1 = 4;
    public static final int IRQ_COM2 = 3;
    public static final int IRQ_ATA_PRIMARY = 14;
    private static final long SLICE = 1 << 16;
    /** Free memory the boot loader leaves between the kernel image and the initrd. */
    private static final long KERNEL_HEADROOM = 4 << 20;

    private final PhysicalMemory mem;
    private final PerfCounters perf = new PerfCounters();
    private final IoBus io = new IoBus();
    private final Cpu cpu;
    private final Pic8259 pic = new Pic8259();
    private final Uart16550 com1;
    private final Uart16550 com2;
    private final Uart16550 com3;
    private final microlith.hw.dev.Pit8254 pit;
    private long syscallsAtEof = -1;
    private Integer powerOffStatus;
    private boolean resetRequested;
    private volatile boolean interruptRequested;
    private boolean interactive;
    private ConsoleEof consoleEof = ConsoleEof.EOF_CHARACTER;

    /** What the console line does once the host's input stream has ended. */
    public enum ConsoleEof {
        /**
         * The terminal's EOF character (Ctrl-D) arrives each time the machine idles, as if
         * typed: a terminal at the other end, where end of input is a key.
         */
        EOF_CHARACTER,
        /**
         * The carrier (DCD) drops once: the other end of the line went away, as a pipe's
         * writer does; a driver without a line discipline reads that as end of file.
         */
        HANGUP
    }

    public Machine(long memoryBytes, InputStream consoleIn, OutputStream consoleOut, OutputStream com2Out,
                   OutputStream com3Out) {
        this.mem = new PhysicalMemory(memoryBytes);
        this.cpu = new Cpu(mem, io, perf);
        cpu.setInterruptController(pic);
        pic.onLineChange(cpu::interruptLineChanged);
        io.register(0x20, 0x21, pic.masterPorts());
        io.register(0xA0, 0xA1, pic.slavePorts());
        com1 = new Uart16550(Uart16550.COM1, level -> pic.setIrq(IRQ_COM1, level), consoleIn, consoleOut);
        com2 = new Uart16550(Uart16550.COM2, level -> pic.setIrq(IRQ_COM2, level), null, com2Out);
        com3 = new Uart16550(Uart16550.COM3, null, null, com3Out);
        pit = new microlith.hw.dev.Pit8254(perf::cycles);
        io.register(0x40, 0x43, pit);
        io.register(Uart16550.COM1, Uart16550.COM1 + 7, com1);
        io.register(Uart16550.COM2, Uart16550.COM2 + 7, com2);
        io.register(Uart16550.COM3, Uart16550.COM3 + 7, com3);
        cpu.setBoard(() -> step() == null);
        io.register(PowerPort.PORT, PowerPort.PORT, new PowerPort(status -> {
            powerOffStatus = status;
            cpu.requestStop("power off");
        }));
        io.register(microlith.hw.dev.ResetPort.PORT, microlith.hw.dev.ResetPort.PORT, new microlith.hw.dev.ResetPort(() -> {
            resetRequested = true;
            cpu.requestStop("reset");
        }));
    }

    public Cpu cpu() {
        return cpu;
    }

    public PhysicalMemory memory() {
        return mem;
    }

    public PerfCounters perf() {
        return perf;
    }

    public IoBus io() {
        return io;
    }

    public Uart16550 console() {
        return com1;
    }

    /**
     * Puts a disk on the primary ATA channel as its master, backed by the host file IMAGE
     * (read and written in place). Call before {@link #boot}; at most once.
     *
     * @throws IOException with a one-line message if IMAGE cannot serve as a disk
     */
    public AtaController attachDisk(Path image) throws IOException {
        AtaController ata = new AtaController(DiskImage.open(image), level -> pic.setIrq(IRQ_ATA_PRIMARY, level));
        io.register(AtaController.CMD_BASE, AtaController.CMD_BASE + 7, ata);
        io.register(AtaController.CTL_PORT, AtaController.CTL_PORT, ata);
        return ata;
    }

    /**
     * An interactive console also delivers keys while the guest is busy, checked after
     * every slice; otherwise input arrives only when the machine idles, which keeps
     * scripted runs deterministic.
     */
    public void setInteractive(boolean on) {
        this.interactive = on;
    }

    /** Chooses how the end of the host's console input reaches the guest (before {@link #run}). */
    public void setConsoleEof(ConsoleEof how) {
        this.consoleEof = how;
    }

    /** Asks a running machine to stop at the next slice boundary (safe from any thread). */
    public void interrupt() {
        interruptRequested = true;
        cpu.requestStop("interrupted");
    }

    /** The boot loader without setup data: see {@link #boot(KernelImage, byte[], String, byte[])}. */
    public void boot(KernelImage kernel, byte[] initrd, String cmdline) {
        boot(kernel, initrd, cmdline, null);
    }

    /**
     * The boot loader: loads the kernel image, the initrd, the command line and an optional
     * setup-data blob for the kernel (placed below the initrd, as Linux's setup_data is
     * passed beside boot_params), writes the boot parameters, builds the boot page tables
     * and enters the kernel in 64-bit mode.
     *
     * @throws BootException if the initrd, the setup data or the command line does not fit
     */
    public void boot(KernelImage kernel, byte[] initrd, String cmdline, byte[] setupData) {
        byte[] image = kernel.image();
        long kernelEnd = BootParams.KERNEL_LOAD_PHYS + image.length;
        mem.writeBytes(BootParams.KERNEL_LOAD_PHYS, image, 0, image.length);
        int initrdSize = initrd == null ? 0 : initrd.length;
        int setupSize = setupData == null ? 0 : setupData.length;
        long initrdAddr = (mem.size() - initrdSize) & ~0xfffL;
        long setupAddr = (initrdAddr - setupSize) & ~0xfffL;
        // The kernel needs a few MiB between its image and the initrd to unpack it into.
        if (setupAddr < kernelEnd + KERNEL_HEADROOM) {
            long needed = kernelEnd + KERNEL_HEADROOM + (mem.size() - setupAddr);
            throw new BootException(String.format("an initramfs of %.1f MiB%s does not fit in %d MiB of memory;"
                + " at least %d MiB are needed", initrdSize / 1048576.0,
                setupSize < 64 << 10 ? "" : String.format(" and %.1f MiB of setup data", setupSize / 1048576.0),
                mem.size() >> 20, (needed + (1 << 20) - 1) >> 20));
        }
        if (initrdSize > 0) {
            mem.writeBytes(initrdAddr, initrd, 0, initrdSize);
        } else {
            initrdAddr = 0;
        }
        if (setupSize > 0) {
            mem.writeBytes(setupAddr, setupData, 0, setupSize);
        } else {
            setupAddr = 0;
        }
        byte[] cmd = cmdline.getBytes(StandardCharsets.UTF_8);
        if (cmd.length >= BootParams.CMDLINE_MAX) {
            throw new BootException("kernel command line longer than " + (BootParams.CMDLINE_MAX - 1) + " bytes");
        }
        mem.writeBytes(BootParams.CMDLINE, cmd, 0, cmd.length);
        mem.write8(BootParams.CMDLINE + cmd.length, 0);

        long bp = BootParams.ADDRESS;
        mem.write32(bp + BootParams.OFF_MAGIC, BootParams.MAGIC);
        mem.write64(bp + BootParams.OFF_MEM_SIZE, mem.size());
        mem.write64(bp + BootParams.OFF_CMDLINE, BootParams.CMDLINE);
        mem.write64(bp + BootParams.OFF_CMDLINE_LEN, cmd.length);
        mem.write64(bp + BootParams.OFF_INITRD, initrdAddr);
        mem.write64(bp + BootParams.OFF_INITRD_SIZE, initrdSize);
        mem.write64(bp + BootParams.OFF_SETUP_DATA, setupAddr);
        mem.write64(bp + BootParams.OFF_SETUP_DATA_SIZE, setupSize);
        mem.write64(bp + BootParams.OFF_KERNEL, BootParams.KERNEL_LOAD_PHYS);
        mem.write64(bp + BootParams.OFF_KERNEL_SIZE, image.length);
        mem.write64(bp + BootParams.OFF_BOOT_PML4, BootParams.BOOT_PML4);

        buildBootPageTables(kernel.virtualBase());
        // Boot GDT: null, null, 64-bit kernel code (0x10), kernel data (0x18).
        long gdt = BootParams.BOOT_GDT;
        mem.write64(gdt, 0);
        mem.write64(gdt + 8, 0);
        mem.write64(gdt + 0x10, 0x00AF9A000000FFFFL);
        mem.write64(gdt + 0x18, 0x00CF92000000FFFFL);

        cpu.javaCallGate().install(kernel.routines());
        cpu.javaCallGate().addTextRange(kernel.virtualBase(), kernel.virtualBase() + kernel.textSize());
        cpu.resetToLongMode(BootParams.BOOT_PML4, kernel.entry(), bp, gdt, 0x1f);
    }

    /**
     * PML4[0] -> a PDPT whose entry 0 identity-maps the first 1 GiB with 2 MiB pages;
     * PML4[511] -> a PDPT whose entry 510 maps {@link BootParams#KERNEL_MAP} onward so that
     * the kernel's virtual base (its link address {@link BootParams#KERNEL_LINK}, or where
     * KASLR moved it, 2 MiB-aligned within that GiB) lands on the physical load address
     * (Linux's phys_base): the entry point runs at its high-half address before the kernel
     * builds its own tables.
     */
    private void buildBootPageTables(long virtualBase) {
        long pml4 = BootParams.BOOT_PML4;
        long pdptLow = 0x2000;
        long pdLow = 0x3000;
        long pdptHigh = 0x4000;
        long pdHigh = 0x5000;
        mem.fill(pml4, 0x5000, (byte) 0);
        long flags = 0x3; // present, writable
        long large = 0x80;
        mem.write64(pml4, pdptLow | flags);
        mem.write64(pml4 + 511 * 8, pdptHigh | flags);
        mem.write64(pdptLow, pdLow | flags);
        mem.write64(pdptHigh + 510 * 8, pdHigh | flags);
        long physBase = BootParams.KERNEL_LOAD_PHYS - (virtualBase - BootParams.KERNEL_MAP);
        for (int i = 0; i < 512; i++) {
            mem.write64(pdLow + i * 8L, ((long) i << 21) | flags | large);
            long pa = ((long) i << 21) + physBase;
            if (pa >= 0) {
                mem.write64(pdHigh + i * 8L, pa | flags | large);
            }
        }
    }

    /** Runs until power-off, shutdown, a stop request or {@code maxInstructions}. */
    public MachineExit run(long maxInstructions) {
        limit = maxInstructions <= 0 ? Long.MAX_VALUE : perf.instructions + maxInstructions;
        try {
            MachineExit exit;
            do {
                exit = step();
            } while (exit == null);
            return exit;
        } finally {
            com1.flush();
            com2.flush();
            com3.flush();
        }
    }

    /** The instruction count at which {@link #run} stops. */
    private long limit = Long.MAX_VALUE;

    /**
     * One slice: the CPU runs until the next timer event (or a slice's worth of
     * instructions), then the devices catch up. Returns how the machine ended, or null
     * while it goes on. Nested runs ({@link Cpu#runNested}) use the same step.
     */
    private MachineExit step() {
        if (powerOffStatus != null) {
            return new MachineExit(MachineExit.Kind.POWER_OFF, powerOffStatus, null);
        }
        if (resetRequested) {
            return new MachineExit(MachineExit.Kind.RESET, 0, null);
        }
        String stop = cpu.stopReason();
        if (stop != null) {
            if (interruptRequested) {
                return new MachineExit(MachineExit.Kind.INTERRUPTED, 130, stop);
            }
            return new MachineExit(MachineExit.Kind.TRIPLE_FAULT, 255, stop);
        }
        // Inside a nested run (a kernel routine lent the CPU to a server and waits for its
        // reply) the machine is in no state to stop: the routine is half done on the host
        // stack, and a caller that resumes the machine would find the call cut short. The
        // limit takes effect once the routine returns; the server's watchdog bounds that.
        long left = cpu.nesting() > 0 ? SLICE : limit - perf.instructions;
        long budget = Math.min(SLICE, left);
        if (budget <= 0) {
            return new MachineExit(MachineExit.Kind.LIMIT, 124,
                "instruction limit reached after " + perf.instructions + " instructions");
        }
        long fire = pit.nextFire();
        if (fire >= 0) {
            // At least one cycle per instruction: stopping here is never late.
            budget = Math.max(1, Math.min(budget, fire - perf.cycles()));
        }
        cpu.run(budget);
        com1.flush();
        if (interactive) {
            com1.pollInput();
        }
        if (pit.expire(perf.cycles())) {
            pic.pulseIrq(0);
        }
        if (cpu.halted() && cpu.stopReason() == null && powerOffStatus == null && !resetRequested) {
            return idle();
        }
        return null;
    }

    /** The CPU executed HLT: wait for the next event, or report that none can come. */
    private MachineExit idle() {
        if ((cpu.rflags() & Flags.IF) == 0) {
            return new MachineExit(MachineExit.Kind.HALTED, 255, "CPU halted with interrupts disabled");
        }
        if (pic.hasInterrupt()) {
            return null;
        }
        long fire = pit.nextFire();
        if (fire >= 0 && !pic.masked(0)) {
            // Nothing to do until the next tick: let simulated time pass, counted as idle.
            perf.idleCycles += Math.max(0, fire - perf.cycles());
            if (pit.expire(perf.cycles())) {
                pic.pulseIrq(0);
            }
            return null;
        }
        com2.flush();
        com3.flush();
        if (com1.pullInput()) {
            return null;
        }
        if (consoleEof == ConsoleEof.HANGUP) {
            if (com1.carrier()) {
                com1.hangUp();
                return null;
            }
            return new MachineExit(MachineExit.Kind.IDLE_FOREVER, 255, "idle with no timer armed and the console hung up");
        }
        // After host end of file every console read sees end of file, as on a closed pipe:
        // each time the machine idles, the terminal's EOF character (Ctrl-D) arrives. If no
        // system call ran since the last one, nobody is reading and nothing else can happen.
        if (syscallsAtEof != perf.syscalls) {
            syscallsAtEof = perf.syscalls;
            com1.inject(new byte[] {4});
            return null;
        }
        return new MachineExit(MachineExit.Kind.IDLE_FOREVER, 255, "idle with no timer armed and console input closed");
    }
}

package microlith.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import microlith.hw.BootParams;
import microlith.hw.KernelImage;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.JavaCallGate;
import microlith.hw.cpu.Msr;
import microlith.hw.dev.PowerPort;
import microlith.hw.dev.Uart16550;
import microlith.kernel.arch.Entry;
import microlith.kernel.arch.Idt;
import microlith.kernel.arch.KernelText;
import microlith.kernel.arch.Segments;
import microlith.kernel.arch.Traps;
import microlith.kernel.fs.Cpio;
import microlith.kernel.fs.RamFs;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.mm.PageTables;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.proc.Process;
import microlith.kernel.proc.Scheduler;
import microlith.kernel.syscall.SyscallTable;
import microlith.kernel.tty.Console;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * The kernel image and its boot sequence.
 *
 * <p>Constructing a Kernel "links" it: the text (entry stubs and a KCALL site for every
 * Java routine) and the rodata (the syscall table, an array of text addresses) are laid
 * out at their final high-half addresses, so {@link #image()} is what a boot loader
 * copies into RAM. {@link #startKernel} is the first Java code to run, at the address of
 * {@code startup_64}; it reads as a checklist, as xv6's main does.
 *
 * <pre>
 * 0xffffffff81000000  .text    startup_64, entry_SYSCALL_64, exception stubs, sys_* ...
 *                     .rodata  sys_call_table
 *                     .data    gdt, idt, tss + I/O bitmap, per-cpu area
 *                     .bss     idle stack, #DF stack
 * </pre>
 */
public final class Kernel implements KernelImage {
    public static final String VERSION = "0.1.0";
    /** The Linux ABI level uname reports (glibc and musl parse the release's numbers). */
    public static final String RELEASE = "6.1.0-microlith";

    public final KernelText text = new KernelText(Layout.KERNEL_TEXT);
    public final Entry entry;
    public final Traps traps;
    public final SyscallTable syscalls;
    private final byte[] image;

    // Addresses of the sections, fixed at link time.
    public final long sysCallTable;
    public final long gdt;
    public final long idt;
    public final long tss;
    public final long percpu;
    public final long idleStackTop;
    private final long dfStackTop;
    private final long imageEnd;

    // Runtime state, set up by startKernel.
    public Cpu cpu;
    public PhysicalMemory mem;
    public Printk log;
    public CommandLine cmdline;
    public PageAllocator pages;
    public PageTables tables;
    public long kernelPml4;
    public final Scheduler sched = new Scheduler();
    public Uaccess uaccess;
    public RamFs rootfs;
    public Console console;
    /** What init gets as fd 2: the console, or a separate serial line. */
    public Console stderrConsole;
    public Process process;
    public microlith.kernel.mm.Kmalloc kmalloc;
    public microlith.kernel.module.ModuleLoader modules;
    public microlith.kernel.fs.CharDevices chrdevs;
    public microlith.kernel.fs.BlockDevices blockdevs;
    public microlith.kernel.fs.Mounts mounts;
    public final microlith.kernel.fs.ProcEntries procEntries = new microlith.kernel.fs.ProcEntries();
    public final microlith.kernel.arch.IoPorts ioports = new microlith.kernel.arch.IoPorts();
    public microlith.kernel.arch.IrqTable irqs;
    public microlith.kernel.proc.Timers timers;
    public microlith.kernel.proc.SignalDelivery signals;
    public microlith.kernel.proc.JobControl jobs;
    public SplittableRandom random;
    /** Timer ticks since boot (HZ per second of simulated time). */
    public long jiffies;
    public static final int HZ = 100;
    /** The wall-clock time at boot, in seconds since the epoch (2026-01-01T00:00:00Z). */
    public static final long BOOT_EPOCH = 1_767_225_600L;
    /** Set by the timer tick: the running task has used its slice. */
    public boolean needResched;
    private boolean timerMasked;
    private int initStatus;
    /** Set when pid 1 exits: the next return to user mode powers the machine off. */
    private boolean initExited;

    public Kernel() {
        long startup = text.label("startup_64");
        text.kcall("start_kernel", this::startKernel);
        long hang = text.label("startup_hang");
        text.cli().hlt().jmp(hang);
        entry = new Entry(this);
        traps = new Traps(this);
        syscalls = new SyscallTable(this);
        entry.build(text);
        traps.build(text);
        syscalls.build(text);
        buildExports();

        sysCallTable = Layout.pageUp(text.here());
        text.patch32(entry.tableDisplacementAt(), (int) sysCallTable);
        long rodataEnd = Layout.pageUp(sysCallTable + (long) syscalls.size() * 8);
        gdt = rodataEnd;
        idt = gdt + Layout.PAGE_SIZE;
        tss = idt + Layout.PAGE_SIZE;
        percpu = tss + 3 * Layout.PAGE_SIZE;
        idleStackTop = percpu + Layout.PAGE_SIZE + 4 * Layout.PAGE_SIZE;
        dfStackTop = idleStackTop + 2 * Layout.PAGE_SIZE;
        imageEnd = dfStackTop;

        image = new byte[(int) (imageEnd - Layout.KERNEL_TEXT)];
        byte[] t = text.toBytes();
        System.arraycopy(t, 0, image, 0, t.length);
        ByteBuffer table = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long[] targets = syscalls.targets();
        for (int i = 0; i < targets.length; i++) {
            table.putLong((int) (sysCallTable - Layout.KERNEL_TEXT) + i * 8, targets[i]);
        }
        if (text.symbols().get("startup_64") != startup) {
            throw new IllegalStateException("startup_64 moved");
        }
    }

    // ------------------------------------------------------------------ KernelImage

    @Override
    public byte[] image() {
        return image.clone();
    }

    @Override
    public long virtualBase() {
        return Layout.KERNEL_TEXT;
    }

    @Override
    public long entry() {
        return text.symbol("startup_64");
    }

    @Override
    public long textSize() {
        return sysCallTable - Layout.KERNEL_TEXT;
    }

    @Override
    public JavaCallGate.Routines routines() {
        return (id, c) -> entry.dispatch(id, c);
    }

    /** Calls a routine of this kernel's text (used by {@link Entry#dispatch}). */
    public void callRoutine(int id, Cpu c) {
        text.call(id, c);
    }

    // ------------------------------------------------------------------ boot

    /** start_kernel: runs once, at CPL 0, on the boot loader's page tables. */
    private void startKernel(Cpu c) {
        this.cpu = c;
        this.mem = c.memory();
        long bp = c.reg(Cpu.RSI);
        readBootParams(bp);
        setupLog();
        log.notice("microlith version %s (%s) #1 SMP PREEMPT (Java %s)", VERSION, RELEASE, System.getProperty("java.specification.version"));
        log.info("Command line: %s", cmdline.raw());
        setupMemory(bp);
        setupSegmentsAndTraps();
        setupSyscalls();
        setupInterrupts();
        unpackInitramfs(bp);
        microlith.kernel.fs.DevFs.populate(rootfs, console);
        rootfs.mkdirs("/proc");
        rootfs.proc = new microlith.kernel.fs.ProcFs(this);
        rootfs.current = sched::current;
        rootfs.mkdirs("/tmp");
        rootfs.lookup("/tmp").mode = microlith.kernel.fs.Inode.S_IFDIR | 01777;
        rootfs.mkdirs("/sys");
        rootfs.sys = new microlith.kernel.fs.SysFs(() -> modules);
        rootfs.mtime = () -> BOOT_EPOCH + nanos() / 1_000_000_000L;
        microlith.kernel.fs.RegularFile.clock = rootfs.mtime;
        log.info("devtmpfs: /dev/{null,zero,console,tty,ttyS0}; proc mounted on /proc, sysfs on /sys");
        setupModules();
        process = new Process(this);
        signals = new microlith.kernel.proc.SignalDelivery(this);
        jobs = new microlith.kernel.proc.JobControl(this);
        console.jobs = jobs;
        stderrConsole.jobs = jobs;
        loadBootModules();
        runInit();
    }

    /** Kernel heap, device registries and the module loader, before anything can load. */
    private void setupModules() {
        kmalloc = new microlith.kernel.mm.Kmalloc(pages);
        irqs = new microlith.kernel.arch.IrqTable(this);
        timers = new microlith.kernel.proc.Timers(this);
        chrdevs = new microlith.kernel.fs.CharDevices(this);
        blockdevs = new microlith.kernel.fs.BlockDevices(this);
        mounts = new microlith.kernel.fs.Mounts(this);
        modules = new microlith.kernel.module.ModuleLoader(this);
        modules.exportKernelSymbol("printk", false);
        modules.exportKernelSymbol("kallsyms_lookup_name", true);
        log.info("modules: area 0x%016x-0x%016x", Layout.MODULES_VADDR, Layout.MODULES_END - 1);
    }

    /** Modules named on the command line (module=/path.ko, repeatable) load before init. */
    private void loadBootModules() {
        for (String path : cmdline.getAll("module")) {
            microlith.kernel.fs.Inode n = rootfs.lookup(path);
            if (n == null || !n.isRegular()) {
                log.err("module: %s: no such file", path);
                continue;
            }
            int err = modules.load(n.contents(), "", null);
            if (err != 0) {
                log.err("module: loading %s failed (error %d)", path, err);
            }
        }
    }

    /**
     * Functions of the kernel's own text that modules may call by address: printk(fmt)
     * with a NUL-terminated string in kernel memory (a leading "\001N" sets the level,
     * as KERN_* prefixes do), and the GPL-only kallsyms_lookup_name(name).
     */
    private void buildExports() {
        text.function("printk", c -> {
            String s = kernelString(c, c.reg(Cpu.RDI), 1024);
            int level = Printk.INFO;
            if (s.length() >= 2 && s.charAt(0) == 1 && s.charAt(1) >= '0' && s.charAt(1) <= '7') {
                level = s.charAt(1) - '0';
                s = s.substring(2);
            }
            log.log(level, s.endsWith("\n") ? s.substring(0, s.length() - 1) : s);
            c.setReg(Cpu.RAX, s.length());
        });
        text.function("kallsyms_lookup_name", c -> c.setReg(Cpu.RAX,
            modules.lookupSymbol(kernelString(c, c.reg(Cpu.RDI), 128))));
    }

    private static String kernelString(Cpu c, long addr, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < max; i++) {
            int b = c.read8(addr + i);
            if (b == 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** Whether an address lies in the kernel's text section. */
    public boolean isKernelText(long addr) {
        return Long.compareUnsigned(addr, Layout.KERNEL_TEXT) >= 0 && Long.compareUnsigned(addr, sysCallTable) < 0;
    }

    private void readBootParams(long bp) {
        if (mem.read32(bp + BootParams.OFF_MAGIC) != BootParams.MAGIC) {
            // No hand-off page means no console to report on: stop at panic_halt.
            throw new PanicException("no boot parameters");
        }
        long cmdAddr = mem.read64(bp + BootParams.OFF_CMDLINE);
        int cmdLen = (int) mem.read64(bp + BootParams.OFF_CMDLINE_LEN);
        byte[] cmd = new byte[cmdLen];
        mem.readBytes(cmdAddr, cmd, 0, cmdLen);
        cmdline = new CommandLine(new String(cmd, StandardCharsets.UTF_8));
        random = new SplittableRandom(cmdline.getInt("random.seed", 0x6d6c));
    }

    private void setupLog() {
        log = new Printk(cpu);
        String consoleName = cmdline.get("console", "ttyS0");
        int port = serialPort(consoleName);
        int level = cmdline.has("quiet") ? 4 : cmdline.getInt("loglevel", 7) + 1;
        log.setConsole(port, Math.min(level, 8), cmdline.getInt("tty.onlcr", 1) == 1);
    }

    /** ttyS0-2 are the 16550s at COM1-COM3. */
    private static int serialPort(String name) {
        switch (name) {
            case "ttyS1": return Uart16550.COM2;
            case "ttyS2": return Uart16550.COM3;
            default: return Uart16550.COM1;
        }
    }

    private void setupMemory(long bp) {
        long memSize = mem.read64(bp + BootParams.OFF_MEM_SIZE);
        long initrd = mem.read64(bp + BootParams.OFF_INITRD);
        long initrdSize = mem.read64(bp + BootParams.OFF_INITRD_SIZE);
        long kernelPhys = mem.read64(bp + BootParams.OFF_KERNEL);
        long kernelSize = mem.read64(bp + BootParams.OFF_KERNEL_SIZE);
        log.info("BIOS-provided physical RAM map:");
        log.info("BIOS-e820: [mem 0x%016x-0x%016x] reserved", 0L, 0xfffffL);
        log.info("BIOS-e820: [mem 0x%016x-0x%016x] usable", 0x100000L, memSize - 1);

        pages = new PageAllocator(mem);
        pages.reserve(0, 0x100000);
        pages.reserve(kernelPhys, kernelPhys + kernelSize);
        if (initrd != 0) {
            pages.reserve(initrd, initrd + initrdSize);
        }
        tables = new PageTables(mem, pages);
        uaccess = new Uaccess(cpu);

        // NX must be on before any page table uses bit 63; WP makes CPL 0 honour R/W.
        cpu.wrmsr(Msr.EFER, cpu.rdmsr(Msr.EFER) | Msr.EFER_NXE | Msr.EFER_SCE);
        kernelPml4 = tables.newTable();
        for (long pa = 0; pa < memSize; pa += 2L << 20) {
            tables.map2M(kernelPml4, Layout.va(pa), pa, RW | NX | G | A | D);
        }
        long textEnd = sysCallTable;
        long rodataEnd = gdt;
        for (long va = Layout.KERNEL_TEXT; va < imageEnd; va += Layout.PAGE_SIZE) {
            long pa = kernelPhys + (va - Layout.KERNEL_TEXT);
            long flags = va < textEnd ? G | A : va < rodataEnd ? NX | G | A : RW | NX | G | A | D;
            tables.map(kernelPml4, va, pa, flags);
        }
        // Pre-create the module area's page directory so every address space shares it.
        tables.pteAddress(kernelPml4, Layout.MODULES_VADDR, true, false);
        cpu.writeCr(3, kernelPml4);
        cpu.writeCr(0, cpu.readCr(0) | Cpu.CR0_WP);
        log.info("Memory: %dK/%dK available (%dK kernel image)", pages.freePages() * 4L, memSize / 1024,
            kernelSize / 1024);
        log.info("Virtual kernel memory layout:");
        log.info("    user      : 0x%016x - 0x%016x", 0L, Layout.TASK_SIZE - 1);
        log.info("    direct map: 0x%016x - 0x%016x (%d MB)", Layout.PAGE_OFFSET, Layout.PAGE_OFFSET + memSize - 1, memSize >> 20);
        log.info("    .text     : 0x%016x - 0x%016x", Layout.KERNEL_TEXT, textEnd - 1);
        log.info("    .rodata   : 0x%016x - 0x%016x", textEnd, rodataEnd - 1);
        log.info("    .data/.bss: 0x%016x - 0x%016x", rodataEnd, imageEnd - 1);
        log.info("    modules   : 0x%016x - 0x%016x", Layout.MODULES_VADDR, Layout.MODULES_END - 1);
    }

    private void setupSegmentsAndTraps() {
        Segments.install(cpu, gdt, tss, idleStackTop, dfStackTop);
        traps.installIdt(cpu, idt);
        cpu.lidt(idt, Idt.BYTES - 1);
        cpu.wrmsr(Msr.GS_BASE, percpu);
        cpu.wrmsr(Msr.KERNEL_GS_BASE, 0);
        log.info("GDT at 0x%x, TSS at 0x%x (RSP0 per task, IST1 for #DF), IDT at 0x%x", gdt, tss, idt);
    }

    private void setupSyscalls() {
        long lstar = text.symbol("entry_SYSCALL_64");
        cpu.wrmsr(Msr.STAR, (long) Segments.USER32_CS << 48 | (long) Segments.KERNEL_CS << 32);
        cpu.wrmsr(Msr.LSTAR, lstar);
        // Clear IF, TF, DF, AC, NT on entry, as Linux's syscall_init does.
        cpu.wrmsr(Msr.SFMASK, 0x47700L);
        log.info("syscall: MSR_LSTAR = 0x%016x (entry_SYSCALL_64), STAR = 0x%016x, SFMASK = 0x%x",
            cpu.rdmsr(Msr.LSTAR), cpu.rdmsr(Msr.STAR), cpu.rdmsr(Msr.SFMASK));
        log.info("syscall: %d entries in sys_call_table at 0x%x", syscalls.size(), sysCallTable);
    }

    private void setupInterrupts() {
        // 8259A: ICW1 edge/cascade/ICW4, ICW2 vector base 0x20/0x28, ICW3 wiring, ICW4 8086 mode.
        cpu.out(0x20, 1, 0x11);
        cpu.out(0xA0, 1, 0x11);
        cpu.out(0x21, 1, Traps.IRQ_BASE);
        cpu.out(0xA1, 1, Traps.IRQ_BASE + 8);
        cpu.out(0x21, 1, 0x04);
        cpu.out(0xA1, 1, 0x02);
        cpu.out(0x21, 1, 0x01);
        cpu.out(0xA1, 1, 0x01);
        // Unmask IRQ 0 (timer), IRQ 2 (cascade) and IRQ 4 (COM1).
        cpu.out(0x21, 1, 0xff & ~1 & ~(1 << 2) & ~(1 << 4));
        cpu.out(0xA1, 1, 0xff);
        // PIT channel 0, lobyte/hibyte, mode 2 (rate generator) at HZ.
        int divisor = (int) ((microlith.hw.dev.Pit8254.INPUT_HZ + HZ / 2) / HZ);
        cpu.out(0x43, 1, 0x34);
        cpu.out(0x40, 1, divisor & 0xff);
        cpu.out(0x40, 1, divisor >>> 8);
        boolean echo = cmdline.getInt("tty.echo", 1) == 1;
        boolean onlcr = cmdline.getInt("tty.onlcr", 1) == 1;
        console = new Console(cpu, sched, Uart16550.COM1, echo, onlcr);
        console.init();
        String errLine = cmdline.get("init.stderr", "ttyS0");
        if (!errLine.equals("ttyS0")) {
            // A separate output line for init's stderr (the runner maps it to host stderr).
            stderrConsole = new Console(cpu, sched, serialPort(errLine), false, onlcr);
        } else {
            stderrConsole = console;
        }
        log.info("8259A PIC: IRQ 0-15 at vectors 0x%x-0x%x", Traps.IRQ_BASE, Traps.IRQ_BASE + 15);
        log.info("clocksource: PIT channel 0 at %d Hz (divisor %d), round-robin slice 1 tick", HZ, divisor);
        log.info("serial8250: ttyS0 at I/O 0x3f8 (irq = 4) is a 16550A");
    }

    private void unpackInitramfs(long bp) {
        rootfs = new RamFs();
        long addr = mem.read64(bp + BootParams.OFF_INITRD);
        long size = mem.read64(bp + BootParams.OFF_INITRD_SIZE);
        if (addr == 0) {
            log.warn("No initramfs given");
            return;
        }
        byte[] a = new byte[(int) size];
        mem.readBytes(addr, a, 0, (int) size);
        try {
            int n = Cpio.unpack(a, rootfs);
            log.info("Unpacking initramfs... %d entries, %dK", n, size / 1024);
        } catch (Cpio.FormatException e) {
            log.err("Initramfs unpacking failed: %s", e.getMessage());
        }
        pages.release(addr, addr + size);
        log.info("Freeing initrd memory: %dK", size / 1024);
    }

    private void runInit() {
        String init = cmdline.get("init", "/sbin/init");
        java.util.List<String> argv = new java.util.ArrayList<>();
        argv.add(cmdline.get("argv0", init));
        argv.addAll(cmdline.initArgs());
        java.util.List<String> envp = java.util.List.of("HOME=/", "TERM=linux", "PATH=/sbin:/bin");
        log.info("Run %s as init process", init);
        int err = process.spawnInit(init, argv, envp);
        if (err != 0) {
            log.err("Failed to execute %s (error %d)", init, -err);
            panic("No working init found.  Try passing init= option to kernel.");
            return;
        }
        entry.exitToUser(cpu, null);
    }

    // ------------------------------------------------------------------ death

    /** Thrown through Java kernel code to stop at panic_halt. */
    public static final class PanicException extends RuntimeException {
        public PanicException(String m) {
            super(m, null, false, false);
        }
    }

    public void panic(String msg) {
        log.emerg("Kernel panic - not syncing: %s", msg);
        log.emerg("---[ end Kernel panic - not syncing: %s ]---", msg);
        throw new PanicException(msg);
    }

    /** Init is gone: report its status through the power-off port. */
    public void powerOff(int status) {
        if (mounts != null) {
            mounts.syncAll();
        }
        log.notice("reboot: Power down (init exited with status %d)", status);
        cpu.out(PowerPort.PORT, 4, status);
    }

    /** reboot(2)'s power off and halt: sync, say so, and stop the machine with status 0. */
    public void shutdown(String what) {
        if (mounts != null) {
            mounts.syncAll();
        }
        log.notice("reboot: %s", what);
        cpu.out(PowerPort.PORT, 4, 0);
    }

    /** reboot(2)'s restart: sync, then the reset register (Linux's reboot=pci). */
    public void restart() {
        if (mounts != null) {
            mounts.syncAll();
        }
        log.notice("reboot: Restarting system");
        cpu.out(microlith.hw.dev.ResetPort.PORT, 1, 0x06);
    }

    /**
     * Tickless idle: with nothing waiting for time to pass, the timer interrupt is
     * masked so the idle machine can wait for input instead of ticking.
     */
    public void setTimerMasked(boolean masked) {
        if (masked != timerMasked) {
            timerMasked = masked;
            int imr = cpu.in(0x21, 1);
            cpu.out(0x21, 1, masked ? imr | 1 : imr & ~1);
        }
    }

    /** Simulated nanoseconds since boot. */
    public long nanos() {
        return microlith.hw.CostModel.nanos(cpu.perf.cycles());
    }

    /** Init has exited with this shell-style status. */
    public void initExited(int status) {
        initStatus = status;
        initExited = true;
    }

    public boolean initExited() {
        return initExited;
    }

    public int initStatus() {
        return initStatus;
    }
}

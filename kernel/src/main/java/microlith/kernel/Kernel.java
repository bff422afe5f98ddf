package microlith.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import microlith.hw.BootParams;
import microlith.hw.KernelImage;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.JavaCallGate;
import microlith.hw.cpu.Msr;
import microlith.hw.dev.PowerPort;
import microlith.hw.dev.Uart16550;
import microlith.kernel.arch.CpuInfo;
import microlith.kernel.arch.Idt;
import microlith.kernel.arch.Kaslr;
import microlith.kernel.arch.IoPorts;
import microlith.kernel.arch.IrqTable;
import microlith.kernel.arch.KernelText;
import microlith.kernel.arch.Pic;
import microlith.kernel.arch.Segments;
import microlith.kernel.entry.Entry;
import microlith.kernel.entry.Traps;
import microlith.kernel.fs.BlockDevices;
import microlith.kernel.fs.CharDevices;
import microlith.kernel.fs.Cpio;
import microlith.kernel.fs.Inode;
import microlith.kernel.fs.MemDevices;
import microlith.kernel.fs.Mounts;
import microlith.kernel.fs.ProcEntries;
import microlith.kernel.fs.Vfs;
import microlith.kernel.log.Panic;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.Kmalloc;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.PageAllocator;
import microlith.kernel.mm.PageTableChecker;
import microlith.kernel.mm.PageTables;
import microlith.kernel.mm.Pcid;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.module.ModuleArea;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.module.fault.FaultInjection;
import microlith.kernel.module.fault.FaultSpec;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.ipc.ServerImage;
import microlith.kernel.placement.InKernelPlacement;
import microlith.kernel.placement.ServerPlacement;
import microlith.kernel.placement.KernelServices;
import microlith.kernel.proc.Creds;
import microlith.kernel.proc.InitArgs;
import microlith.kernel.proc.ProcessManager;
import microlith.kernel.procfs.ProcFs;
import microlith.kernel.procfs.SysFs;
import microlith.kernel.syscall.Services;
import microlith.kernel.syscall.SyscallTable;
import microlith.kernel.task.ContextSwitch;
import microlith.kernel.task.File;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;
import microlith.kernel.time.Timers;
import microlith.kernel.uts.Utsname;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * The kernel image and its boot sequence, and the one place that knows every subsystem:
 * it builds them, hands each the others it needs, and boots.
 *
 * <p>Constructing a Kernel "links" it: the text (entry stubs and a KCALL site for every
 * Java routine), the rodata (the syscall table, an array of text addresses) and the
 * built-in drivers are laid out at their final high-half addresses, so {@link #image()}
 * is what a boot loader copies into RAM. {@link #startKernel} is the first Java code to
 * run, at the address of {@code startup_64}; it reads as a checklist, as xv6's main does.
 *
 * <pre>
 * 0xffffffff81000000  .text     startup_64, entry_SYSCALL_64, exception stubs, sys_* ...
 *                     .rodata   sys_call_table
 *                     .data     gdt, idt, tss + I/O bitmap, per-cpu area
 *                     .bss      idle stack, #DF stack
 *                     .builtin  the built-in drivers' .ko images: u32 name length, name,
 *                               u32 image length, image, each padded to 8 bytes; u32 0 ends
 * </pre>
 */
public final class Kernel implements KernelImage {
    /** The drivers built into the image, in load order: the root filesystem, then the console. */
    public static final List<String> BUILTIN = List.of("ramfs", "serial");
    /** random.seed when the command line gives none. */
    static final int DEFAULT_SEED = 0x6d6c;

    public final KernelText text;
    private final Entry entry = new Entry();
    private final CpuInfo cpuInfo = new CpuInfo();
    private final Traps traps = new Traps(entry);
    private final Services services = new Services();
    private final SyscallTable syscalls = new SyscallTable(services);
    private final byte[] image;

    // Addresses of the sections, fixed at link time.
    private final long sysCallTable;
    private final long gdt;
    private final long idt;
    private final long tss;
    private final long percpu;
    private final long idleStackTop;
    private final long dfStackTop;
    private final long builtinStart;
    private final long imageEnd;

    // The running kernel, built by start_kernel.
    private Cpu cpu;
    private PhysicalMemory mem;
    private Printk log;
    private CommandLine cmdline;
    private PageAllocator pages;
    private PageTables tables;
    private long kernelPml4;
    private long kernelPhys;
    private Uaccess uaccess;
    private SplittableRandom random;
    private Mitigations mitigations = Mitigations.ALL;
    private Clock clock;
    private final Scheduler sched = new Scheduler();
    private final Timers timers = new Timers();
    private final IoPorts ioports = new IoPorts();
    private final ProcEntries procEntries = new ProcEntries();
    private Pic pic;
    private IrqTable irqs;
    private Kmalloc kmalloc;
    private Creds creds;
    private CharDevices chrdevs;
    private final BlockDevices blockdevs = new BlockDevices();
    private Mounts mounts;
    private Vfs vfs;
    private ModuleLoader modules;
    private ProcessManager process;
    private ContextSwitch switcher;
    private Pcid pcid;
    private IpcCore ipc;
    private ServerPlacement server;
    private FaultInjection faultInjection;
    private OsModel model;
    private SysFs sysfs;
    private microlith.hw.PerfCounters bootCounters;

    /** Links a kernel with the built-in drivers from its own resources, at the link address. */
    public Kernel() {
        this(builtinResources(), Layout.KERNEL_TEXT);
    }

    /**
     * The kernel a boot with this command line runs: linked where KASLR puts it (the job
     * of Linux's decompressor, which relocates the image before start_kernel), or at the
     * link address with {@code nokaslr}.
     */
    public static Kernel forCommandLine(String cmdline) {
        CommandLine c = new CommandLine(cmdline);
        return new Kernel(builtinResources(),
            Kaslr.textBase(Mitigations.fromCommandLine(c).kaslr(), c.getInt("random.seed", DEFAULT_SEED)));
    }

    /** Links a kernel whose image carries the given built-in driver images (name to .ko bytes). */
    public Kernel(Map<String, byte[]> builtins) {
        this(builtins, Layout.KERNEL_TEXT);
    }

    /** Links a kernel with its text starting at textBase (a multiple of 2 MiB in the top 2 GiB). */
    public Kernel(Map<String, byte[]> builtins, long textBase) {
        text = new KernelText(textBase);
        long startup = text.label("startup_64");
        cpuInfo.emitIdentify(text);
        text.kcall("start_kernel", this::startKernel);
        long hang = text.label("startup_hang");
        text.cli().hlt().jmp(hang);
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
        builtinStart = dfStackTop;
        byte[] builtin = builtinSection(builtins);
        imageEnd = Layout.pageUp(builtinStart + builtin.length);
        if (imageEnd - textBase > Kaslr.IMAGE_MAX) {
            throw new IllegalStateException("kernel image larger than the " + (Kaslr.IMAGE_MAX >> 20)
                + " MiB KASLR leaves for it");
        }

        image = new byte[(int) (imageEnd - textBase)];
        byte[] t = text.toBytes();
        System.arraycopy(t, 0, image, 0, t.length);
        ByteBuffer table = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long[] targets = syscalls.targets();
        for (int i = 0; i < targets.length; i++) {
            table.putLong((int) (sysCallTable - textBase) + i * 8, targets[i]);
        }
        System.arraycopy(builtin, 0, image, (int) (builtinStart - textBase), builtin.length);
        if (text.symbols().get("startup_64") != startup) {
            throw new IllegalStateException("startup_64 moved");
        }
    }

    private static Map<String, byte[]> builtinResources() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : BUILTIN) {
            try (InputStream in = Kernel.class.getResourceAsStream("/microlith/kernel/builtin/" + name + ".ko")) {
                if (in == null) {
                    throw new IllegalStateException("built-in driver " + name + ".ko is missing from the kernel build");
                }
                out.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static byte[] builtinSection(Map<String, byte[]> builtins) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : builtins.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            writeField(out, name);
            writeField(out, e.getValue());
        }
        out.writeBytes(new byte[8]);
        return out.toByteArray();
    }

    private static void writeField(java.io.ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        out.writeBytes(new byte[(8 - (4 + b.length) % 8) % 8]);
    }

    // ------------------------------------------------------------------ KernelImage

    @Override
    public byte[] image() {
        return image.clone();
    }

    @Override
    public long virtualBase() {
        return text.base();
    }

    @Override
    public long entry() {
        return text.symbol("startup_64");
    }

    @Override
    public long textSize() {
        return sysCallTable - text.base();
    }

    @Override
    public JavaCallGate.Routines routines() {
        return (id, c) -> entry.dispatch(text, id, c);
    }

    // ------------------------------------------------------------------ boot

    /** start_kernel: runs once, at CPL 0, on the boot loader's page tables. */
    private void startKernel(Cpu c) {
        this.cpu = c;
        this.mem = c.memory();
        long bp = c.reg(Cpu.RSI);
        readBootParams(bp);
        setupLog();
        log.notice("%s #1 SMP PREEMPT (Java %s)", Utsname.banner(), System.getProperty("java.specification.version"));
        log.info("Command line: %s", cmdline.raw());
        setupMemory(bp);
        setupSegmentsAndTraps();
        setupSyscalls();
        setupInterrupts();
        setupCore();
        setupModules();
        setupProcesses();
        mountRoot(bp);
        startReincarnation();
        loadBootModules();
        runInit(bp);
    }

    private void readBootParams(long bp) {
        if (mem.read32(bp + BootParams.OFF_MAGIC) != BootParams.MAGIC) {
            // No hand-off page means no console to report on: stop at panic_halt.
            throw Panic.panic(null, "no boot parameters");
        }
        long cmdAddr = mem.read64(bp + BootParams.OFF_CMDLINE);
        int cmdLen = (int) mem.read64(bp + BootParams.OFF_CMDLINE_LEN);
        byte[] cmd = new byte[cmdLen];
        mem.readBytes(cmdAddr, cmd, 0, cmdLen);
        cmdline = new CommandLine(new String(cmd, StandardCharsets.UTF_8));
        random = new SplittableRandom(cmdline.getInt("random.seed", DEFAULT_SEED));
        mitigations = Mitigations.fromCommandLine(cmdline);
    }

    /**
     * printk records go to the log buffer (dmesg); they reach a serial line only when
     * console= names one, as on Linux, where a message costs UART time only on a console.
     */
    private void setupLog() {
        log = new Printk(cpu);
        if (cmdline.has("console")) {
            int level = cmdline.has("quiet") ? 4 : cmdline.getInt("loglevel", 7) + 1;
            log.setConsole(serialPort(cmdline.get("console", "ttyS0")), Math.min(level, 8),
                cmdline.getInt("serial.onlcr", 1) == 1);
        }
    }

    /**
     * The log buffer, formatted as dmesg prints it: what a crash-dump reader would recover
     * from a dead machine (the host shows it when the machine stops abnormally).
     */
    public List<String> dmesg() {
        List<String> out = new ArrayList<>();
        if (log != null) {
            for (Printk.Record r : log.records()) {
                out.add(r.format());
            }
        }
        return out;
    }

    /** The fault this boot injects (faultinject= on the command line), or null. */
    public FaultInjection faultInjection() {
        return faultInjection;
    }

    /**
     * What the kernel holds now (see {@link Census}), for a harness that compares it with a
     * reference boot; null before memory management is up.
     */
    public Census census() {
        if (pages == null || kmalloc == null) {
            return null;
        }
        long serverPages = 0;
        int timers = process == null ? 0 : process.itimers.liveProcesses();
        for (Task t : sched.all()) {
            if (t.server && t.mm != null) {
                serverPages += t.mm.residentPages() + t.mm.tablePages();
            }
        }
        return new Census(pages.freePages(), serverPages, kmalloc.bytesInUse(), kmalloc.pagesInUse(),
            server == null ? new java.util.TreeMap<>() : server.heapBytes(), sched.all().size(),
            timers);
    }

    /**
     * The kernel address of process pid's descriptor table ({@link microlith.kernel.task.FdTable}),
     * 0 when it has none or no such process runs: for a harness that plays a kernel memory bug.
     */
    public long descriptorTable(int pid) {
        if (sched == null) {
            return 0;
        }
        for (Task t : sched.all()) {
            if (t.pid == pid && t.files != null) {
                return t.files.address();
            }
        }
        return 0;
    }

    /**
     * Where ring-0 drivers' interrupt and timer handler pointers live in kernel memory: the
     * slot of each claimed IRQ line (by line) and of each armed module timer, for a harness
     * that plays a kernel memory bug.
     */
    public long irqHandlerSlot(int irq) {
        return irqs == null ? 0 : irqs.handlerSlot(irq);
    }

    public List<Long> timerFunctionSlots() {
        return timers.armedFunctionSlots();
    }

    /**
     * Walks the kernel's page tables and those of every live process, servers included,
     * with {@link PageTableChecker}; null before memory management is up.
     */
    public PageTableChecker.Report checkPageTables() {
        if (pages == null) {
            return null;
        }
        Map<String, AddressSpace> spaces = new LinkedHashMap<>();
        for (Task t : sched.all()) {
            if (t.mm != null && t.state != Task.State.ZOMBIE) {
                spaces.put(t.comm + "[" + t.pid + "]", t.mm);
            }
        }
        return new PageTableChecker(mem, pages, kernelPml4).check(spaces);
    }

    /** The event counters at the moment init was started (boot's share), or null before. */
    public microlith.hw.PerfCounters bootCounters() {
        return bootCounters;
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
        kernelPhys = mem.read64(bp + BootParams.OFF_KERNEL);
        long kernelSize = mem.read64(bp + BootParams.OFF_KERNEL_SIZE);
        log.info("BIOS-provided physical RAM map:");
        log.info("BIOS-e820: [mem 0x%016x-0x%016x] reserved", 0L, 0xfffffL);
        log.info("BIOS-e820: [mem 0x%016x-0x%016x] usable", 0x100000L, memSize - 1);

        pages = new PageAllocator(mem, cpu.perf);
        pages.reserve(0, 0x100000);
        pages.reserve(kernelPhys, kernelPhys + kernelSize);
        if (initrd != 0) {
            pages.reserve(initrd, initrd + initrdSize);
        }
        long setup = mem.read64(bp + BootParams.OFF_SETUP_DATA);
        if (setup != 0) {
            pages.reserve(setup, setup + mem.read64(bp + BootParams.OFF_SETUP_DATA_SIZE));
        }
        tables = new PageTables(mem, pages);
        // noexec=off: no entry gets NX from here on (Linux's __supported_pte_mask).
        tables.setSupportedMask(mitigations.nx() ? -1L : ~NX);
        uaccess = new Uaccess(cpu);

        // NX must be on before any page table uses bit 63; WP makes CPL 0 honour R/W.
        cpu.wrmsr(Msr.EFER, cpu.rdmsr(Msr.EFER) | Msr.EFER_NXE | Msr.EFER_SCE);
        kernelPml4 = tables.newTable();
        for (long pa = 0; pa < memSize; pa += 2L << 20) {
            tables.map2M(kernelPml4, Layout.va(pa), pa, RW | NX | G | A | D);
        }
        long textEnd = sysCallTable;
        long rodataEnd = gdt;
        for (long va = text.base(); va < imageEnd; va += Layout.PAGE_SIZE) {
            long pa = kernelPhys + (va - text.base());
            boolean rodata = va >= textEnd && va < rodataEnd || va >= builtinStart;
            long flags = va < textEnd ? G | A : rodata ? NX | G | A : RW | NX | G | A | D;
            tables.map(kernelPml4, va, pa, flags);
        }
        // Pre-create the module area's page directory so every address space shares it.
        tables.pteAddress(kernelPml4, Layout.MODULES_VADDR, true, false);
        cpu.writeCr(3, kernelPml4);
        cpu.writeCr(0, cpu.readCr(0) | Cpu.CR0_WP);
        setupTlb();
        setupSupervisorProtection();
        log.info("Memory: %dK/%dK available (%dK kernel image)", pages.freePages() * 4L, memSize / 1024,
            kernelSize / 1024);
        log.info("Virtual kernel memory layout:");
        log.info("    user      : 0x%016x - 0x%016x", 0L, Layout.TASK_SIZE - 1);
        log.info("    direct map: 0x%016x - 0x%016x (%d MB)", Layout.PAGE_OFFSET, Layout.PAGE_OFFSET + memSize - 1, memSize >> 20);
        log.info("    .text     : 0x%016x - 0x%016x", text.base(), textEnd - 1);
        log.info("    .rodata   : 0x%016x - 0x%016x", textEnd, rodataEnd - 1);
        log.info("    .data/.bss: 0x%016x - 0x%016x", rodataEnd, builtinStart - 1);
        log.info("    .builtin  : 0x%016x - 0x%016x", builtinStart, imageEnd - 1);
        log.info("    modules   : 0x%016x - 0x%016x", moduleBase(), Layout.MODULES_END - 1);
    }

    /**
     * SMEP and SMAP, where the CPU has them and the command line leaves them on (Linux's
     * setup_smep and setup_smap); with SMAP on, the user copies bracket themselves with
     * STAC and CLAC. Then the layout KASLR chose and the state of NX.
     */
    private void setupSupervisorProtection() {
        boolean smep = mitigations.smep() && cpuInfo.has(7, 1, 7);
        boolean smap = mitigations.smap() && cpuInfo.has(7, 1, 20);
        cpuInfo.setCleared("smep", !smep);
        cpuInfo.setCleared("smap", !smap);
        cpu.writeCr(4, cpu.readCr(4) | (smep ? Cpu.CR4_SMEP : 0) | (smap ? Cpu.CR4_SMAP : 0));
        uaccess.setSmap(smap);
        log.info("x86/cpu: SMEP %s, SMAP %s", smep ? "activated" : "disabled", smap ? "activated" : "disabled");
        log.info("NX (Execute Disable) protection: %s", mitigations.nx() ? "active"
            : "disabled by kernel command line option");
        if (mitigations.kaslr()) {
            log.info("KASLR: kernel text at 0x%x (offset 0x%x), modules from 0x%x", text.base(),
                text.base() - Layout.KERNEL_TEXT, moduleBase());
        } else {
            log.info("KASLR disabled on the kernel command line");
        }
    }

    /** Where the module area starts: MODULES_VADDR, plus the KASLR load offset. */
    private long moduleBase() {
        return Kaslr.moduleBase(mitigations.kaslr(), cmdline.getInt("random.seed", DEFAULT_SEED));
    }

    /**
     * Global pages, as every x86 kernel since the Pentium Pro uses them: the kernel's
     * mappings (G set) outlive address-space switches. With pcid=1, tagged TLBs too.
     */
    private void setupTlb() {
        if (cpuInfo.pge()) {
            cpu.writeCr(4, cpu.readCr(4) | Cpu.CR4_PGE);
        }
        pcid = new Pcid(cpu, Layout.va(pages.alloc()));
        tables.setListener(pcid);
        if (cmdline.getInt("pcid", 0) != 1) {
            return;
        }
        if (!cpuInfo.pcid()) {
            log.warn("x86/mm: pcid=1 ignored: the CPU has no PCID or INVPCID");
            return;
        }
        pcid.enable();
        log.info("x86/mm: PCID on: %d dynamic PCIDs, INVPCID for address spaces that are not loaded", Pcid.DYNAMIC);
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
        pic = new Pic(cpu);
        pic.init(Traps.IRQ_BASE);
        pic.setMasked(0, false);
        int divisor = pic.startTimer(Clock.HZ);
        irqs = new IrqTable(pic);
        clock = new Clock(cpu.perf);
        log.info("8259A PIC: IRQ 0-15 at vectors 0x%x-0x%x", Traps.IRQ_BASE, Traps.IRQ_BASE + 15);
        log.info("clocksource: PIT channel 0 at %d Hz (divisor %d), round-robin slice 1 tick", Clock.HZ, divisor);
    }

    /** The kernel heap, the device registries and the VFS, before anything can use them. */
    private void setupCore() {
        kmalloc = new Kmalloc(pages);
        creds = new Creds(cpu, kmalloc, sched);
        switcher = new ContextSwitch(cpu, sched, tss, pcid);
        mounts = new Mounts(log);
    }

    /** The module loader and where modules run (the OS model). */
    private void setupModules() {
        ModuleArea area = new ModuleArea(cpu, pages, tables, kernelPml4, moduleBase());
        modules = new ModuleLoader(log, cpu, text, area, kmalloc, sched,
            cmdline.getLong("module.budget", ModuleLoader.DEFAULT_BUDGET), this::isKernelText);
        chrdevs = new CharDevices(cpu, kmalloc, modules::callPointer, new MemDevices(random));
        vfs = new Vfs(mounts, chrdevs, blockdevs, clock::seconds, mem, pages, sched, cpu.perf);
        modules.setResourceCheck(ko -> {
            for (int[] r : ko.ports) {
                String h = ioports.holder(r[0], r[1]);
                if (h != null) {
                    return String.format("ports 0x%x-0x%x in its manifest are already granted to %s", r[0], r[1], h);
                }
            }
            for (int irq : ko.irqs) {
                String h = irqs.holder(irq);
                if (h != null) {
                    return String.format("IRQ %d in its manifest is already granted to %s", irq, h);
                }
            }
            return null;
        });
        FaultSpec fault = FaultSpec.parse(cmdline.get("faultinject", ""));
        if (fault != null) {
            faultInjection = new FaultInjection(fault);
            modules.setFaultInjection(faultInjection);
        } else if (cmdline.has("faultinject")) {
            log.err("faultinject: ignoring malformed '%s' (MODULE:TYPE:SITE:PARAM:PARAM2)", cmdline.get("faultinject", ""));
        }
        modules.exportKernelSymbol("printk", false);
        modules.exportKernelSymbol("kallsyms_lookup_name", true);
        modules.exportKernelSymbol("prepare_kernel_cred", false);
        modules.exportKernelSymbol("commit_creds", false);
        log.info("modules: area 0x%016x-0x%016x", moduleBase(), Layout.MODULES_END - 1);
    }

    private void setupProcesses() {
        process = new ProcessManager(cpu, pages, tables, kernelPml4, sched, vfs, switcher, random, log, uaccess, clock,
            cmdline.getInt("init.protect", 1) == 1, new microlith.kernel.task.Filp(cpu, kmalloc, log));
        // A copy into user memory (or a grant copy) that found no free page runs the OOM killer for the
        // memory's owner, as a fault of its own would (a server copying into a client's buffer is not the owner).
        java.util.function.Consumer<microlith.kernel.mm.AddressSpace> oom = mm -> sched.all().stream()
            .filter(t -> t.mm == mm && !t.server).findFirst().ifPresent(process::oomKill);
        uaccess.onOutOfMemory(oom);
        ipc = new IpcCore(cpu, sched, switcher, log);
        ipc.onOutOfMemory(oom);
        KernelServices ks = new KernelServices(cpu, log, modules, kmalloc, uaccess, sched, chrdevs, blockdevs, mounts,
            ioports, irqs, clock, timers, procEntries, process.signals);
        InKernelPlacement inKernel = new InKernelPlacement(ks);
        server = new ServerPlacement(ks, ipc,
            new ServerImage(cpu, tables, pages, kernelPml4, sched, process, ipc), pic, switcher);
        ipc.attach(entry::returnToUser, server.kernelCalls());
        process.setExitHook(ipc::died);
        entry.setResumeHook(ipc::resume);
        model = OsModel.fromCommandLine(cmdline);
        modules.setPolicy(m -> model.inKernel(m.name, m.builtin) ? inKernel : server);
        model.describe(log, BUILTIN);
        traps.attach(log, clock, sched, pic, irqs, timers, process, text);
        traps.setNestedCalls(modules.indirect);
        entry.attach(new Entry.Runtime(log, sched, switcher, process, traps, pic, timers, syscalls.size(), idleStackTop,
            this::powerOff, text));
        services.bind(cpu, log, sched, process, uaccess, vfs, modules, pages, clock, random, ipc);
        services.timers = timers;
    }

    /**
     * The root filesystem: ramfs mounted on "/" with the initramfs unpacked into it, then
     * /dev with the kernel's device nodes, /proc, /sys, and the console driver.
     */
    private void mountRoot(long bp) {
        Map<String, byte[]> builtins = readBuiltins();
        loadBuiltin("ramfs", builtins);
        int r = vfs.mountRoot("ramfs", "");
        if (r < 0) {
            throw Panic.panic(log, "VFS: Unable to mount root fs (error " + r + ")");
        }
        unpackInitramfs(bp);
        vfs.kernelMkdirs("/dev");
        vfs.kernelMkdirs("/proc");
        vfs.kernelMkdirs("/sys");
        vfs.kernelMkdirs("/tmp");
        int[] err = new int[1];
        vfs.chmod(null, vfs.lookup(null, null, "/tmp", true, err), 01777);
        String[][] nodes = {{"null", "3", "666"}, {"zero", "5", "666"}, {"full", "7", "666"}, {"random", "8", "666"},
            {"urandom", "9", "666"}};
        for (String[] n : nodes) {
            vfs.kernelMknod("/dev/" + n[0], Inode.S_IFCHR | Integer.parseInt(n[2], 8),
                (long) CharDevices.MEM_MAJOR << 8 | Integer.parseInt(n[1]));
        }
        vfs.kernelMknod("/dev/tty", Inode.S_IFCHR | 0666, (long) CharDevices.TTYAUX_MAJOR << 8);
        vfs.kernelMknod("/dev/console", Inode.S_IFCHR | 0600, (long) CharDevices.TTYAUX_MAJOR << 8 | 1);
        vfs.mountKernel("proc", new ProcFs(new ProcFs.Sources(sched, modules, mounts, chrdevs, blockdevs, ioports, irqs,
            pages, kmalloc, cpu.perf, clock::nanos, () -> clock.jiffies, cmdline.raw(), Utsname.banner(),
            procEntries, cpuInfo)), "/proc");
        sysfs = new SysFs(modules, sched);
        vfs.mountKernel("sysfs", sysfs, "/sys");
        log.info("devtmpfs: /dev/{null,zero,full,random,urandom,tty,console}; proc on /proc, sysfs on /sys");
        loadBuiltin("serial", builtins);
    }

    /**
     * The reincarnation server, in a model where modules run as servers: it adopts the
     * servers already running (the built-in drivers of the microkernel model) and every one
     * started later, and service(8) reaches it through /sys/rs/services (docs/microkernel.md).
     */
    private void startReincarnation() {
        if (!model.hasServers() || !server.reincarnation().start()) {
            return;
        }
        sysfs.addFile("rs/services", 0666, server.reincarnation()::list,
            text -> server.reincarnation().control(text, sched.current()));
    }

    /** The built-in drivers, read back from the image's .builtin section in memory. */
    private Map<String, byte[]> readBuiltins() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        long p = builtinStart;
        for (;;) {
            int nameLen = mem.read32(kernelPhys + (p - text.base()));
            if (nameLen == 0) {
                return out;
            }
            byte[] name = new byte[nameLen];
            readKernel(p + 4, name);
            p += (4 + nameLen + 7) & ~7L;
            byte[] ko = new byte[mem.read32(kernelPhys + (p - text.base()))];
            readKernel(p + 4, ko);
            p += (4 + ko.length + 7) & ~7L;
            out.put(new String(name, StandardCharsets.UTF_8), ko);
        }
    }

    private void readKernel(long va, byte[] dst) {
        mem.readBytes(kernelPhys + (va - text.base()), dst, 0, dst.length);
    }

    /** Loads a built-in driver; its parameters come from NAME.param=value words on the command line. */
    private void loadBuiltin(String name, Map<String, byte[]> builtins) {
        byte[] ko = builtins.get(name);
        if (ko == null) {
            throw Panic.panic(log, "built-in driver " + name + " missing from the kernel image");
        }
        StringBuilder params = new StringBuilder();
        for (String w : cmdline.raw().split(" ")) {
            if (w.startsWith(name + ".") && w.indexOf('=') > name.length() + 1) {
                params.append(w.substring(name.length() + 1)).append(' ');
            }
        }
        int r = modules.loadBuiltin(ko, params.toString().trim());
        if (r != 0) {
            throw Panic.panic(log, "built-in driver " + name + " failed to load (error " + r + ")");
        }
    }

    private void unpackInitramfs(long bp) {
        long addr = mem.read64(bp + BootParams.OFF_INITRD);
        long size = mem.read64(bp + BootParams.OFF_INITRD_SIZE);
        if (addr == 0) {
            log.warn("No initramfs given");
            return;
        }
        byte[] a = new byte[(int) size];
        mem.readBytes(addr, a, 0, (int) size);
        int[] failed = new int[1];
        try {
            int n = Cpio.unpack(a, new Cpio.Sink() {
                @Override
                public void entry(String path, int mode, int uid, int gid, long mtime, long rdev, byte[] data, int off,
                                  int len) {
                    failed(path, vfs.kernelInstall(path, mode, uid, gid, mtime, rdev, data, off, len));
                }

                @Override
                public void link(String path, String target) {
                    failed(path, vfs.kernelLink(path, target));
                }

                private void failed(String path, int r) {
                    if (r < 0 && failed[0]++ == 0) {
                        log.err("Initramfs unpacking failed at %s (error %d)", path, r);
                    }
                }
            });
            log.info("Unpacking initramfs... %d entries, %dK", n, size / 1024);
        } catch (Cpio.FormatException e) {
            log.err("Initramfs unpacking failed: %s", e.getMessage());
        }
        pages.release(addr, addr + size);
        log.info("Freeing initrd memory: %dK", size / 1024);
    }

    /** Modules named on the command line (module=/path.ko, repeatable) load before init. */
    private void loadBootModules() {
        for (String path : cmdline.getAll("module")) {
            int[] err = new int[1];
            Inode n = vfs.lookup(null, null, path, true, err);
            if (n == null || !n.isRegular()) {
                log.err("module: %s: no such file", path);
                continue;
            }
            int r = modules.load(vfs.readAll(n), "", null);
            if (r != 0) {
                log.err("module: loading %s failed (error %d)", path, r);
            }
        }
    }

    /**
     * Functions of the kernel's own text that modules may call by address: printk(fmt)
     * with a NUL-terminated string in kernel memory (a leading "\001N" sets the level,
     * as KERN_* prefixes do), the GPL-only kallsyms_lookup_name(name), and
     * prepare_kernel_cred and commit_creds (proc/Creds).
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
        text.function("prepare_kernel_cred", c -> c.setReg(Cpu.RAX, creds.prepareKernelCred(c.reg(Cpu.RDI))));
        text.function("commit_creds", c -> c.setReg(Cpu.RAX, creds.commitCreds(c.reg(Cpu.RDI))));
        // Where machine code the kernel calls through a pointer returns to (arch/IndirectCall).
        text.label("x86_call_return");
        text.kcall("x86_call_return", c -> modules.indirect.returned(c));
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
    private boolean isKernelText(long addr) {
        return Long.compareUnsigned(addr, text.base()) >= 0 && Long.compareUnsigned(addr, sysCallTable) < 0;
    }

    /**
     * Init's fds 0, 1 and 2: /dev/console, or the devices init.stdin=, init.stdout= and
     * init.stderr= name under /dev. Each device is opened once, read-only for stdin alone,
     * write-only for output alone, read-write when it serves both, and shared by the fds
     * it serves, as a shell's redirections would leave them.
     */
    private File[] initStdio() {
        String[] names = {cmdline.get("init.stdin", "console"), cmdline.get("init.stdout", "console"),
            cmdline.get("init.stderr", "console")};
        File[] fds = new File[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < i && fds[i] == null; j++) {
                if (names[j].equals(names[i])) {
                    fds[i] = fds[j];
                }
            }
            if (fds[i] != null) {
                continue;
            }
            boolean in = names[0].equals(names[i]);
            boolean out = names[1].equals(names[i]) || names[2].equals(names[i]);
            int mode = in && out ? 2 /* O_RDWR */ : in ? 0 /* O_RDONLY */ : 1 /* O_WRONLY */;
            int[] err = new int[1];
            fds[i] = vfs.open(null, null, "/dev/" + names[i], mode | Vfs.O_NOCTTY, 0, err);
            if (fds[i] == null) {
                log.err("Warning: unable to open an initial console (/dev/%s: error %d)", names[i], err[0]);
            }
        }
        return fds;
    }

    /**
     * Init's arguments: from the boot loader's setup data when it gives them (any size up
     * to ARG_MAX), else argv0= and the words after "--" on the command line.
     */
    private InitArgs initArgs(long bp, String init) {
        long addr = mem.read64(bp + BootParams.OFF_SETUP_DATA);
        if (addr != 0) {
            long size = mem.read64(bp + BootParams.OFF_SETUP_DATA_SIZE);
            byte[] blob = new byte[(int) size];
            mem.readBytes(addr, blob, 0, blob.length);
            // The blob's last page holds nothing else (the initrd starts on the next page).
            pages.release(addr, Layout.pageUp(addr + size));
            InitArgs given = InitArgs.decode(blob);
            if (given != null && !given.argv().isEmpty()) {
                return given;
            }
            log.err("Ignoring malformed init arguments in the setup data");
        }
        List<String> argv = new ArrayList<>();
        argv.add(cmdline.get("argv0", init));
        argv.addAll(cmdline.initArgs());
        return new InitArgs(argv, InitArgs.DEFAULT_ENVP);
    }

    private void runInit(long bp) {
        String init = cmdline.get("init", "/sbin/init");
        InitArgs args = initArgs(bp, init);
        List<String> argv = args.argv();
        List<String> envp = args.envp();
        File[] stdio = initStdio();
        log.info("Run %s as init process", init);
        bootCounters = cpu.perf.copy();
        int r = process.spawnInit(init, argv, envp, stdio);
        if (r != 0) {
            log.err("Failed to execute %s (error %d)", init, -r);
            throw Panic.panic(log, "No working init found.  Try passing init= option to kernel.");
        }
        entry.exitToUser(cpu, null);
    }

    // ------------------------------------------------------------------ death

    /**
     * Init is gone: make the filesystems durable, then report how it ended through the
     * power-off port: its wait status as wait4(2) would give it (exit code &lt;&lt; 8, or the
     * signal that killed it), so the host can tell "exit 139" from a segfault.
     */
    private void powerOff() {
        mounts.syncAll();
        log.notice("reboot: Power down (init exited with status %d)", process.initStatus());
        cpu.out(PowerPort.PORT, 4, process.initWaitStatus());
    }
}

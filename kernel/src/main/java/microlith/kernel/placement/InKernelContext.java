package microlith.kernel.placement;

import java.nio.charset.StandardCharsets;
import microlith.hw.cpu.Cpu;
import microlith.hw.mmu.Mmu;
import microlith.kernel.fs.Owner;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.task.Task;
import microlith.kernel.time.Clock;
import microlith.kernel.time.Timers;
import microlith.kernel.uts.Utsname;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.FileOperations;
import microlith.module.api.FileSystemType;
import microlith.module.api.IrqHandler;
import microlith.module.api.KernelFunction;
import microlith.module.api.ModuleContext;
import microlith.module.api.ModuleParam;
import microlith.module.api.ProcShow;
import microlith.module.api.Timer;
import microlith.module.api.WaitQueue;

/**
 * The SDK as a module sees it in ring 0 (the monolithic model, and modules the hybrid
 * model places in the kernel): each call acts on the kernel directly. The server runtime
 * gives the same interface a ring-3 implementation.
 *
 * <p>Memory accesses go through the CPU's MMU at CPL 0 on the current page tables: a bad
 * kernel address page-faults (an oops in the module), and a wild write to mapped kernel
 * memory corrupts it, as on hardware. Entry points the kernel calls later (file
 * operations, IRQ handlers, timers, exported functions) get stubs in the module's text.
 */
final class InKernelContext implements ModuleContext {
    private final KernelServices k;
    private final ModuleLoader loader;
    private final LoadedModule m;
    private final Cpu cpu;
    private final ChrdevBridge chrdevs;
    final Owner owner;
    /** How many functionAddress stubs the module made (they are named NAME_fnN). */
    private int functions;

    InKernelContext(KernelServices k, LoadedModule m) {
        this.k = k;
        this.loader = k.loader();
        this.m = m;
        this.cpu = k.cpu();
        this.owner = new Owner() {
            @Override
            public boolean get() {
                return loader.get(m);
            }

            @Override
            public void put() {
                loader.put(m);
            }
        };
        this.chrdevs = new ChrdevBridge(k, m, this);
    }

    private void registered(String what, Runnable undo) {
        loader.registered(m, what, undo);
    }

    private void unregistered(String what) {
        loader.unregistered(m, what);
    }

    @Override
    public String name() {
        return m.name;
    }

    @Override
    public void printk(int level, String format, Object... args) {
        String text;
        try {
            text = args.length == 0 ? format : String.format(format, args);
        } catch (java.util.IllegalFormatException e) {
            text = format;
        }
        k.log().log(Math.max(0, Math.min(7, level)), text);
    }

    @Override
    public String kernelRelease() {
        return Utsname.RELEASE;
    }

    @Override
    public String placement() {
        return "kernel";
    }

    // ------------------------------------------------------------------ parameters

    @Override
    public ModuleParam<Long> paramLong(String name, long defaultValue, int perm, String description) {
        return Params.paramLong(k.log(), m, name, defaultValue, perm, description);
    }

    @Override
    public ModuleParam<String> paramString(String name, String defaultValue, int perm, String description) {
        return Params.paramString(m, name, defaultValue, perm, description);
    }

    @Override
    public ModuleParam<Boolean> paramBool(String name, boolean defaultValue, int perm, String description) {
        return Params.paramBool(k.log(), m, name, defaultValue, perm, description);
    }

    // ------------------------------------------------------------------ kernel memory

    @Override
    public long kmalloc(long size) {
        return k.kmalloc().alloc(size, m);
    }

    @Override
    public long kzalloc(long size) {
        return k.kmalloc().allocZeroed(size, m, cpu.memory());
    }

    @Override
    public void kfree(long addr) {
        if (addr != 0 && !k.kmalloc().free(addr)) {
            k.log().warn("%s: kfree of 0x%x, which is not a kmalloc'd address (double free?)", m.name, addr);
        }
    }

    @Override
    public int read8(long addr) {
        return cpu.read8(addr);
    }

    @Override
    public int read16(long addr) {
        return cpu.read16(addr);
    }

    @Override
    public int read32(long addr) {
        return cpu.read32(addr);
    }

    @Override
    public long read64(long addr) {
        return cpu.read64(addr);
    }

    @Override
    public void write8(long addr, int value) {
        cpu.write8(addr, value);
    }

    @Override
    public void write16(long addr, int value) {
        cpu.write16(addr, value);
    }

    @Override
    public void write32(long addr, int value) {
        cpu.write32(addr, value);
    }

    @Override
    public void write64(long addr, long value) {
        cpu.write64(addr, value);
    }

    /** Byte ranges move a page at a time, each page translated (and checked) by the MMU at CPL 0. */
    @Override
    public void readBytes(long addr, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        int done = 0;
        while (done < len) {
            long va = addr + done;
            int chunk = (int) Math.min(len - done, 4096 - (va & 0xfff));
            cpu.memory().readBytes(cpu.mmu().translate(va, Mmu.READ, false), dst, off + done, chunk);
            done += chunk;
        }
    }

    @Override
    public void writeBytes(long addr, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        int done = 0;
        while (done < len) {
            long va = addr + done;
            int chunk = (int) Math.min(len - done, 4096 - (va & 0xfff));
            cpu.memory().writeBytes(cpu.mmu().translate(va, Mmu.WRITE, false), src, off + done, chunk);
            done += chunk;
        }
    }

    // ------------------------------------------------------------------ user memory

    private Task current() {
        return k.sched().current();
    }

    @Override
    public boolean accessOk(long userAddr, long len) {
        return Uaccess.accessOk(userAddr, len);
    }

    @Override
    public long copyFromUser(byte[] dst, int off, long userAddr, long len) {
        Task t = current();
        if (t == null || len < 0 || off < 0 || off + len > dst.length) {
            return Math.max(0, len);
        }
        return k.uaccess().copyFromUser(t.mm, userAddr, dst, off, (int) len) ? 0 : len;
    }

    @Override
    public long copyToUser(long userAddr, byte[] src, int off, long len) {
        Task t = current();
        if (t == null || len < 0 || off < 0 || off + len > src.length) {
            return Math.max(0, len);
        }
        return k.uaccess().copyToUser(t.mm, userAddr, src, off, (int) len) ? 0 : len;
    }

    @Override
    public long strncpyFromUser(byte[] dst, long userAddr, long count) {
        Task t = current();
        int max = (int) Math.min(count, dst.length);
        String s = t == null ? null : k.uaccess().strncpyFromUser(t.mm, userAddr, max);
        if (s == null) {
            return -Errno.EFAULT;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, max);
        System.arraycopy(b, 0, dst, 0, n);
        if (n < dst.length) {
            dst[n] = 0;
        }
        return n;
    }

    // ------------------------------------------------------------------ devices

    @Override
    public int registerChrdev(int major, String name, FileOperations fops) {
        int r = registerChrdevRegion(major, name, fops);
        if (r > 0) {
            int n = deviceCreate(name, r, 0, 0600);
            if (n < 0) {
                unregisterChrdev(r, name);
                return n;
            }
        }
        return r;
    }

    @Override
    public int registerChrdevRegion(int major, String name, FileOperations fops) {
        int r = chrdevs.register(major, name, fops);
        if (r > 0) {
            registered("chrdev:" + r, () -> {
                k.log().warn("%s: chrdev %d (%s) still registered at unload; removing it", m.name, r, name);
                k.chrdevs().unregister(r);
            });
        }
        return r;
    }

    @Override
    public void unregisterChrdev(int major, String name) {
        k.chrdevs().unregister(major);
        unregistered("chrdev:" + major);
        deviceDestroy(name);
    }

    @Override
    public int deviceCreate(String name, int major, int minor, int mode) {
        int r = k.chrdevs().createNode(name, major, minor, mode == 0 ? 0600 : mode);
        if (r == 0) {
            registered("dev:" + name, () -> k.chrdevs().removeNode(name));
        }
        return r;
    }

    @Override
    public void deviceDestroy(String name) {
        if (m.registrations.stream().anyMatch(r -> r.what().equals("dev:" + name))) {
            k.chrdevs().removeNode(name);
            unregistered("dev:" + name);
        }
    }

    @Override
    public int procCreate(String name, ProcShow show) {
        if (name == null || name.isEmpty() || name.contains("/") || !k.procEntries().add(name, () -> {
            StringBuilder sb = new StringBuilder();
            loader.guarded(m, "proc_show", 0, () -> {
                show.show(sb);
                return 0;
            });
            return sb.toString();
        })) {
            return -Errno.EEXIST;
        }
        registered("proc:" + name, () -> k.procEntries().remove(name));
        return 0;
    }

    @Override
    public void procRemove(String name) {
        k.procEntries().remove(name);
        unregistered("proc:" + name);
    }

    @Override
    public boolean requestRegion(int start, int n, String name) {
        if (!m.ko.declaresPorts(start, n)) {
            k.log().err("%s: request_region 0x%x-0x%x: not declared in Module-Ports", m.name, start, start + n - 1);
            return false;
        }
        if (!k.ioports().request(start, n, name)) {
            return false;
        }
        registered("region:" + start, () -> k.ioports().release(start));
        return true;
    }

    @Override
    public void releaseRegion(int start, int n) {
        if (m.registrations.stream().anyMatch(r -> r.what().equals("region:" + start))) {
            k.ioports().release(start);
            unregistered("region:" + start);
        }
    }

    @Override
    public int inb(int port) {
        return cpu.in(port & 0xffff, 1);
    }

    @Override
    public int inw(int port) {
        return cpu.in(port & 0xffff, 2);
    }

    @Override
    public int inl(int port) {
        return cpu.in(port & 0xffff, 4);
    }

    @Override
    public void outb(int value, int port) {
        cpu.out(port & 0xffff, 1, value & 0xff);
    }

    @Override
    public void outw(int value, int port) {
        cpu.out(port & 0xffff, 2, value & 0xffff);
    }

    @Override
    public void outl(int value, int port) {
        cpu.out(port & 0xffff, 4, value);
    }

    // ------------------------------------------------------------------ interrupts and time

    @Override
    public int requestIrq(int irq, IrqHandler handler, String name) {
        if (!m.ko.irqs.contains(irq)) {
            k.log().err("%s: request_irq %d: not declared in Module-Irqs", m.name, irq);
            return -Errno.EPERM;
        }
        long fn = loader.stub(m, m.name + "_irq" + irq, 't', IrqHandler.IRQ_NONE,
            c -> (long) handler.handle((int) c.reg(Cpu.RDI)));
        long slot = functionSlot(fn);
        if (slot == 0) {
            return -Errno.ENOMEM;
        }
        int r = k.irqs().request(irq, line -> callSlot(slot, line) == IrqHandler.IRQ_HANDLED, name, slot);
        if (r == 0) {
            registered("irq:" + irq, () -> releaseIrq(irq));
        } else {
            k.kmalloc().free(slot);
        }
        return r;
    }

    /*
     * The handler of an interrupt or a timer is called through its address as kernel
     * memory holds it, 8 kmalloc'd bytes of the module's (the handler field of Linux's
     * struct irqaction, the function field of struct timer_list), read at every interrupt
     * and expiry: a wild write there sends the next call wherever it says (DESIGN.md
     * invariant 3), and a bad address is an oops of the call, as any call through a pointer.
     */
    private long functionSlot(long fn) {
        long slot = k.kmalloc().alloc(8, m);
        if (slot != 0) {
            cpu.memory().write64(Layout.pa(slot), fn);
        }
        return slot;
    }

    private long callSlot(long slot, long arg) {
        return loader.callPointer(cpu.memory().read64(Layout.pa(slot)), arg, 0, 0);
    }

    private void releaseIrq(int irq) {
        long slot = k.irqs().handlerSlot(irq);
        k.irqs().free(irq);
        if (slot != 0) {
            k.kmalloc().free(slot);
        }
    }

    @Override
    public void freeIrq(int irq) {
        if (m.registrations.stream().anyMatch(r -> r.what().equals("irq:" + irq))) {
            releaseIrq(irq);
            unregistered("irq:" + irq);
        }
    }

    @Override
    public long jiffies() {
        return k.clock().jiffies;
    }

    @Override
    public int hz() {
        return Clock.HZ;
    }

    @Override
    public Timer timerSetup(Runnable callback) {
        long fn = loader.stub(m, m.name + "_timer", 't', 0, c -> {
            callback.run();
            return 0L;
        });
        long slot = functionSlot(fn);
        if (slot == 0) {
            throw new IllegalStateException("timer_setup: no memory for the timer's function pointer");
        }
        Timers.Entry e = k.timers().create(() -> callSlot(slot, 0));
        e.functionSlot = slot;
        registered("timer:" + System.identityHashCode(e), () -> {
            k.timers().delete(e);
            k.kmalloc().free(slot);
        });
        return new Timer() {
            @Override
            public void mod(long expiresJiffies) {
                k.timers().mod(e, expiresJiffies);
            }

            @Override
            public boolean delete() {
                return k.timers().delete(e);
            }

            @Override
            public boolean pending() {
                return e.pending;
            }
        };
    }

    @Override
    public WaitQueue waitQueue() {
        return new ModuleWaitQueue(k.sched());
    }

    @Override
    public int killProcessGroup(int pgrp, int sig) {
        return k.signals().killProcessGroup(pgrp, sig);
    }

    @Override
    public int sessionOfProcessGroup(int pgrp) {
        int sid = k.signals().sessionOfProcessGroup(pgrp);
        return sid < 0 ? -Errno.ESRCH : sid;
    }

    @Override
    public boolean isOrphanedProcessGroup(int pgrp) {
        return k.signals().isOrphanedProcessGroup(pgrp);
    }

    @Override
    public boolean signalIgnored(int sig) {
        Task t = current();
        return t != null && sig > 0 && sig < Task.NSIG && k.signals().ignoresOrBlocks(t, sig);
    }

    // ------------------------------------------------------------------ symbols

    @Override
    public long exportSymbol(String name, KernelFunction fn) {
        return export(name, fn, false);
    }

    @Override
    public long exportSymbolGpl(String name, KernelFunction fn) {
        return export(name, fn, true);
    }

    private long export(String name, KernelFunction fn, boolean gpl) {
        if (loader.symbols.find(name) != null) {
            k.log().err("%s: exports duplicate symbol %s (owned by %s)", m.name, name,
                loader.symbols.find(name).owner() == null ? "kernel" : loader.symbols.find(name).owner().name);
            throw new ModuleLoader.UnresolvedSymbol(name + " (duplicate export)");
        }
        long addr = loader.stub(m, name, 'T', -Errno.EFAULT, c -> fn.call(c.reg(Cpu.RDI), c.reg(Cpu.RSI),
            c.reg(Cpu.RDX), c.reg(Cpu.RCX), c.reg(Cpu.R8), c.reg(Cpu.R9)));
        loader.symbols.export(new microlith.kernel.module.Symbols.Export(name, addr, gpl, m));
        return addr;
    }

    @Override
    public KernelFunction symbol(String name) {
        return loader.resolve(m, name);
    }

    // ------------------------------------------------------------------ function pointers and credentials

    @Override
    public long functionAddress(KernelFunction fn) {
        return loader.stub(m, m.name + "_fn" + functions++, 't', -Errno.EFAULT, c -> fn.call(c.reg(Cpu.RDI),
            c.reg(Cpu.RSI), c.reg(Cpu.RDX), c.reg(Cpu.RCX), c.reg(Cpu.R8), c.reg(Cpu.R9)));
    }

    @Override
    public KernelFunction functionAt(long address) {
        return (a, b, c, d, e, f) -> loader.callFrom(m, address, a, b, c, d, e, f);
    }

    @Override
    public long symbolAddress(String name) {
        return loader.resolveAddress(m, name);
    }

    @Override
    public long currentCred() {
        Task t = current();
        return t == null ? 0 : t.cred();
    }

    // ------------------------------------------------------------------ block devices and filesystems

    @Override
    public int registerBlockDevice(String name, BlockDevice device) {
        int r = k.blockdevs().register(name, new GuardedBlockDevice(loader, m, device), owner);
        if (r == 0) {
            registered("blkdev:" + name, () -> k.blockdevs().unregister(name));
        }
        return r;
    }

    @Override
    public void unregisterBlockDevice(String name) {
        k.blockdevs().unregister(name);
        unregistered("blkdev:" + name);
    }

    @Override
    public int registerFilesystem(FileSystemType type) {
        int r = k.mounts().registerFilesystem(new GuardedFileSystemType(loader, m, type), owner);
        if (r == 0) {
            registered("fs:" + type.name(), () -> k.mounts().unregisterFilesystem(type.name()));
        }
        return r;
    }

    @Override
    public int unregisterFilesystem(FileSystemType type) {
        int r = k.mounts().unregisterFilesystem(type.name());
        if (r == 0) {
            unregistered("fs:" + type.name());
        }
        return r;
    }
}

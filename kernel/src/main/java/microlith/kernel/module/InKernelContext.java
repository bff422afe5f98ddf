package microlith.kernel.module;

import java.nio.charset.StandardCharsets;
import microlith.hw.cpu.Cpu;
import microlith.kernel.Kernel;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.proc.Task;
import microlith.kernel.syscall.Errno;
import microlith.module.api.BlockDevice;
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
 * The SDK as a module sees it in the monolithic model: the module runs in ring 0 and each
 * call acts on the kernel directly. This is the placement layer's ring-0 half; the
 * microkernel placement gives the same interface a ring-3 server's implementation.
 *
 * <p>Memory accesses go through the CPU's MMU at CPL 0 on the current page tables: a bad
 * kernel address page-faults (an oops in the module), and a wild write to mapped kernel
 * memory corrupts it, as on hardware. Entry points the kernel calls later (file
 * operations, IRQ handlers, timers, exported functions) get stubs in the module's text.
 */
final class InKernelContext implements ModuleContext {
    private final Kernel k;
    private final ModuleLoader loader;
    private final LoadedModule m;
    private final Cpu cpu;
    final ChrdevBridge chrdevs;

    InKernelContext(Kernel k, ModuleLoader loader, LoadedModule m) {
        this.k = k;
        this.loader = loader;
        this.m = m;
        this.cpu = k.cpu;
        this.chrdevs = new ChrdevBridge(k, loader, m, this);
    }

    private void registered(String what, Runnable undo) {
        m.registrations.add(new LoadedModule.Registration(what, undo));
    }

    private void unregistered(String what) {
        m.registrations.removeIf(r -> r.what().equals(what));
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
        k.log.log(Math.max(0, Math.min(7, level)), text);
    }

    @Override
    public String kernelRelease() {
        return Kernel.RELEASE;
    }

    // ------------------------------------------------------------------ parameters

    private <T> ModuleParam<T> param(String name, String type, T value, int perm, String description) {
        LoadedModule.Param p = new LoadedModule.Param(type, perm, description, value);
        m.params.put(name, p);
        return new ModuleParam<T>() {
            @Override
            @SuppressWarnings("unchecked")
            public T get() {
                return (T) p.value;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    private void badParam(String name, String value) {
        k.log.warn("%s: '%s' invalid for parameter '%s'", m.name, value, name);
        throw new BadParameter();
    }

    /** A parameter value that does not parse fails the load with EINVAL, as Linux does. */
    static final class BadParameter extends RuntimeException {
        BadParameter() {
            super("bad parameter", null, false, false);
        }
    }

    @Override
    public ModuleParam<Long> paramLong(String name, long defaultValue, int perm, String description) {
        String v = m.given.get(name);
        long value = defaultValue;
        if (v != null) {
            try {
                value = Long.decode(v);
            } catch (NumberFormatException e) {
                badParam(name, v);
            }
        }
        return param(name, "long", value, perm, description);
    }

    @Override
    public ModuleParam<String> paramString(String name, String defaultValue, int perm, String description) {
        String v = m.given.get(name);
        return param(name, "charp", v != null ? v : defaultValue, perm, description);
    }

    @Override
    public ModuleParam<Boolean> paramBool(String name, boolean defaultValue, int perm, String description) {
        String v = m.given.get(name);
        boolean value = defaultValue;
        if (v != null) {
            switch (v) {
                case "": case "1": case "y": case "Y": value = true; break;
                case "0": case "n": case "N": value = false; break;
                default: badParam(name, v);
            }
        }
        return param(name, "bool", value, perm, description);
    }

    // ------------------------------------------------------------------ kernel memory

    @Override
    public long kmalloc(long size) {
        return k.kmalloc.alloc(size, m);
    }

    @Override
    public long kzalloc(long size) {
        return k.kmalloc.allocZeroed(size, m, k.mem);
    }

    @Override
    public void kfree(long addr) {
        if (addr != 0 && !k.kmalloc.free(addr)) {
            k.log.warn("%s: kfree of 0x%x, which is not a kmalloc'd address (double free?)", m.name, addr);
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

    @Override
    public void readBytes(long addr, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        for (int i = 0; i < len; i++) {
            dst[off + i] = (byte) cpu.read8(addr + i);
        }
    }

    @Override
    public void writeBytes(long addr, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        for (int i = 0; i < len; i++) {
            cpu.write8(addr + i, src[off + i]);
        }
    }

    // ------------------------------------------------------------------ user memory

    private Task current() {
        return k.sched.current();
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
        return k.uaccess.copyFromUser(t.mm, userAddr, dst, off, (int) len) ? 0 : len;
    }

    @Override
    public long copyToUser(long userAddr, byte[] src, int off, long len) {
        Task t = current();
        if (t == null || len < 0 || off < 0 || off + len > src.length) {
            return Math.max(0, len);
        }
        return k.uaccess.copyToUser(t.mm, userAddr, src, off, (int) len) ? 0 : len;
    }

    @Override
    public long strncpyFromUser(byte[] dst, long userAddr, long count) {
        Task t = current();
        int max = (int) Math.min(count, dst.length);
        String s = t == null ? null : k.uaccess.strncpyFromUser(t.mm, userAddr, max);
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
        int r = chrdevs.register(major, name, fops);
        if (r > 0) {
            registered("chrdev:" + r, () -> {
                k.log.warn("%s: chrdev %d (%s) still registered at unload; removing it", m.name, r, name);
                k.chrdevs.unregister(r);
            });
        }
        return r;
    }

    @Override
    public void unregisterChrdev(int major, String name) {
        k.chrdevs.unregister(major);
        unregistered("chrdev:" + major);
    }

    @Override
    public int procCreate(String name, ProcShow show) {
        if (name == null || name.isEmpty() || name.contains("/") || !k.procEntries.add(name, () -> {
            StringBuilder sb = new StringBuilder();
            loader.guarded(m, "proc_show", 0, () -> {
                show.show(sb);
                return 0;
            });
            return sb.toString();
        })) {
            return -Errno.EEXIST;
        }
        registered("proc:" + name, () -> k.procEntries.remove(name));
        return 0;
    }

    @Override
    public void procRemove(String name) {
        k.procEntries.remove(name);
        unregistered("proc:" + name);
    }

    @Override
    public boolean requestRegion(int start, int n, String name) {
        if (!k.ioports.request(start, n, name)) {
            return false;
        }
        registered("region:" + start, () -> k.ioports.release(start));
        return true;
    }

    @Override
    public void releaseRegion(int start, int n) {
        k.ioports.release(start);
        unregistered("region:" + start);
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
        long fn = loader.stub(m, m.name + "_irq" + irq, 't', IrqHandler.IRQ_NONE,
            c -> (long) handler.handle((int) c.reg(Cpu.RDI)));
        int r = k.irqs.request(irq, fn, name);
        if (r == 0) {
            registered("irq:" + irq, () -> k.irqs.free(irq));
        }
        return r;
    }

    @Override
    public void freeIrq(int irq) {
        k.irqs.free(irq);
        unregistered("irq:" + irq);
    }

    @Override
    public long jiffies() {
        return k.jiffies;
    }

    @Override
    public int hz() {
        return Kernel.HZ;
    }

    @Override
    public Timer timerSetup(Runnable callback) {
        long fn = loader.stub(m, m.name + "_timer", 't', 0, c -> {
            callback.run();
            return 0L;
        });
        microlith.kernel.proc.Timers.Entry e = k.timers.create(fn);
        registered("timer:" + System.identityHashCode(e), () -> k.timers.delete(e));
        return new Timer() {
            @Override
            public void mod(long expiresJiffies) {
                k.timers.mod(e, expiresJiffies);
            }

            @Override
            public boolean delete() {
                return k.timers.delete(e);
            }

            @Override
            public boolean pending() {
                return e.pending;
            }
        };
    }

    @Override
    public WaitQueue waitQueue() {
        return new ModuleWaitQueue(k);
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
            k.log.err("%s: exports duplicate symbol %s (owned by %s)", m.name, name,
                loader.symbols.find(name).owner() == null ? "kernel" : loader.symbols.find(name).owner().name);
            throw new ModuleLoader.UnresolvedSymbol(name + " (duplicate export)");
        }
        long addr = loader.stub(m, name, 'T', -Errno.EFAULT, c -> fn.call(c.reg(Cpu.RDI), c.reg(Cpu.RSI),
            c.reg(Cpu.RDX), c.reg(Cpu.RCX), c.reg(Cpu.R8), c.reg(Cpu.R9)));
        loader.symbols.export(new Symbols.Export(name, addr, gpl, m));
        return addr;
    }

    @Override
    public KernelFunction symbol(String name) {
        return loader.resolve(m, name);
    }

    // ------------------------------------------------------------------ block devices and filesystems

    @Override
    public int registerBlockDevice(String name, BlockDevice device) {
        int r = k.blockdevs.register(name, guardedDevice(device), m);
        if (r == 0) {
            registered("blkdev:" + name, () -> k.blockdevs.unregister(name));
        }
        return r;
    }

    /** Calls into the driver run under the watchdog like every other module entry. */
    private BlockDevice guardedDevice(BlockDevice d) {
        return new BlockDevice() {
            @Override
            public long sectors() {
                return loader.guarded(m, "blk_sectors", 0, d::sectors);
            }

            @Override
            public int read(long lba, int count, byte[] buf, int off) {
                return (int) loader.guarded(m, "blk_read", -Errno.EIO, () -> d.read(lba, count, buf, off));
            }

            @Override
            public int write(long lba, int count, byte[] buf, int off) {
                return (int) loader.guarded(m, "blk_write", -Errno.EIO, () -> d.write(lba, count, buf, off));
            }

            @Override
            public int flush() {
                return (int) loader.guarded(m, "blk_flush", -Errno.EIO, d::flush);
            }
        };
    }

    @Override
    public void unregisterBlockDevice(String name) {
        k.blockdevs.unregister(name);
        unregistered("blkdev:" + name);
    }

    @Override
    public int registerFilesystem(FileSystemType type) {
        int r = k.mounts.registerFilesystem(type, m);
        if (r == 0) {
            registered("fs:" + type.name(), () -> k.mounts.unregisterFilesystem(type.name()));
        }
        return r;
    }

    @Override
    public int unregisterFilesystem(FileSystemType type) {
        int r = k.mounts.unregisterFilesystem(type.name());
        if (r == 0) {
            unregistered("fs:" + type.name());
        }
        return r;
    }
}

package microlith.server;

import java.util.ArrayList;
import java.util.List;
import microlith.hw.cpu.Cpu;
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
import microlith.server.abi.Ipc;

/**
 * The SDK as a module sees it in a ring-3 server (the microkernel model, and modules the
 * hybrid model places in user space). Memory is the server's own, reached through the
 * MMU as user accesses; port I/O is checked against the server's I/O bitmap; user copies
 * are grant copies the core checks; everything else is a kernel call. The module cannot
 * tell the difference except by asking {@link #placement()}.
 */
final class ServerContext implements ModuleContext {
    /** A load-time failure with its errno (a bad parameter, an unknown symbol). */
    static final class LoadError extends RuntimeException {
        final int errno;

        LoadError(int errno) {
            super("load error " + errno, null, false, false);
            this.errno = errno;
        }
    }

    private final String name;
    private final String release;
    private final int hz;
    private final Cpu cpu;
    private final KernelCalls k;
    private final UserMemory mem;
    private final Heap heap;
    private final FunctionPointers pointers;
    /** The server's copy of struct cred, filled from each request's identity by currentCred(). */
    private long cred;
    /** The request being served: its grant bounds every user copy. */
    Request current;
    final List<FileOperations> fops = new ArrayList<>();
    final List<BlockDevice> disks = new ArrayList<>();
    final List<FileSystemType> filesystems = new ArrayList<>();
    final List<ProcShow> procs = new ArrayList<>();
    final List<KernelFunction> functions = new ArrayList<>();
    final List<Runnable> timerCallbacks = new ArrayList<>();
    final List<boolean[]> timerPending = new ArrayList<>();
    final IrqHandler[] irqs = new IrqHandler[16];

    ServerContext(String name, String release, int hz, Cpu cpu, KernelCalls k, UserMemory mem, Heap heap,
                  FunctionPointers pointers) {
        this.pointers = pointers;
        this.name = name;
        this.release = release;
        this.hz = hz;
        this.cpu = cpu;
        this.k = k;
        this.mem = mem;
        this.heap = heap;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void printk(int level, String format, Object... args) {
        String text;
        try {
            text = args.length == 0 ? format : String.format(format, args);
        } catch (java.util.IllegalFormatException e) {
            text = format;
        }
        k.callWith(Ipc.K_LOG, new String[] {text}, Math.max(0, Math.min(7, level)));
    }

    @Override
    public String kernelRelease() {
        return release;
    }

    @Override
    public String placement() {
        return "server";
    }

    // ------------------------------------------------------------------ parameters

    private String declare(String pname, int type, int perm, String description, String dflt) {
        long r = k.callWith(Ipc.K_PARAM, new String[] {pname, description == null ? "" : description, dflt}, type, perm);
        if (r < 0) {
            throw new LoadError((int) r);
        }
        return k.answerString();
    }

    private String current(String pname) {
        k.callWith(Ipc.K_PARAM_GET, new String[] {pname});
        return k.answerString();
    }

    private <T> ModuleParam<T> param(String pname, java.util.function.Function<String, T> parse) {
        return new ModuleParam<T>() {
            @Override
            public T get() {
                return parse.apply(current(pname));
            }

            @Override
            public String name() {
                return pname;
            }
        };
    }

    @Override
    public ModuleParam<Long> paramLong(String pname, long defaultValue, int perm, String description) {
        declare(pname, 0, perm, description, Long.toString(defaultValue));
        return param(pname, Long::decode);
    }

    @Override
    public ModuleParam<String> paramString(String pname, String defaultValue, int perm, String description) {
        declare(pname, 1, perm, description, defaultValue == null ? "" : defaultValue);
        return param(pname, v -> v);
    }

    @Override
    public ModuleParam<Boolean> paramBool(String pname, boolean defaultValue, int perm, String description) {
        declare(pname, 2, perm, description, defaultValue ? "Y" : "N");
        return param(pname, v -> v.equals("Y"));
    }

    // ------------------------------------------------------------------ memory

    @Override
    public long kmalloc(long size) {
        return heap.alloc(size);
    }

    @Override
    public long kzalloc(long size) {
        long a = heap.alloc(size);
        if (a != 0) {
            long n = heap.sizeOf(a);
            mem.write(a, new byte[(int) n], 0, (int) n);
        }
        return a;
    }

    @Override
    public void kfree(long addr) {
        if (addr != 0 && !heap.free(addr)) {
            printk(WARNING, "%s: kfree of 0x%x, which is not a kmalloc'd address (double free?)", name, addr);
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
        mem.read(addr, dst, off, len);
    }

    @Override
    public void writeBytes(long addr, byte[] src, int off, int len) {
        mem.write(addr, src, off, len);
    }

    // ------------------------------------------------------------------ user memory (grants)

    @Override
    public boolean accessOk(long userAddr, long len) {
        long end = userAddr + len;
        return len >= 0 && Long.compareUnsigned(end, userAddr) >= 0 && Long.compareUnsigned(end, 0x7fff_ffff_f000L) <= 0;
    }

    @Override
    public long copyFromUser(byte[] dst, int off, long userAddr, long len) {
        Request r = current;
        if (len < 0 || off < 0 || off + len > dst.length || r == null || !r.granted(userAddr, len)) {
            return Math.max(0, len);
        }
        return len - k.copy(false, r.grant, userAddr - r.grantBase, dst, off, (int) len);
    }

    @Override
    public long copyToUser(long userAddr, byte[] src, int off, long len) {
        Request r = current;
        if (len < 0 || off < 0 || off + len > src.length || r == null || !r.granted(userAddr, len)) {
            return Math.max(0, len);
        }
        return len - k.copy(true, r.grant, userAddr - r.grantBase, src, off, (int) len);
    }

    @Override
    public long strncpyFromUser(byte[] dst, long userAddr, long count) {
        Request r = current;
        int max = (int) Math.min(count, dst.length);
        if (r == null || !r.granted(userAddr, 1)) {
            return -Errno.EFAULT;
        }
        int avail = (int) Math.min(max, r.grantLength - (userAddr - r.grantBase));
        byte[] b = new byte[avail];
        if (k.copy(false, r.grant, userAddr - r.grantBase, b, 0, avail) != avail) {
            return -Errno.EFAULT;
        }
        int n = 0;
        while (n < avail && b[n] != 0) {
            n++;
        }
        if (n == avail && avail < max) {
            return -Errno.EFAULT;
        }
        System.arraycopy(b, 0, dst, 0, n);
        if (n < dst.length) {
            dst[n] = 0;
        }
        return n;
    }

    // ------------------------------------------------------------------ devices

    @Override
    public int registerChrdev(int major, String dev, FileOperations ops) {
        int r = registerChrdevRegion(major, dev, ops);
        if (r > 0) {
            int n = deviceCreate(dev, r, 0, 0600);
            if (n < 0) {
                unregisterChrdev(r, dev);
                return n;
            }
        }
        return r;
    }

    @Override
    public int registerChrdevRegion(int major, String dev, FileOperations ops) {
        fops.add(ops);
        return (int) k.callWith(Ipc.K_CHRDEV_REGION, new String[] {dev}, major, fops.size() - 1);
    }

    @Override
    public void unregisterChrdev(int major, String dev) {
        k.callWith(Ipc.K_CHRDEV_UNREGISTER, new String[] {dev}, major);
    }

    @Override
    public int deviceCreate(String dev, int major, int minor, int mode) {
        return (int) k.callWith(Ipc.K_DEVICE_CREATE, new String[] {dev}, major, minor, mode);
    }

    @Override
    public void deviceDestroy(String dev) {
        k.callWith(Ipc.K_DEVICE_DESTROY, new String[] {dev});
    }

    @Override
    public int procCreate(String entry, ProcShow show) {
        procs.add(show);
        return (int) k.callWith(Ipc.K_PROC_CREATE, new String[] {entry == null ? "" : entry}, procs.size() - 1);
    }

    @Override
    public void procRemove(String entry) {
        k.callWith(Ipc.K_PROC_REMOVE, new String[] {entry});
    }

    @Override
    public boolean requestRegion(int start, int n, String owner) {
        return k.callWith(Ipc.K_REQUEST_REGION, new String[] {owner == null ? name : owner}, start, n) == 0;
    }

    @Override
    public void releaseRegion(int start, int n) {
        k.call(Ipc.K_RELEASE_REGION, start, n);
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
    public int requestIrq(int irq, IrqHandler handler, String owner) {
        if (irq < 0 || irq > 15) {
            return -Errno.EINVAL;
        }
        int r = (int) k.callWith(Ipc.K_REQUEST_IRQ, new String[] {owner == null ? name : owner}, irq);
        if (r == 0) {
            irqs[irq] = handler;
        }
        return r;
    }

    @Override
    public void freeIrq(int irq) {
        k.call(Ipc.K_FREE_IRQ, irq);
        if (irq >= 0 && irq < 16) {
            irqs[irq] = null;
        }
    }

    @Override
    public long jiffies() {
        return k.call(Ipc.K_JIFFIES);
    }

    @Override
    public int hz() {
        return hz;
    }

    @Override
    public Timer timerSetup(Runnable callback) {
        int id = timerCallbacks.size();
        if (id >= 64 || k.call(Ipc.K_TIMER_CREATE, id) < 0) {
            throw new LoadError(-Errno.ENOMEM);
        }
        timerCallbacks.add(callback);
        boolean[] pending = {false};
        timerPending.add(pending);
        return new Timer() {
            @Override
            public void mod(long expiresJiffies) {
                pending[0] = true;
                k.call(Ipc.K_TIMER_MOD, id, expiresJiffies);
            }

            @Override
            public boolean delete() {
                pending[0] = false;
                return k.call(Ipc.K_TIMER_DEL, id) != 0;
            }

            @Override
            public boolean pending() {
                return pending[0];
            }
        };
    }

    /** A wait queue in the core, named by the id it gave: blocking parks the server's client there. */
    final class RemoteWaitQueue implements WaitQueue {
        final long id;

        RemoteWaitQueue(long id) {
            this.id = id;
        }

        @Override
        public int block() {
            return (int) k.call(Ipc.K_WQ_BLOCK, id);
        }

        @Override
        public void wakeUp() {
            k.call(Ipc.K_WQ_WAKE, id);
        }

        @Override
        public boolean hasWaiters() {
            return k.call(Ipc.K_WQ_WAITERS, id) != 0;
        }
    }

    @Override
    public WaitQueue waitQueue() {
        long id = k.call(Ipc.K_WQ_CREATE);
        if (id < 0) {
            throw new LoadError((int) id);
        }
        return new RemoteWaitQueue(id);
    }

    @Override
    public int killProcessGroup(int pgrp, int sig) {
        return (int) k.call(Ipc.K_KILL_PGRP, pgrp, sig);
    }

    @Override
    public int sessionOfProcessGroup(int pgrp) {
        return (int) k.call(Ipc.K_PGRP_SESSION, pgrp);
    }

    @Override
    public boolean isOrphanedProcessGroup(int pgrp) {
        return k.call(Ipc.K_PGRP_ORPHANED, pgrp) != 0;
    }

    @Override
    public boolean signalIgnored(int sig) {
        return k.call(Ipc.K_SIG_IGNORED, sig) > 0;
    }

    // ------------------------------------------------------------------ symbols

    @Override
    public long exportSymbol(String sym, KernelFunction fn) {
        return export(sym, fn, false);
    }

    @Override
    public long exportSymbolGpl(String sym, KernelFunction fn) {
        return export(sym, fn, true);
    }

    private long export(String sym, KernelFunction fn, boolean gpl) {
        functions.add(fn);
        long r = k.callWith(Ipc.K_EXPORT, new String[] {sym}, functions.size() - 1, gpl ? 1 : 0);
        if (r < 0 && r > -4096) {
            throw new LoadError((int) r);
        }
        return r;
    }

    @Override
    public KernelFunction symbol(String sym) {
        long handle = k.callWith(Ipc.K_SYMBOL, new String[] {sym});
        if (handle < 0) {
            throw new LoadError((int) handle);
        }
        return (a, b, c, d, e, f) -> k.call(Ipc.K_SYM_CALL, handle, a, b, c, d, e, f);
    }

    // ------------------------------------------------------------------ function pointers and credentials

    @Override
    public long functionAddress(KernelFunction fn) {
        long a = pointers.address(fn);
        if (a == 0) {
            printk(ERR, "%s: no room for another function address (%d in the text page)", name, Ipc.FN_STUBS);
            throw new LoadError(-Errno.ENOMEM);
        }
        return a;
    }

    @Override
    public KernelFunction functionAt(long address) {
        return (a, b, c, d, e, f) -> pointers.call(address, a, b, c, d, e, f);
    }

    @Override
    public long symbolAddress(String sym) {
        long a = k.callWith(Ipc.K_SYMBOL_ADDRESS, new String[] {sym});
        if (a < 0 && a > -4096) {
            throw new LoadError((int) a);
        }
        return a;
    }

    /**
     * A server never sees the kernel's struct cred: the identity a file operation carries
     * (its MR5 and MR6) goes into an 8-byte copy in the server's heap, whose address this is.
     * Other requests come from the kernel itself, root.
     */
    @Override
    public long currentCred() {
        if (cred == 0) {
            cred = heap.alloc(8);
            if (cred == 0) {
                return 0;
            }
        }
        Request r = current;
        boolean fop = r != null && r.label >= Ipc.FOP_OPEN && r.label <= Ipc.FOP_RELEASE;
        write32(cred, fop ? (int) r.mr[5] : 0);
        write32(cred + 4, fop ? (int) r.mr[6] : 0);
        return cred;
    }

    // ------------------------------------------------------------------ block devices and filesystems

    @Override
    public int registerBlockDevice(String disk, BlockDevice device) {
        disks.add(device);
        return (int) k.callWith(Ipc.K_BLKDEV_REGISTER, new String[] {disk}, disks.size() - 1);
    }

    @Override
    public void unregisterBlockDevice(String disk) {
        k.callWith(Ipc.K_BLKDEV_UNREGISTER, new String[] {disk});
    }

    @Override
    public int registerFilesystem(FileSystemType type) {
        filesystems.add(type);
        return (int) k.callWith(Ipc.K_FS_REGISTER, new String[] {type.name()}, filesystems.size() - 1,
            type.requiresDevice() ? 1 : 0);
    }

    @Override
    public int unregisterFilesystem(FileSystemType type) {
        return (int) k.callWith(Ipc.K_FS_UNREGISTER, new String[] {type.name()});
    }
}

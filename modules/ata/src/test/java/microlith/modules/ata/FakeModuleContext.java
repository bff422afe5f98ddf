package microlith.modules.ata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import microlith.hw.io.IoBus;
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
 * The part of the kernel the ata driver uses, for tests: port I/O goes to a real port bus
 * (with or without an AtaController on it), and registrations are recorded so a test can
 * see what the module holds. Everything else is outside the driver's business and throws.
 */
final class FakeModuleContext implements ModuleContext {
    final IoBus io;
    final List<String> log = new ArrayList<>();
    final Map<Integer, Integer> regions = new LinkedHashMap<>();
    final Map<Integer, IrqHandler> irqs = new LinkedHashMap<>();
    final Map<String, BlockDevice> blockDevices = new LinkedHashMap<>();
    final Map<String, ProcShow> procFiles = new LinkedHashMap<>();
    /** Ports another driver already holds. */
    final List<Integer> claimedElsewhere = new ArrayList<>();

    FakeModuleContext(IoBus io) {
        this.io = io;
    }

    String proc(String name) {
        StringBuilder sb = new StringBuilder();
        procFiles.get(name).show(sb);
        return sb.toString();
    }

    @Override
    public String name() {
        return "ata";
    }

    @Override
    public void printk(int level, String format, Object... args) {
        log.add(String.format(format, args));
    }

    @Override
    public String kernelRelease() {
        return "6.1.0-microlith";
    }

    @Override
    public boolean requestRegion(int start, int n, String name) {
        for (int p = start; p < start + n; p++) {
            if (claimedElsewhere.contains(p)) {
                return false;
            }
        }
        regions.put(start, n);
        return true;
    }

    @Override
    public void releaseRegion(int start, int n) {
        regions.remove(start);
    }

    @Override
    public int inb(int port) {
        return io.in(port, 1);
    }

    @Override
    public int inw(int port) {
        return io.in(port, 2);
    }

    @Override
    public int inl(int port) {
        return io.in(port, 4);
    }

    @Override
    public void outb(int value, int port) {
        io.out(port, 1, value);
    }

    @Override
    public void outw(int value, int port) {
        io.out(port, 2, value);
    }

    @Override
    public void outl(int value, int port) {
        io.out(port, 4, value);
    }

    @Override
    public int requestIrq(int irq, IrqHandler handler, String name) {
        if (irq < 0 || irq > 15) {
            return -Errno.EINVAL;
        }
        if (irqs.containsKey(irq)) {
            return -Errno.EBUSY;
        }
        irqs.put(irq, handler);
        return 0;
    }

    @Override
    public void freeIrq(int irq) {
        irqs.remove(irq);
    }

    @Override
    public int procCreate(String name, ProcShow show) {
        procFiles.put(name, show);
        return 0;
    }

    @Override
    public void procRemove(String name) {
        procFiles.remove(name);
    }

    @Override
    public int registerBlockDevice(String name, BlockDevice device) {
        if (blockDevices.containsKey(name)) {
            return -Errno.EEXIST;
        }
        blockDevices.put(name, device);
        return 0;
    }

    @Override
    public void unregisterBlockDevice(String name) {
        blockDevices.remove(name);
    }

    // ------------------------------------------------------------------ not used by the driver

    @Override
    public ModuleParam<Long> paramLong(String name, long defaultValue, int perm, String description) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ModuleParam<String> paramString(String name, String defaultValue, int perm, String description) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ModuleParam<Boolean> paramBool(String name, boolean defaultValue, int perm, String description) {
        throw new UnsupportedOperationException();
    }

    /** kmalloc'd blocks by address: a driver's state must live here and be freed on exit. */
    final TreeMap<Long, byte[]> heap = new TreeMap<>();
    private long nextAlloc = 0xffff888000100000L;

    private ByteBuffer at(long addr, int len) {
        Map.Entry<Long, byte[]> e = heap.floorEntry(addr);
        if (e == null || addr - e.getKey() + len > e.getValue().length) {
            throw new IllegalStateException("access outside any kmalloc'd block at " + Long.toHexString(addr));
        }
        return ByteBuffer.wrap(e.getValue(), (int) (addr - e.getKey()), len).order(ByteOrder.LITTLE_ENDIAN);
    }

    private long load(long addr, int len) {
        ByteBuffer b = at(addr, len);
        return len == 4 ? b.getInt() & 0xffff_ffffL : b.getLong();
    }

    private void store(long addr, int len, long value) {
        ByteBuffer b = at(addr, len);
        if (len == 4) {
            b.putInt((int) value);
        } else {
            b.putLong(value);
        }
    }

    @Override
    public long kmalloc(long size) {
        return kzalloc(size);
    }

    @Override
    public long kzalloc(long size) {
        long base = nextAlloc;
        nextAlloc += (size + 63) & ~63L;
        heap.put(base, new byte[(int) size]);
        return base;
    }

    @Override
    public void kfree(long addr) {
        if (addr != 0 && heap.remove(addr) == null) {
            throw new IllegalStateException("kfree of " + Long.toHexString(addr));
        }
    }

    @Override
    public int read8(long addr) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int read16(long addr) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int read32(long addr) {
        return (int) load(addr, 4);
    }

    @Override
    public long read64(long addr) {
        return load(addr, 8);
    }

    @Override
    public void write8(long addr, int value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void write16(long addr, int value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void write32(long addr, int value) {
        store(addr, 4, value);
    }

    @Override
    public void write64(long addr, long value) {
        store(addr, 8, value);
    }

    @Override
    public void readBytes(long addr, byte[] dst, int off, int len) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void writeBytes(long addr, byte[] src, int off, int len) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean accessOk(long userAddr, long len) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long copyFromUser(byte[] dst, int off, long userAddr, long len) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long copyToUser(long userAddr, byte[] src, int off, long len) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long strncpyFromUser(byte[] dst, long userAddr, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int registerChrdev(int major, String name, FileOperations fops) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void unregisterChrdev(int major, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long jiffies() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int hz() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Timer timerSetup(Runnable callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public WaitQueue waitQueue() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long exportSymbol(String name, KernelFunction fn) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long exportSymbolGpl(String name, KernelFunction fn) {
        throw new UnsupportedOperationException();
    }

    @Override
    public KernelFunction symbol(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int registerFilesystem(FileSystemType type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int unregisterFilesystem(FileSystemType type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int killProcessGroup(int pgrp, int sig) {
        return -microlith.module.api.Errno.ESRCH;
    }

    @Override
    public int sessionOfProcessGroup(int pgrp) {
        return -microlith.module.api.Errno.ESRCH;
    }

    @Override
    public boolean isOrphanedProcessGroup(int pgrp) {
        return true;
    }

    @Override
    public boolean signalIgnored(int sig) {
        return false;
    }

    @Override
    public int registerChrdevRegion(int major, String name, microlith.module.api.FileOperations fops) {
        return -microlith.module.api.Errno.EBUSY;
    }

    @Override
    public int deviceCreate(String name, int major, int minor, int mode) {
        return -microlith.module.api.Errno.EBUSY;
    }

    @Override
    public void deviceDestroy(String name) {
    }

    @Override
    public long functionAddress(KernelFunction fn) {
        throw new UnsupportedOperationException();
    }

    @Override
    public KernelFunction functionAt(long address) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long symbolAddress(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long currentCred() {
        throw new UnsupportedOperationException();
    }
}

package microlith.kernel.task;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.Kmalloc;
import microlith.kernel.mm.Layout;

/**
 * The struct file objects that descriptor tables point to (Linux's "filp" cache), in
 * kmalloc'd memory, so that a kernel memory bug reaches them as it would on hardware
 * (DESIGN.md invariant 3):
 *
 * <pre>
 * struct file                       16 bytes, one per open file that has a descriptor
 *   +0  u32 f_magic   0x454c4946     checked on every dereference
 *   +4  u32 f_handle  which open file: an index into this class's table of the
 *                     kernel's Java objects (the f_op and private_data of Linux)
 *   +8  u64 f_count   descriptors referring to it, in every table
 * </pre>
 *
 * A descriptor table entry holds the object's kernel address. Whatever an entry or an
 * object holds is what the kernel uses: a pointer moved to another struct file makes the
 * descriptor name that file, a count written down frees the object early and a later use
 * finds what reused its memory. A pointer that does not land on a struct file is a kernel
 * BUG when a system call follows it (oops, the task dies); the exit path skips it and
 * leaks the file, as Linux would rather than fault again while a task dies.
 *
 * <p>Linux has no magic number in struct file; a bad pointer there is followed to a bad
 * f_op and crashes on the call. Here the handle stands for f_op, so the magic is what
 * tells a struct file from other memory, and the crash is the BUG it reports.
 */
public final class Filp {
    static final int SIZE = 16;
    static final int MAGIC = 0x454c4946;
    private static final int HANDLE = 4, COUNT = 8;

    private final Cpu cpu;
    private final PhysicalMemory mem;
    private final Kmalloc kmalloc;
    private final Printk log;
    /** f_handle to the open file's Java object; null marks a free handle. */
    private final List<File> files = new ArrayList<>();
    private final List<Integer> freeHandles = new ArrayList<>();
    /** The struct file of each open file that has a descriptor. */
    private final Map<File, Long> objects = new IdentityHashMap<>();

    public Filp(Cpu cpu, Kmalloc kmalloc, Printk log) {
        this.cpu = cpu;
        this.mem = cpu.memory();
        this.kmalloc = kmalloc;
        this.log = log;
    }

    PhysicalMemory memory() {
        return mem;
    }

    Kmalloc kmalloc() {
        return kmalloc;
    }

    /**
     * The struct file of f with one more descriptor referring to it, made on its first
     * descriptor; 0 when kmalloc has no memory.
     */
    long get(File f) {
        Long va = objects.get(f);
        if (va == null) {
            long obj = kmalloc.alloc(SIZE, this);
            if (obj == 0) {
                return 0;
            }
            int handle = freeHandles.isEmpty() ? files.size() : freeHandles.remove(freeHandles.size() - 1);
            if (handle == files.size()) {
                files.add(f);
            } else {
                files.set(handle, f);
            }
            objects.put(f, obj);
            mem.write32(Layout.pa(obj), MAGIC);
            mem.write32(Layout.pa(obj) + HANDLE, handle);
            mem.write64(Layout.pa(obj) + COUNT, 0);
            va = obj;
        }
        hold(va);
        return va;
    }

    /** get_file: one more descriptor refers to the struct file at ptr (already resolved). */
    void hold(long ptr) {
        long pa = Layout.pa(ptr);
        mem.write64(pa + COUNT, mem.read64(pa + COUNT) + 1);
    }

    /**
     * fput: a descriptor referring to ptr (already resolved) is gone; the struct file is
     * freed when f_count, as memory holds it, reaches zero.
     */
    void put(long ptr) {
        long pa = Layout.pa(ptr);
        long count = mem.read64(pa + COUNT) - 1;
        mem.write64(pa + COUNT, count);
        if (count > 0) {
            return;
        }
        int handle = mem.read32(pa + HANDLE);
        File f = files.get(handle);
        objects.remove(f);
        files.set(handle, null);
        freeHandles.add(handle);
        mem.write32(pa, 0);
        kmalloc.free(ptr);
    }

    /**
     * The open file a descriptor's pointer names, or null when it names none (only
     * possible after memory was corrupted). Reads RAM directly, so a lookup costs no
     * simulated cycles, as the task's cred and sigaction reads do not.
     */
    File resolve(long ptr) {
        long pa = Layout.pa(ptr);
        if (Long.compareUnsigned(pa, mem.size() - SIZE) > 0 || mem.read32(pa) != MAGIC) {
            return null;
        }
        int handle = mem.read32(pa + HANDLE);
        return handle >= 0 && handle < files.size() ? files.get(handle) : null;
    }

    /**
     * A system call followed fd's pointer and found no struct file: the kernel BUG Linux
     * would hit one step later. A pointer outside the direct map is read through the MMU
     * first, so an unmapped one oopses as the page fault it is.
     */
    CpuException bug(int fd, long ptr) {
        long pa = Layout.pa(ptr);
        if (Long.compareUnsigned(pa, mem.size() - SIZE) > 0) {
            cpu.read32(ptr);
        }
        log.emerg("kernel BUG at fs/file.c: fd %d points to %016x, not a struct file", fd, ptr);
        return CpuException.ud();
    }

    /** The exit path met a bad pointer: logged, the file (if any) leaks. */
    void leak(int fd, long ptr) {
        log.err("close_files: fd %d points to %016x, not a struct file; skipped", fd, ptr);
    }

    /** Open files that have a descriptor (for leak checks). */
    public int inUse() {
        return objects.size();
    }
}

package microlith.kernel.syscall;

import microlith.module.api.Errno;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.Vma;
import microlith.kernel.task.Task;

/** brk, and anonymous private mmap, munmap and mprotect. */
final class SysMemory {
    private static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
    private static final int MAP_FIXED_NOREPLACE = 0x100000, MAP_POPULATE = 0x8000;
    /** Lowest address mmap hands out on its own (Linux's mmap_min_addr is 64 KiB). */
    static final long MMAP_MIN = 0x10000;

    private final Services k;

    SysMemory(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("brk", (task, addr, b, c, d, e, f) -> brk(task, addr));
        t.register("mmap", this::mmap);
        t.register("munmap", (task, addr, len, c, d, e, f) -> munmap(task, addr, len));
        t.register("mprotect", (task, addr, len, prot, d, e, f) -> mprotect(task, addr, len, prot));
        t.register("madvise", (task, addr, len, advice, d, e, f) -> madvise(task, addr, len, advice));
    }

    /**
     * madvise is advice, and this kernel takes none: Linux's checks decide the result
     * (EINVAL for a misaligned or wrapping range or an unknown hint, ENOMEM where nothing
     * is mapped), and a valid request changes nothing.
     */
    private long madvise(Task t, long addr, long len, long advice) {
        if ((addr & 0xfff) != 0 || advice < 0 || advice > 25) {
            return -Errno.EINVAL;
        }
        long end = addr + Layout.pageUp(len);
        if (len < 0 || Long.compareUnsigned(end, addr) < 0) {
            return -Errno.EINVAL;
        }
        if (end == addr) {
            return 0;
        }
        if (Layout.userRangeEnd(addr, len) < 0) {
            return -Errno.ENOMEM;
        }
        for (long va = addr; Long.compareUnsigned(va, end) < 0; va += Layout.PAGE_SIZE) {
            if (t.mm.find(va) == null) {
                return -Errno.ENOMEM;
            }
        }
        return 0;
    }

    /** Drops stale TLB entries for [start, end) of the current address space. */
    void flush(long start, long end) {
        long pages = (end - start) / Layout.PAGE_SIZE;
        if (pages > 32) {
            k.cpu.writeCr(3, k.cpu.cr3());
        } else {
            for (long va = start; va < end; va += Layout.PAGE_SIZE) {
                k.cpu.invlpg(va);
            }
        }
    }

    long brk(Task t, long addr) {
        AddressSpace mm = t.mm;
        if (Long.compareUnsigned(addr, mm.brkStart) < 0 || Layout.userRangeEnd(addr, 0) < 0) {
            return mm.brk;
        }
        long oldEnd = Layout.pageUp(mm.brk);
        long newEnd = Layout.pageUp(addr);
        if (Long.compareUnsigned(newEnd, Layout.MMAP_BASE - Layout.STACK_MAX) > 0) {
            return mm.brk;
        }
        if (newEnd > oldEnd) {
            if (mm.overlaps(oldEnd, newEnd)) {
                return mm.brk;
            }
            Vma heap = mm.find(mm.brkStart);
            if (heap != null && heap.name.equals("[heap]")) {
                heap.end = newEnd;
            } else {
                mm.addVma(mm.brkStart, newEnd, Vma.PROT_READ | Vma.PROT_WRITE, "[heap]", 0);
            }
        } else if (newEnd < oldEnd) {
            mm.unmap(newEnd, oldEnd);
            flush(newEnd, oldEnd);
            if (newEnd > mm.brkStart) {
                mm.addVma(mm.brkStart, newEnd, Vma.PROT_READ | Vma.PROT_WRITE, "[heap]", 0);
                mm.vmas().removeIf(v -> v.name.equals("[heap]") && v.end == v.start);
            }
        }
        mm.brk = addr;
        return addr;
    }

    private long mmap(Task t, long addr, long len, long prot, long flags, long fd, long off) {
        if (len <= 0 || (addr & 0xfff) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & MAP_ANONYMOUS) == 0) {
            // File mappings need the VFS page cache of the multiprocess kernel.
            return fd < 0 ? -Errno.EBADF : -19; // ENODEV
        }
        if ((flags & (MAP_SHARED | MAP_PRIVATE)) == 0 || (prot & ~7) != 0) {
            return -Errno.EINVAL;
        }
        long size = Layout.pageUp(len);
        if (size <= 0 || size > Layout.TASK_SIZE) {
            return -Errno.ENOMEM;
        }
        AddressSpace mm = t.mm;
        long start;
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if (Layout.userRangeEnd(addr, size) < 0 || addr < MMAP_MIN) {
                return -Errno.EINVAL;
            }
            if (mm.overlaps(addr, addr + size)) {
                if ((flags & MAP_FIXED_NOREPLACE) != 0) {
                    return -Errno.EEXIST;
                }
                mm.unmap(addr, addr + size);
                flush(addr, addr + size);
            }
            start = addr;
        } else {
            start = findGap(mm, size);
            if (start < 0) {
                return -Errno.ENOMEM;
            }
        }
        mm.addVma(start, start + size, (int) prot, "", 0);
        if ((flags & MAP_POPULATE) != 0) {
            // Fault every page in now (what a server's heap needs: no fault inside its Java code).
            for (long va = start; va < start + size; va += Layout.PAGE_SIZE) {
                if (mm.physical(va) < 0 && mm.populate(va, (int) prot) < 0) {
                    mm.unmap(start, start + size);
                    return -Errno.ENOMEM;
                }
            }
        }
        return start;
    }

    /** Top-down search for a free range below MMAP_BASE, as Linux's default layout does. */
    static long findGap(AddressSpace mm, long size) {
        long top = Layout.MMAP_BASE;
        java.util.List<Vma> vs = mm.vmas();
        for (int i = vs.size() - 1; i >= -1; i--) {
            long below = i >= 0 ? vs.get(i).end : MMAP_MIN;
            if (i >= 0 && Long.compareUnsigned(vs.get(i).start, top) >= 0) {
                continue;
            }
            long candidate = top - size;
            if (Long.compareUnsigned(candidate, below) >= 0 && candidate >= MMAP_MIN) {
                return candidate;
            }
            if (i >= 0) {
                top = Math.min(top, vs.get(i).start);
            }
        }
        return -1;
    }

    private long munmap(Task t, long addr, long len) {
        long end = Layout.userRangeEnd(addr, len);
        if ((addr & 0xfff) != 0 || len <= 0 || end < 0) {
            return -Errno.EINVAL;
        }
        t.mm.unmap(addr, end);
        flush(addr, end);
        return 0;
    }

    /**
     * mprotect: as Linux's do_mprotect_pkey, a range that wraps or is not wholly mapped is
     * ENOMEM (a range past the user half is never mapped).
     */
    private long mprotect(Task t, long addr, long len, long prot) {
        if ((addr & 0xfff) != 0 || (prot & ~7) != 0) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        long end = Layout.userRangeEnd(addr, len);
        if (end < 0) {
            return -Errno.ENOMEM;
        }
        for (long va = addr; va < end; va += Layout.PAGE_SIZE) {
            if (t.mm.find(va) == null) {
                return -Errno.ENOMEM;
            }
        }
        t.mm.protect(addr, end, (int) prot);
        flush(addr, end);
        return 0;
    }
}

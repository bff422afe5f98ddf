package microlith.kernel.syscall;

import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.Vma;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * brk, anonymous private and shared mmap, munmap, mprotect, mremap, madvise, msync, mincore and
 * the mlock family, with Linux's checks in Linux's order (mm/mmap.c, mprotect.c,
 * mremap.c, madvise.c, msync.c, mincore.c, mlock.c), so each bad argument gets the
 * errno Linux gives it. Every range goes through {@link Layout#userRangeEnd} or
 * {@link AddressSpace}, which refuse anything outside the user half.
 */
final class SysMemory {
    private static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f;
    private static final int MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_POPULATE = 0x8000;
    private static final int MAP_FIXED_NOREPLACE = 0x100000;
    private static final long PROT_SEM = 0x8, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
    private static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
    private static final int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
    private static final int MLOCK_ONFAULT = 1, MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;
    private static final int MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9;
    /** Lowest address mmap hands out on its own (Linux's mmap_min_addr is 64 KiB). */
    static final long MMAP_MIN = 0x10000;
    /** RLIMIT_MEMLOCK's default for processes without CAP_IPC_LOCK (8 MiB since Linux 5.16). */
    private static final long MEMLOCK_LIMIT = 8L << 20;

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
        t.register("mremap", (task, addr, oldLen, newLen, flags, newAddr, f) ->
            mremap(task, addr, oldLen, newLen, flags, newAddr));
        t.register("msync", (task, addr, len, flags, d, e, f) -> msync(task, addr, len, flags));
        t.register("mincore", (task, addr, len, vec, d, e, f) -> mincore(task, addr, len, vec));
        t.register("mlock", (task, addr, len, c, d, e, f) -> mlock(task, addr, len, true));
        t.register("mlock2", (task, addr, len, flags, d, e, f) ->
            (flags & ~MLOCK_ONFAULT) != 0 ? -Errno.EINVAL : mlock(task, addr, len, true));
        t.register("munlock", (task, addr, len, c, d, e, f) -> mlock(task, addr, len, false));
        t.register("mlockall", (task, flags, b, c, d, e, f) -> mlockall(task, flags));
        t.register("munlockall", (task, a, b, c, d, e, f) -> {
            task.mm.lockAll(false);
            return 0;
        });
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

    /** Linux's PAGE_ALIGN on an unsigned length: may wrap to 0, as there. */
    private static long pageAlign(long len) {
        return (len + Layout.PAGE_SIZE - 1) & ~(Layout.PAGE_SIZE - 1);
    }

    private static boolean below(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    /** brk: returns the new break, or the old one when the request cannot be met. */
    long brk(Task t, long addr) {
        AddressSpace mm = t.mm;
        if (below(addr, mm.brkStart) || Layout.userRangeEnd(addr, 0) < 0) {
            return mm.brk;
        }
        long oldEnd = Layout.pageUp(mm.brk);
        long newEnd = Layout.pageUp(addr);
        if (newEnd == oldEnd) {
            mm.brk = addr;
            return addr;
        }
        if (below(newEnd, oldEnd)) {
            if (!mm.unmap(newEnd, oldEnd)) {
                return mm.brk;
            }
            flush(newEnd, oldEnd);
            mm.brk = addr;
            return addr;
        }
        // Growing: stay below the mmap area and keep a guard page before the next mapping.
        if (below(Layout.MMAP_BASE - Layout.STACK_MAX, newEnd) || mm.overlaps(oldEnd, newEnd + Layout.PAGE_SIZE)) {
            return mm.brk;
        }
        if (!mm.mapAnonymous(oldEnd, newEnd, Vma.PROT_READ | Vma.PROT_WRITE, "[heap]")) {
            return mm.brk;
        }
        mm.brk = addr;
        return addr;
    }

    private long mmap(Task t, long addr, long len, long prot, long flags, long fd, long off) {
        if ((off & 0xfff) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & MAP_ANONYMOUS) == 0) {
            // File mappings need the VFS page cache of the multiprocess kernel.
            return (int) fd < 0 || t.files.get((int) fd) == null ? -Errno.EBADF : -Errno.ENODEV;
        }
        if (len == 0) {
            return -Errno.EINVAL;
        }
        long type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) {
            return -Errno.EINVAL;
        }
        long size = pageAlign(len);
        if (size == 0) {
            return -Errno.ENOMEM;
        }
        long pgoff = off >>> 12;
        if (below(pgoff + (size >>> 12), pgoff)) {
            return -Errno.EOVERFLOW;
        }
        AddressSpace mm = t.mm;
        if (!mm.roomForVmas(1) || below(Layout.TASK_SIZE, size)) {
            return -Errno.ENOMEM;
        }
        long start;
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if (below(Layout.TASK_SIZE - size, addr)) {
                return -Errno.ENOMEM;
            }
            if ((addr & 0xfff) != 0) {
                return -Errno.EINVAL;
            }
            if (below(addr, MMAP_MIN) && t.uid() != 0) {
                // security_mmap_addr: below mmap_min_addr needs CAP_SYS_RAWIO.
                return -Errno.EPERM;
            }
            if (mm.overlaps(addr, addr + size)) {
                if ((flags & MAP_FIXED_NOREPLACE) != 0) {
                    return -Errno.EEXIST;
                }
                if (!mm.unmap(addr, addr + size)) {
                    return -Errno.ENOMEM;
                }
                flush(addr, addr + size);
            }
            start = addr;
        } else {
            start = hint(mm, addr, size);
            if (start < 0) {
                start = findGap(mm, size);
            }
            if (start < 0) {
                return -Errno.ENOMEM;
            }
        }
        int vmProt = (int) prot & Vma.PROT_READ_WRITE_EXEC;
        boolean mapped = type == MAP_PRIVATE ? mm.mapAnonymous(start, start + size, vmProt, "")
            : mm.mapSharedAnonymous(start, start + size, vmProt);
        if (!mapped) {
            return -Errno.ENOMEM;
        }
        // A PROT_NONE mapping has nothing to populate: any page there would grant a read.
        if ((flags & MAP_POPULATE) != 0 && (prot & Vma.PROT_READ_WRITE_EXEC) != 0
            && !populate(mm, start, start + size)) {
            mm.unmap(start, start + size);
            return -Errno.ENOMEM;
        }
        return start;
    }

    /**
     * MAP_POPULATE: every page of [start, end) faulted in now (what a server's heap needs:
     * no fault inside its Java code). False when memory runs out on the way.
     */
    private static boolean populate(AddressSpace mm, long start, long end) {
        for (long va = start; va < end; va += Layout.PAGE_SIZE) {
            if (mm.physical(va) < 0 && !mm.handleFault(va, false, false)) {
                return false;
            }
        }
        return true;
    }

    /** A hint the caller gave, used as Linux does when the range there is free; else -1. */
    private static long hint(AddressSpace mm, long addr, long size) {
        if (addr == 0) {
            return -1;
        }
        long a = Layout.pageDown(addr);
        if (below(a, MMAP_MIN)) {
            a = MMAP_MIN;
        }
        if (below(Layout.TASK_SIZE - size, a) || mm.overlaps(a, a + size)) {
            return -1;
        }
        return a;
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
            if (Long.compareUnsigned(candidate, below) >= 0 && candidate >= MMAP_MIN && candidate <= top) {
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
        if ((addr & 0xfff) != 0 || end < 0 || end == addr) {
            return -Errno.EINVAL;
        }
        if (!t.mm.unmap(addr, end)) {
            return -Errno.ENOMEM;
        }
        flush(addr, end);
        return 0;
    }

    private long mprotect(Task t, long addr, long len, long prot) {
        long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
        prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
        if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (addr & 0xfff) != 0) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        long end = addr + pageAlign(len);
        if (Long.compareUnsigned(end, addr) <= 0) {
            return -Errno.ENOMEM;
        }
        if ((prot & ~(Vma.PROT_READ_WRITE_EXEC | PROT_SEM)) != 0) {
            return -Errno.EINVAL;
        }
        boolean inUser = Layout.userRangeEnd(addr, end - addr) >= 0;
        if (grows != 0) {
            // No VMA here grows (the stack is a fixed 8 MiB): EINVAL once one is found.
            return inUser && t.mm.overlaps(addr, end) ? -Errno.EINVAL : -Errno.ENOMEM;
        }
        // As Linux: VMAs up to the first hole change, then the hole is ENOMEM.
        long upTo = inUser ? t.mm.coveredUpTo(addr, end) : addr;
        if (upTo == addr) {
            return -Errno.ENOMEM;
        }
        if (!t.mm.protect(addr, upTo, (int) prot & Vma.PROT_READ_WRITE_EXEC)) {
            return -Errno.ENOMEM;
        }
        flush(addr, upTo);
        return upTo == end ? 0 : -Errno.ENOMEM;
    }

    /** Linux's madvise_behavior_valid for a kernel without memory-failure injection. */
    private static boolean adviceValid(long advice) {
        return advice >= 0 && advice <= 4 || advice >= 8 && advice <= 25;
    }

    private long madvise(Task t, long addr, long len, long advice) {
        if (!adviceValid(advice) || (addr & 0xfff) != 0) {
            return -Errno.EINVAL;
        }
        long size = pageAlign(len);
        if (len != 0 && size == 0) {
            return -Errno.EINVAL;
        }
        long end = addr + size;
        if (below(end, addr)) {
            return -Errno.EINVAL;
        }
        if (end == addr) {
            return 0;
        }
        AddressSpace mm = t.mm;
        if (advice == MADV_REMOVE) {
            // Only shared (file or shmem) mappings can have their backing removed.
            return mm.overlaps(addr, end) ? -Errno.EINVAL : -Errno.ENOMEM;
        }
        // Applied to what is mapped, then ENOMEM if the range had a hole, as Linux does.
        for (Vma v : new java.util.ArrayList<>(mm.vmas())) {
            long s = Math.max(v.start, addr);
            long e = below(v.end, end) ? v.end : end;
            if (below(s, e) && (advice == MADV_DONTNEED || advice == MADV_FREE)) {
                mm.discard(s, e);
                flush(s, e);
            }
        }
        boolean inUser = Layout.userRangeEnd(addr, size) >= 0;
        return inUser && mm.covered(addr, end) ? 0 : -Errno.ENOMEM;
    }

    private long mremap(Task t, long addr, long oldLen, long newLen, long flags, long newAddr) {
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0
            || (flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0
            || (flags & MREMAP_DONTUNMAP) != 0 && ((flags & MREMAP_MAYMOVE) == 0 || oldLen != newLen)
            || (addr & 0xfff) != 0) {
            return -Errno.EINVAL;
        }
        oldLen = pageAlign(oldLen);
        newLen = pageAlign(newLen);
        if (newLen == 0) {
            return -Errno.EINVAL;
        }
        AddressSpace mm = t.mm;
        if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) {
            return mremapTo(t, addr, oldLen, newLen, flags, newAddr);
        }
        if (Long.compareUnsigned(oldLen, newLen) >= 0) {
            if (oldLen != newLen) {
                long r = munmap(t, addr + newLen, oldLen - newLen);
                if (r < 0) {
                    return r;
                }
            }
            return addr;
        }
        long err = resizable(mm, addr, oldLen);
        if (err < 0) {
            return err;
        }
        Vma v = mm.find(addr);
        if (oldLen == 0) {
            // A second mapping of the same shared pages, from the same offset on.
            long to = (flags & MREMAP_MAYMOVE) == 0 ? -1 : findGap(mm, newLen);
            return to >= 0 && mm.mapSharedAgain(v, addr, to, to + newLen) ? to : -Errno.ENOMEM;
        }
        if (v.end == addr + oldLen && below(addr, Layout.TASK_SIZE - newLen)
            && mm.growInPlace(addr + oldLen, newLen - oldLen)) {
            return addr;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) {
            return -Errno.ENOMEM;
        }
        long to = findGap(mm, newLen);
        if (to < 0 || !mm.move(addr, oldLen, to, false)) {
            return -Errno.ENOMEM;
        }
        mm.growInPlace(to + oldLen, newLen - oldLen);
        flush(addr, addr + oldLen);
        return to;
    }

    /** vma_to_resize's checks: one VMA holds [addr, addr+oldLen); 0 or a negative errno. */
    private static long resizable(AddressSpace mm, long addr, long oldLen) {
        Vma v = Layout.isUser(addr) ? mm.find(addr) : null;
        if (v == null) {
            return -Errno.EFAULT;
        }
        if (oldLen == 0 && v.shared == null) {
            // A zero old length duplicates a shared mapping; a private one cannot be.
            return -Errno.EINVAL;
        }
        return below(v.end - addr, oldLen) ? -Errno.EFAULT : 0;
    }

    /** mremap with MREMAP_FIXED or MREMAP_DONTUNMAP: to newAddr (or a free range near it). */
    private long mremapTo(Task t, long addr, long oldLen, long newLen, long flags, long newAddr) {
        AddressSpace mm = t.mm;
        if ((newAddr & 0xfff) != 0 || below(Layout.TASK_SIZE, newLen) || below(Layout.TASK_SIZE - newLen, newAddr)) {
            return -Errno.EINVAL;
        }
        if (below(newAddr, addr + oldLen) && below(addr, newAddr + newLen)) {
            return -Errno.EINVAL;
        }
        boolean fixed = (flags & MREMAP_FIXED) != 0;
        if (fixed && below(newAddr, MMAP_MIN) && t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (fixed && mm.overlaps(newAddr, newAddr + newLen)) {
            if (!mm.unmap(newAddr, newAddr + newLen)) {
                return -Errno.ENOMEM;
            }
            flush(newAddr, newAddr + newLen);
        }
        if (below(newLen, oldLen)) {
            long r = munmap(t, addr + newLen, oldLen - newLen);
            if (r < 0) {
                return r;
            }
            oldLen = newLen;
        }
        long err = resizable(mm, addr, oldLen);
        if (err < 0) {
            return err;
        }
        long to = newAddr;
        if (!fixed) {
            to = hint(mm, newAddr, newLen);
            if (to < 0) {
                to = findGap(mm, newLen);
            }
            if (to < 0) {
                return -Errno.ENOMEM;
            }
        }
        if (!mm.move(addr, oldLen, to, (flags & MREMAP_DONTUNMAP) != 0)) {
            return -Errno.ENOMEM;
        }
        if (below(oldLen, newLen)) {
            mm.growInPlace(to + oldLen, newLen - oldLen);
        }
        flush(addr, addr + oldLen);
        return to;
    }

    private long msync(Task t, long addr, long len, long flags) {
        if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 || (addr & 0xfff) != 0
            || (flags & MS_ASYNC) != 0 && (flags & MS_SYNC) != 0) {
            return -Errno.EINVAL;
        }
        long end = addr + pageAlign(len);
        if (below(end, addr)) {
            return -Errno.ENOMEM;
        }
        if (end == addr) {
            return 0;
        }
        // Anonymous memory has nothing to write back: only the range is checked.
        boolean inUser = Layout.userRangeEnd(addr, end - addr) >= 0;
        return inUser && t.mm.covered(addr, end) ? 0 : -Errno.ENOMEM;
    }

    private long mincore(Task t, long addr, long len, long vec) {
        if ((addr & 0xfff) != 0) {
            return -Errno.EINVAL;
        }
        if (Layout.userRangeEnd(addr, len) < 0) {
            return -Errno.ENOMEM;
        }
        long pages = (len >>> 12) + ((len & 0xfff) != 0 ? 1 : 0);
        if (Layout.userRangeEnd(vec, pages) < 0) {
            return -Errno.EFAULT;
        }
        AddressSpace mm = t.mm;
        byte[] chunk = new byte[(int) Layout.PAGE_SIZE];
        for (long done = 0; done < pages; ) {
            int n = (int) Math.min(chunk.length, pages - done);
            for (int i = 0; i < n; i++) {
                long va = addr + (done + i) * Layout.PAGE_SIZE;
                if (mm.find(va) == null) {
                    return -Errno.ENOMEM;
                }
                chunk[i] = (byte) ((mm.entry(va) & 1) != 0 ? 1 : 0);
            }
            if (!k.uaccess.copyToUser(mm, vec + done, chunk, 0, n)) {
                return -Errno.EFAULT;
            }
            done += n;
        }
        return 0;
    }

    /** mlock, mlock2 and munlock: the range is widened to whole pages first. */
    private long mlock(Task t, long addr, long len, boolean on) {
        long start = Layout.pageDown(addr);
        long size = pageAlign(len + (addr & 0xfff));
        AddressSpace mm = t.mm;
        if (on && t.uid() != 0 && below(MEMLOCK_LIMIT, mm.lockedBytes() + size)) {
            return -Errno.ENOMEM;
        }
        long end = start + size;
        if (below(end, start)) {
            return -Errno.EINVAL;
        }
        if (end == start) {
            return 0;
        }
        // As Linux: VMAs up to the first hole change, then the hole is ENOMEM.
        long upTo = Layout.userRangeEnd(start, size) < 0 ? start : mm.coveredUpTo(start, end);
        if (upTo == start || !mm.lock(start, upTo, on)) {
            return -Errno.ENOMEM;
        }
        return upTo == end ? 0 : -Errno.ENOMEM;
    }

    private long mlockall(Task t, long flags) {
        if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) != 0 || flags == MCL_ONFAULT) {
            return -Errno.EINVAL;
        }
        if ((flags & MCL_CURRENT) != 0) {
            if (t.uid() != 0 && below(MEMLOCK_LIMIT, t.mm.totalBytes())) {
                return -Errno.ENOMEM;
            }
            t.mm.lockAll(true);
        }
        return 0;
    }
}

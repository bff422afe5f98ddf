package microlith.kernel.syscall;

import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;
import microlith.kernel.mm.Vma;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * mremap: shrink a mapping in place, grow it in place when the pages after it are free,
 * or move it (MREMAP_MAYMOVE, MREMAP_FIXED) by carrying its page table entries over, so
 * realloc of a large block copies no data. MREMAP_DONTUNMAP is refused with EINVAL.
 */
final class SysMremap {
    private static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

    private final Services k;
    private final SysMemory memory;

    SysMremap(Services k, SysMemory memory) {
        this.k = k;
        this.memory = memory;
    }

    void register(SyscallTable t) {
        t.register("mremap", (task, old, oldLen, newLen, flags, newAddr, f) ->
            mremap(task, old, oldLen, newLen, flags, newAddr));
    }

    private long mremap(Task t, long old, long oldLen, long newLen, long flags, long newAddr) {
        if ((old & 0xfff) != 0 || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) {
            return -Errno.EINVAL;
        }
        if ((flags & MREMAP_DONTUNMAP) != 0) {
            k.log.info("%s[%d]: mremap: MREMAP_DONTUNMAP is not supported, returning -EINVAL", t.comm, t.pid);
            return -Errno.EINVAL;
        }
        long oldSize = Layout.pageUp(oldLen), newSize = Layout.pageUp(newLen);
        if (newLen == 0 || newSize <= 0 || oldSize < 0 || Layout.userRangeEnd(old, oldSize) < 0) {
            return -Errno.EINVAL;
        }
        AddressSpace mm = t.mm;
        Vma v = mm.find(old);
        if (v == null || Long.compareUnsigned(old + Math.max(oldSize, 1), v.end) > 0) {
            return -Errno.EFAULT;
        }
        if (oldSize == 0) {
            // Linux duplicates shared mappings for an old size of 0; there are none here.
            return -Errno.EINVAL;
        }
        if ((flags & MREMAP_FIXED) != 0) {
            if ((newAddr & 0xfff) != 0 || Layout.userRangeEnd(newAddr, newSize) < 0 || newAddr < SysMemory.MMAP_MIN) {
                return -Errno.EINVAL;
            }
            if (Long.compareUnsigned(newAddr, old + oldSize) < 0 && Long.compareUnsigned(old, newAddr + newSize) < 0) {
                return -Errno.EINVAL;
            }
            mm.unmap(newAddr, newAddr + newSize);
            return moveTo(mm, v, old, oldSize, newSize, newAddr);
        }
        if (newSize <= oldSize) {
            mm.unmap(old + newSize, old + oldSize);
            memory.flush(old + newSize, old + oldSize);
            return old;
        }
        if (v.end == old + oldSize && !mm.overlaps(old + oldSize, old + newSize)
            && Layout.userRangeEnd(old, newSize) >= 0) {
            // The area itself grows, as Linux's vma_adjust does, so a later mremap sees one area.
            v.end = old + newSize;
            return old;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) {
            return -Errno.ENOMEM;
        }
        long dest = SysMemory.findGap(mm, newSize);
        if (dest < 0) {
            return -Errno.ENOMEM;
        }
        return moveTo(mm, v, old, oldSize, newSize, dest);
    }

    private long moveTo(AddressSpace mm, Vma v, long old, long oldSize, long newSize, long dest) {
        long keep = Math.min(oldSize, newSize);
        int prot = v.prot;
        String name = v.name;
        mm.move(old, keep, dest);
        if (oldSize > keep) {
            mm.unmap(old + keep, old + oldSize);
        }
        if (newSize > keep) {
            Vma moved = mm.find(dest + keep - 1);
            if (moved != null && moved.end == dest + keep) {
                moved.end = dest + newSize;
            } else {
                mm.addVma(dest + keep, dest + newSize, prot, name, 0);
            }
        }
        memory.flush(old, old + oldSize);
        memory.flush(dest, dest + newSize);
        return dest;
    }
}

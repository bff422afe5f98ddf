package microlith.kernel.mm;

import java.nio.charset.StandardCharsets;
import microlith.module.api.Errno;
import microlith.hw.PerfCounters;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.mmu.Mmu;

/**
 * copy_from_user, copy_to_user and friends. Every user pointer is checked against
 * TASK_SIZE first (access_ok), then each page is translated through the current page
 * tables with the CPU's MMU. A fault on a page the VMA allows is served by demand paging
 * and the copy retried; any other fault ends the copy with EFAULT, the job Linux's
 * exception tables do.
 *
 * <p>With SMAP on, a supervisor access to a user page faults unless RFLAGS.AC = 1, so
 * each copy runs between STAC and CLAC, as Linux's user_access_begin/end put them (and
 * only there: anywhere else in the kernel a stray user pointer still faults).
 */
public final class Uaccess {
    private final Cpu cpu;
    private final PhysicalMemory mem;
    private final PerfCounters perf;
    private boolean smap;
    /** Told when demand paging for a copy found no free page (Linux's allocator runs the OOM killer there). */
    private java.util.function.Consumer<AddressSpace> outOfMemory = mm -> { };

    public Uaccess(Cpu cpu) {
        this.cpu = cpu;
        this.mem = cpu.memory();
        this.perf = cpu.perf;
    }

    public void onOutOfMemory(java.util.function.Consumer<AddressSpace> handler) {
        this.outOfMemory = handler;
    }

    /** SMAP is on: copies open the user pages with STAC and close them with CLAC. */
    public void setSmap(boolean on) {
        smap = on;
    }

    /**
     * user_access_begin: opens user pages to the CPU's own supervisor accesses (STAC) for
     * code that touches them directly, such as FXSAVE into a signal frame. Pair it with
     * {@link #userAccessEnd} in a finally block.
     */
    public void userAccessBegin() {
        if (smap) {
            cpu.stac();
        }
    }

    /** user_access_end: CLAC. */
    public void userAccessEnd() {
        if (smap) {
            cpu.clac();
        }
    }

    /** access_ok: [addr, addr+len) lies in the user half (the one check, {@link Layout#userRangeEnd}). */
    public static boolean accessOk(long addr, long len) {
        return Layout.userRangeEnd(addr, len) >= 0;
    }

    /** Translates a user address for the kernel, demand-faulting if the VMA allows; -1 on EFAULT. */
    private long translate(AddressSpace mm, long va, boolean write) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                return cpu.mmu().translate(va, write ? Mmu.WRITE : Mmu.READ, false);
            } catch (CpuException e) {
                if (attempt == 1 || mm == null || !mm.handleFault(va, write, false)) {
                    if (mm != null && mm.outOfMemory) {
                        outOfMemory.accept(mm);
                    }
                    return -1;
                }
                cpu.invlpg(va);
            }
        }
        return -1;
    }

    public boolean copyFromUser(AddressSpace mm, long uaddr, byte[] dst, int off, int len) {
        return accessOk(uaddr, len) && copy(mm, uaddr, dst, off, len, false);
    }

    /**
     * Moves len bytes between user memory at uaddr and buf, a page at a time, each page
     * translated for the kernel between STAC and CLAC; false on EFAULT.
     */
    private boolean copy(AddressSpace mm, long uaddr, byte[] buf, int off, int len, boolean toUser) {
        userAccessBegin();
        try {
            int done = 0;
            while (done < len) {
                long va = uaddr + done;
                int chunk = (int) Math.min(len - done, Layout.PAGE_SIZE - (va & 0xfff));
                long pa = translate(mm, va, toUser);
                if (pa < 0) {
                    return false;
                }
                if (toUser) {
                    mem.writeBytes(pa, buf, off + done, chunk);
                } else {
                    mem.readBytes(pa, buf, off + done, chunk);
                }
                done += chunk;
            }
        } finally {
            userAccessEnd();
        }
        perf.bytesCopied += len;
        return true;
    }

    /** Whether every page of [uaddr, uaddr+len) can be written, faulting pages in as allowed. */
    public boolean writable(AddressSpace mm, long uaddr, long len) {
        if (!accessOk(uaddr, len)) {
            return false;
        }
        userAccessBegin();
        try {
            for (long va = Layout.pageDown(uaddr); Long.compareUnsigned(va, uaddr + len) < 0; va += Layout.PAGE_SIZE) {
                if (translate(mm, Math.max(va, uaddr), true) < 0) {
                    return false;
                }
            }
        } finally {
            userAccessEnd();
        }
        return true;
    }

    public boolean copyToUser(AddressSpace mm, long uaddr, byte[] src, int off, int len) {
        // Check every page first so a failed copy writes nothing.
        return writable(mm, uaddr, len) && copy(mm, uaddr, src, off, len, true);
    }

    /** Reads a 64-bit value from user memory; null on EFAULT. */
    public Long getUser64(AddressSpace mm, long uaddr) {
        byte[] b = new byte[8];
        if (!copyFromUser(mm, uaddr, b, 0, 8)) {
            return null;
        }
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Reads a 32-bit value from user memory; null on EFAULT. */
    public Integer getUser32(AddressSpace mm, long uaddr) {
        byte[] b = new byte[4];
        if (!copyFromUser(mm, uaddr, b, 0, 4)) {
            return null;
        }
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    public boolean putUser64(AddressSpace mm, long uaddr, long v) {
        byte[] b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array();
        return copyToUser(mm, uaddr, b, 0, 8);
    }

    public boolean putUser32(AddressSpace mm, long uaddr, int v) {
        byte[] b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array();
        return copyToUser(mm, uaddr, b, 0, 4);
    }

    /** A string copied from user memory, or why it could not be. */
    public record UserString(String value, int errno) {
        public boolean ok() {
            return value != null;
        }
    }

    /**
     * strncpy_from_user with Linux's verdicts: EFAULT when a byte before the NUL cannot be
     * read, ENAMETOOLONG when no NUL comes within max bytes (the caller may map that to
     * its own errno, E2BIG for execve's strings). Bytes are UTF-8.
     */
    public UserString copyString(AddressSpace mm, long uaddr, int max) {
        userAccessBegin();
        try {
            return copyStringOpen(mm, uaddr, max);
        } finally {
            userAccessEnd();
        }
    }

    /** copyString's work, with the user pages open (STAC) under SMAP. */
    private UserString copyStringOpen(AddressSpace mm, long uaddr, int max) {
        if (max <= 0) {
            return new UserString(null, Errno.ENAMETOOLONG);
        }
        byte[] buf = new byte[Math.min(max, 256)];
        int n = 0;
        while (n < max) {
            if (!accessOk(uaddr + n, 1)) {
                return new UserString(null, Errno.EFAULT);
            }
            long pa = translate(mm, uaddr + n, false);
            if (pa < 0) {
                return new UserString(null, Errno.EFAULT);
            }
            // The rest of this page at once: one translation per page, not per byte.
            int avail = (int) Math.min(max - n, Layout.PAGE_SIZE - ((uaddr + n) & 0xfff));
            for (int i = 0; i < avail; i++) {
                int b = mem.read8(pa + i);
                if (b == 0) {
                    perf.bytesCopied += n + 1;
                    return new UserString(new String(buf, 0, n, StandardCharsets.UTF_8), 0);
                }
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, (int) Math.min(max, buf.length * 2L));
                }
                buf[n++] = (byte) b;
            }
        }
        return new UserString(null, Errno.ENAMETOOLONG);
    }

    /**
     * strncpy_from_user: a NUL-terminated string of at most max bytes. Returns null on
     * EFAULT; a string longer than max comes back cut to max bytes (callers that must
     * refuse it use {@link #copyString}).
     */
    public String strncpyFromUser(AddressSpace mm, long uaddr, int max) {
        UserString s = copyString(mm, uaddr, max);
        if (s.ok()) {
            return s.value();
        }
        if (s.errno() == Errno.EFAULT) {
            return null;
        }
        if (max <= 0) {
            return "";
        }
        byte[] b = new byte[max];
        return copyFromUser(mm, uaddr, b, 0, max) ? new String(b, StandardCharsets.UTF_8) : null;
    }
}

package microlith.kernel.mm;

/** A virtual memory area: a range of a process's address space with one protection. */
public final class Vma {
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;
    public static final int PROT_READ_WRITE_EXEC = 7;

    public long start;
    public long end;
    public int prot;
    /** What /proc/pid/maps shows: a path, "[heap]", "[stack]" or "". */
    public final String name;
    public final long fileOffset;
    /** mlock'ed (VM_LOCKED): counted against RLIMIT_MEMLOCK. */
    public boolean locked;
    /**
     * The shared object behind a MAP_SHARED anonymous mapping (fileOffset is the VMA's
     * offset into it), or null for private memory. Only AddressSpace sets it, keeping
     * the object's count of VMAs right.
     */
    public SharedAnon shared;

    public Vma(long start, long end, int prot, String name, long fileOffset) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.name = name;
        this.fileOffset = fileOffset;
    }

    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) < 0;
    }

    @Override
    public String toString() {
        return String.format("%012x-%012x %s%s%s%s %08x %s", start, end,
            (prot & PROT_READ) != 0 ? "r" : "-", (prot & PROT_WRITE) != 0 ? "w" : "-",
            (prot & PROT_EXEC) != 0 ? "x" : "-", shared != null ? "s" : "p", fileOffset, name);
    }
}

package microlith.hw.mmu;

import microlith.hw.PerfCounters;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.Vectors;

import static microlith.hw.mmu.PageTableEntry.*;

/**
 * Linear-to-physical translation: a 4-level page walk from CR3 behind a direct-mapped TLB.
 *
 * <p>The TLB keeps one tag array per kind of access (read, write, execute) and privilege
 * (user, supervisor). A walk that finds a page fills every array whose access the page
 * permits, so the fast path is one tag compare: a hit means "allowed". Write tags are
 * filled only once the dirty bit is set, so the first write still walks and sets D.
 * Tags are virtual page numbers; {@code -1} marks an empty slot.
 *
 * <p>SMEP and SMAP (CR4 bits 20 and 21) restrict supervisor accesses to user-mode
 * addresses, those whose every paging level has U/S = 1 (Intel SDM vol. 3A 4.6; AMD APM
 * vol. 2 5.6): with SMEP no instruction may be fetched from one at CPL &lt; 3; with SMAP no
 * data may be read or written there, unless the access is explicit (made by an
 * instruction at CPL &lt; 3, not by the CPU walking the GDT, IDT or TSS) and RFLAGS.AC = 1.
 * Such pages are never in the supervisor tags while the bit is on, so the fast path (and
 * every translated block, which tests the same tags) always falls through to the checks
 * here. Because AC changes without a TLB flush, supervisor data translations of user
 * pages under SMAP live in tags of their own ({@link #acTags}), consulted with AC.
 */
public final class Mmu {
    public static final int TLB_BITS = 10;
    public static final int TLB_SIZE = 1 << TLB_BITS;
    public static final int TLB_MASK = TLB_SIZE - 1;

    /**
     * The TLB slot of a virtual page: the page number's bits folded together, so that
     * kernel addresses (high half) and user addresses with the same low bits, such as
     * 0xffffffff81001000 and 0x401000, do not evict each other on every system call.
     */
    public static int slot(long vpn) {
        return (int) (vpn ^ vpn >>> TLB_BITS ^ vpn >>> 2 * TLB_BITS ^ vpn >>> 3 * TLB_BITS) & TLB_MASK;
    }

    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int EXEC = 2;

    private final PhysicalMemory mem;
    private final PerfCounters perf;

    /** Control state mirrored from the CPU. */
    long cr3;
    boolean wp;
    boolean nxe;
    boolean paging = true;
    boolean smep;
    boolean smap;
    /** RFLAGS.AC as the CPU holds it, read only on the SMAP path. */
    private java.util.function.BooleanSupplier alignmentCheck = () -> false;

    // [user?1:0][READ/WRITE/EXEC]
    private final long[][][] tags = new long[2][3][TLB_SIZE];
    /** [READ/WRITE]: user pages a supervisor access may reach under SMAP when RFLAGS.AC = 1. */
    private final long[][] acTags = new long[2][TLB_SIZE];
    private final long[] frame = new long[TLB_SIZE];

    public Mmu(PhysicalMemory mem, PerfCounters perf) {
        this.mem = mem;
        this.perf = perf;
        flushAll();
    }

    public PhysicalMemory memory() {
        return mem;
    }

    /**
     * The tag array for one kind of access at one privilege, for the CPU's inlined hit
     * test: {@code tags[slot(vpn)] == vpn} means the access is allowed and
     * {@link #frames()} holds the frame. Only frames inside RAM are ever tagged.
     */
    public long[] tags(boolean user, int access) {
        return tags[user ? 1 : 0][access];
    }

    public long[] frames() {
        return frame;
    }

    public long cr3() {
        return cr3;
    }

    public void setControl(long cr3, boolean wp, boolean nxe, boolean paging) {
        setControl(cr3, wp, nxe, paging, smep, smap);
    }

    /** As {@link #setControl(long, boolean, boolean, boolean)}, with CR4.SMEP and CR4.SMAP. */
    public void setControl(long cr3, boolean wp, boolean nxe, boolean paging, boolean smep, boolean smap) {
        this.cr3 = cr3;
        this.wp = wp;
        this.nxe = nxe;
        this.paging = paging;
        this.smep = smep;
        this.smap = smap;
        flushAll();
    }

    /** Where the MMU reads RFLAGS.AC for SMAP's explicit supervisor accesses (the CPU's flags). */
    public void setAlignmentCheckFlag(java.util.function.BooleanSupplier ac) {
        this.alignmentCheck = ac;
    }

    public void flushAll() {
        for (long[][] byPriv : tags) {
            for (long[] t : byPriv) {
                java.util.Arrays.fill(t, -1L);
            }
        }
        for (long[] t : acTags) {
            java.util.Arrays.fill(t, -1L);
        }
        perf.tlbFlushes++;
    }

    public void invlpg(long linear) {
        long vpn = linear >>> 12;
        int i = slot(vpn);
        for (long[][] byPriv : tags) {
            for (long[] t : byPriv) {
                if (t[i] == vpn) {
                    t[i] = -1L;
                }
            }
        }
        for (long[] t : acTags) {
            if (t[i] == vpn) {
                t[i] = -1L;
            }
        }
    }

    /**
     * Translates a linear address for an access of the given kind at the given privilege,
     * raising #PF when the page tables forbid it. A supervisor access ({@code user}
     * false) is an explicit one, made by code at CPL &lt; 3.
     */
    public long translate(long linear, int access, boolean user) {
        long vpn = linear >>> 12;
        int i = slot(vpn);
        if (tags[user ? 1 : 0][access][i] == vpn) {
            perf.tlbHits++;
            return frame[i] | (linear & 0xfff);
        }
        return miss(linear, access, user, !user && smap && access != EXEC && alignmentCheck.getAsBoolean());
    }

    /**
     * An implicit supervisor-mode access: the CPU itself reading the GDT, IDT or TSS,
     * whatever the CPL. SMAP applies to it even when RFLAGS.AC = 1.
     */
    public long translateImplicit(long linear, int access) {
        long vpn = linear >>> 12;
        int i = slot(vpn);
        if (tags[0][access][i] == vpn) {
            perf.tlbHits++;
            return frame[i] | (linear & 0xfff);
        }
        return miss(linear, access, false, false);
    }

    /** acOverride: SMAP is satisfied by RFLAGS.AC = 1 (an explicit supervisor data access). */
    private long miss(long linear, int access, boolean user, boolean acOverride) {
        if (acOverride && acTags[access][slot(linear >>> 12)] == linear >>> 12) {
            perf.tlbHits++;
            return frame[slot(linear >>> 12)] | (linear & 0xfff);
        }
        perf.tlbMisses++;
        if (!paging) {
            return linear;
        }
        if (!canonical(linear)) {
            // Non-canonical addresses fault with #GP (or #SS) before any paging check.
            throw CpuException.gp(0);
        }
        perf.pageWalks++;
        // I/D reports a fetch only where fetches can fault on rights: with NXE or SMEP (SDM 4.7).
        int err = (user ? Vectors.PF_U : 0) | (access == WRITE ? Vectors.PF_W : 0)
            | (access == EXEC && (nxe || smep) ? Vectors.PF_I : 0);
        long table = cr3 & ADDR_MASK;
        boolean allUser = true;
        boolean allWrite = true;
        boolean anyNx = false;
        long[] entryAddr = new long[4];
        long pte = 0;
        int level;
        long pageMask = 0xfff;
        for (level = 3; level >= 0; level--) {
            int idx = (int) (linear >>> (12 + 9 * level)) & 0x1ff;
            long ea = table + idx * 8L;
            pte = mem.read64(ea);
            entryAddr[level] = ea;
            if ((pte & P) == 0) {
                throw CpuException.pf(linear, err);
            }
            if ((pte & NX) != 0) {
                if (!nxe) {
                    throw CpuException.pf(linear, err | Vectors.PF_P | Vectors.PF_RSVD);
                }
                anyNx = true;
            }
            allUser &= (pte & US) != 0;
            allWrite &= (pte & RW) != 0;
            if ((pte & A) == 0) {
                mem.write64(ea, pte | A);
                pte |= A;
            }
            if (level == 3 && (pte & PS) != 0) {
                // PS is reserved in a PML4 entry (there are no 512 GiB pages).
                throw CpuException.pf(linear, err | Vectors.PF_P | Vectors.PF_RSVD);
            }
            if (level == 0 || (level <= 2 && (pte & PS) != 0)) {
                pageMask = (1L << (12 + 9 * level)) - 1;
                break;
            }
            table = pte & ADDR_MASK;
        }
        // Permission checks on the combined rights of all levels.
        boolean allowed;
        if (user && !allUser) {
            allowed = false;
        } else if (!user && allUser && access == EXEC && smep) {
            allowed = false;
        } else if (!user && allUser && access != EXEC && smap && !acOverride) {
            allowed = false;
        } else if (access == WRITE) {
            allowed = allWrite || (!user && !wp);
        } else if (access == EXEC) {
            allowed = !anyNx;
        } else {
            allowed = true;
        }
        if (!allowed) {
            throw CpuException.pf(linear, err | Vectors.PF_P);
        }
        long leafAddr = entryAddr[level];
        if (access == WRITE && (pte & D) == 0) {
            pte |= D;
            mem.write64(leafAddr, pte);
        }
        long phys = (pte & ADDR_MASK & ~pageMask) | (linear & pageMask);
        if (!mem.contains(phys & ~0xfffL, 4096)) {
            // Not RAM: never cached, so every access takes the checked slow path.
            return phys;
        }
        long vpn = linear >>> 12;
        int i = slot(vpn);
        frame[i] = phys & ~0xfffL;
        for (int priv = 0; priv < 2; priv++) {
            boolean u = priv == 1;
            boolean privOk = !u || allUser;
            // Supervisor rights to a user-mode page that SMAP or SMEP withdraw are never tagged.
            boolean data = privOk && !(!u && allUser && smap);
            tags[priv][READ][i] = data ? vpn : -1L;
            boolean w = (pte & D) != 0 && (allWrite || (!u && !wp));
            tags[priv][WRITE][i] = data && w ? vpn : -1L;
            tags[priv][EXEC][i] = privOk && !anyNx && !(!u && allUser && smep) ? vpn : -1L;
        }
        boolean acPage = allUser && smap;
        acTags[READ][i] = acPage ? vpn : -1L;
        acTags[WRITE][i] = acPage && (pte & D) != 0 && (allWrite || !wp) ? vpn : -1L;
        return phys;
    }

    public static boolean canonical(long linear) {
        return (linear >> 47) == 0 || (linear >> 47) == -1;
    }
}

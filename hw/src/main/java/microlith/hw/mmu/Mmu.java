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
 * pages under SMAP live in tags of their own (each set's {@code ac}), consulted with AC.
 *
 * <p>Translations are tagged with the PCID they were made under (CR4.PCIDE, CR3 bits
 * 11:0; PCID 000H while PCIDE is clear): each PCID has its own {@link TlbSet}, and the
 * current one is what the CPU's fast path compares against. Pages whose leaf entry has
 * G set while CR4.PGE is on also go to a global set that every PCID consults before
 * walking. Invalidation follows the SDM (Vol. 3A, 4.10.4.1):
 * <pre>
 *   MOV to CR3, PCIDE=0          flush PCID 000H except global entries
 *   MOV to CR3, PCIDE=1, bit 63=0   flush the new PCID except global entries
 *   MOV to CR3, PCIDE=1, bit 63=1   flush nothing
 *   MOV to CR0/CR4 (PG, WP, PGE, PCIDE 1->0), EFER.NXE   flush everything, global too
 *   INVLPG                        the page, current PCID and global entries
 *   INVPCID 0 / 1 / 2 / 3         one page of a PCID / a PCID / everything / all but global
 * </pre>
 * A real TLB shares its entries among PCIDs; here each PCID keeps up to a whole set of
 * its own and at most {@link #MAX_SETS} PCIDs keep theirs (the least recently loaded
 * loses its entries), so what PCIDs save is, if anything, overstated.
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

    /** PCIDs whose translations are kept at once. */
    public static final int MAX_SETS = 8;

    /** The cached translations of one PCID (or the global ones). */
    private static final class TlbSet {
        // [user?1:0][READ/WRITE/EXEC]
        final long[][][] tags = new long[2][3][TLB_SIZE];
        final long[] frame = new long[TLB_SIZE];
        /** [READ/WRITE]: user pages a supervisor access may reach under SMAP when RFLAGS.AC = 1. */
        final long[][] ac = new long[2][TLB_SIZE];
        int pcid;
        long lastLoad;

        TlbSet(int pcid) {
            this.pcid = pcid;
            clear();
        }

        void clear() {
            for (long[][] byPriv : tags) {
                for (long[] t : byPriv) {
                    java.util.Arrays.fill(t, -1L);
                }
            }
            for (long[] t : ac) {
                java.util.Arrays.fill(t, -1L);
            }
        }

        void drop(int i, long vpn) {
            for (long[][] byPriv : tags) {
                for (long[] t : byPriv) {
                    if (t[i] == vpn) {
                        t[i] = -1L;
                    }
                }
            }
            for (long[] t : ac) {
                if (t[i] == vpn) {
                    t[i] = -1L;
                }
            }
        }

        void copySlot(TlbSet from, int i) {
            for (int p = 0; p < 2; p++) {
                for (int a = 0; a < 3; a++) {
                    tags[p][a][i] = from.tags[p][a][i];
                }
            }
            ac[READ][i] = from.ac[READ][i];
            ac[WRITE][i] = from.ac[WRITE][i];
            frame[i] = from.frame[i];
        }
    }

    private final PhysicalMemory mem;
    private final PerfCounters perf;

    /** Control state mirrored from the CPU. */
    long cr3;
    boolean wp;
    boolean nxe;
    boolean paging = true;
    boolean pge;
    boolean pcide;
    boolean smep;
    boolean smap;
    /** RFLAGS.AC as the CPU holds it, read only on the SMAP path. */
    private java.util.function.BooleanSupplier alignmentCheck = () -> false;

    private final java.util.List<TlbSet> sets = new java.util.ArrayList<>();
    private final TlbSet global = new TlbSet(-1);
    private TlbSet cur;
    private long loads;

    public Mmu(PhysicalMemory mem, PerfCounters perf) {
        this.mem = mem;
        this.perf = perf;
        this.cur = new TlbSet(0);
        sets.add(cur);
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
        return cur.tags[user ? 1 : 0][access];
    }

    public long[] frames() {
        return cur.frame;
    }

    /** The PCID whose translations are in use (000H while CR4.PCIDE is clear). */
    public int pcid() {
        return cur.pcid;
    }

    public long cr3() {
        return cr3;
    }

    /**
     * A change of CR0, CR4 or EFER.NXE (paging, write protection, global pages, PCIDs,
     * NX, SMEP, SMAP): every translation, global ones and those of every PCID, is dropped.
     */
    public void setControl(long cr3, boolean wp, boolean nxe, boolean paging, boolean pge, boolean pcide,
            boolean smep, boolean smap) {
        this.cr3 = cr3;
        this.wp = wp;
        this.nxe = nxe;
        this.paging = paging;
        this.pge = pge;
        this.pcide = pcide;
        this.smep = smep;
        this.smap = smap;
        select(pcide ? (int) (cr3 & 0xfff) : 0);
        flushAll();
    }

    /**
     * MOV to CR3. Returns the value CR3 then holds (bit 63, the no-flush bit, is not
     * stored); raises #GP(0) for bit 63 while CR4.PCIDE is clear, where it is reserved.
     *
     * <pre>
     *  63   62        52 51                        12 11        0
     * +----+------------+----------------------------+-----------+
     * | NF |  reserved  |  PML4 physical address      |   PCID    |   (CR4.PCIDE = 1)
     * +----+------------+----------------------------+-----------+
     * </pre>
     */
    public long loadCr3(long value) {
        boolean noFlush = value < 0;
        if (noFlush && !pcide) {
            throw CpuException.gp(0);
        }
        long v = value & Long.MAX_VALUE;
        cr3 = v;
        select(pcide ? (int) (v & 0xfff) : 0);
        if (!noFlush) {
            cur.clear();
            perf.tlbFlushes++;
        }
        return v;
    }

    /** Makes pcid's set the current one, taking the least recently loaded set if it has none. */
    private void select(int pcid) {
        loads++;
        TlbSet found = null;
        TlbSet oldest = null;
        for (TlbSet t : sets) {
            if (t.pcid == pcid) {
                found = t;
            }
            if (oldest == null || t.lastLoad < oldest.lastLoad) {
                oldest = t;
            }
        }
        if (found == null) {
            if (sets.size() < MAX_SETS) {
                found = new TlbSet(pcid);
                sets.add(found);
            } else {
                found = oldest;
                found.pcid = pcid;
                found.clear();
            }
        }
        found.lastLoad = loads;
        cur = found;
    }

    private TlbSet existing(int pcid) {
        for (TlbSet t : sets) {
            if (t.pcid == pcid) {
                return t;
            }
        }
        return null;
    }

    /** Where the MMU reads RFLAGS.AC for SMAP's explicit supervisor accesses (the CPU's flags). */
    public void setAlignmentCheckFlag(java.util.function.BooleanSupplier ac) {
        this.alignmentCheck = ac;
    }

    /** Drops every translation of every PCID, global ones included. */
    public void flushAll() {
        for (TlbSet t : sets) {
            t.clear();
        }
        global.clear();
        perf.tlbFlushes++;
    }

    /** INVLPG: the page's translations for the current PCID, and its global ones wherever they are cached. */
    public void invlpg(long linear) {
        long vpn = linear >>> 12;
        int i = slot(vpn);
        // Copies of a global translation may sit in any PCID's set: drop the page everywhere.
        global.drop(i, vpn);
        for (TlbSet t : sets) {
            t.drop(i, vpn);
        }
    }

    /**
     * INVPCID of the given type (the CPU has checked the descriptor): 0 one page of pcid,
     * 1 all of pcid, both sparing global translations; 2 everything; 3 all but global.
     */
    public void invpcid(int type, int pcid, long linear) {
        TlbSet t = existing(pcid);
        switch (type) {
            case 0:
                if (t != null) {
                    t.drop(slot(linear >>> 12), linear >>> 12);
                }
                return;
            case 1:
                if (t != null) {
                    t.clear();
                }
                perf.tlbFlushes++;
                return;
            case 2:
                flushAll();
                return;
            default:
                for (TlbSet s : sets) {
                    s.clear();
                }
                perf.tlbFlushes++;
        }
    }

    /**
     * Translates a linear address for an access of the given kind at the given privilege,
     * raising #PF when the page tables forbid it.
     */
    public long translate(long linear, int access, boolean user) {
        long vpn = linear >>> 12;
        int i = slot(vpn);
        if (cur.tags[user ? 1 : 0][access][i] == vpn) {
            perf.tlbHits++;
            return cur.frame[i] | (linear & 0xfff);
        }
        if (global.tags[user ? 1 : 0][access][i] == vpn) {
            // A global translation matches in every PCID.
            cur.copySlot(global, i);
            perf.tlbHits++;
            return cur.frame[i] | (linear & 0xfff);
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
        if (cur.tags[0][access][i] == vpn) {
            perf.tlbHits++;
            return cur.frame[i] | (linear & 0xfff);
        }
        return miss(linear, access, false, false);
    }

    /** acOverride: SMAP is satisfied by RFLAGS.AC = 1 (an explicit supervisor data access). */
    private long miss(long linear, int access, boolean user, boolean acOverride) {
        if (acOverride) {
            int i = slot(linear >>> 12);
            if (cur.ac[access][i] == linear >>> 12) {
                perf.tlbHits++;
                return cur.frame[i] | (linear & 0xfff);
            }
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
        TlbSet t = cur;
        t.frame[i] = phys & ~0xfffL;
        for (int priv = 0; priv < 2; priv++) {
            boolean u = priv == 1;
            boolean privOk = !u || allUser;
            // Supervisor rights to a user-mode page that SMAP or SMEP withdraw are never tagged.
            boolean data = privOk && !(!u && allUser && smap);
            t.tags[priv][READ][i] = data ? vpn : -1L;
            boolean w = (pte & D) != 0 && (allWrite || (!u && !wp));
            t.tags[priv][WRITE][i] = data && w ? vpn : -1L;
            t.tags[priv][EXEC][i] = privOk && !anyNx && !(!u && allUser && smep) ? vpn : -1L;
        }
        boolean acPage = allUser && smap;
        t.ac[READ][i] = acPage ? vpn : -1L;
        t.ac[WRITE][i] = acPage && (pte & D) != 0 && (allWrite || !wp) ? vpn : -1L;
        if (pge && (pte & G) != 0) {
            global.copySlot(t, i);
        }
        return phys;
    }

    public static boolean canonical(long linear) {
        return (linear >> 47) == 0 || (linear >> 47) == -1;
    }
}

package microlith.kernel.mm;

import microlith.hw.cpu.Cpu;

/**
 * Process-context identifiers (Linux's arch/x86/mm/tlb.c, its "ASIDs"): with {@code pcid=1}
 * on the command line the kernel turns on CR4.PCIDE and gives each recently run address
 * space one of {@link #DYNAMIC} PCIDs, so switching back to it keeps its TLB entries.
 *
 * <pre>
 *  CR3 written on a switch:  NF | PML4 address | PCID
 *    NF (bit 63) = 1   the address space kept its PCID and nothing changed: keep its entries
 *    NF (bit 63) = 0   a PCID newly given to it, or its tables changed while it was away: flush
 * </pre>
 * An address space whose page tables change while another is loaded (a grant copy that
 * breaks copy-on-write in the client, say) has its PCID flushed at once with INVPCID
 * (single context); one that loses its PCID to another address space starts clean when it
 * gets one back. Without {@code pcid=1} every CR3 write flushes, as before.
 */
public final class Pcid implements PageTables.Listener {
    /** PCIDs handed out, 1..DYNAMIC (Linux's TLB_NR_DYN_ASIDS); 0 stays the kernel's. */
    public static final int DYNAMIC = 6;
    private static final long NO_FLUSH = 1L << 63;

    private final Cpu cpu;
    /** Kernel memory for INVPCID's 16-byte descriptor (PCID, linear address). */
    private final long descriptor;
    private boolean enabled;
    /** The PML4 holding each PCID, 0 for none; index 0 unused. */
    private final long[] owner = new long[DYNAMIC + 1];
    private final long[] lastUse = new long[DYNAMIC + 1];
    private long uses;

    public Pcid(Cpu cpu, long descriptor) {
        this.cpu = cpu;
        this.descriptor = descriptor;
    }

    /** Turns CR4.PCIDE on (CR3's PCID field must be 000H, as it is for the kernel's tables). */
    public void enable() {
        cpu.writeCr(4, cpu.readCr(4) | Cpu.CR4_PCIDE);
        enabled = true;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The PML4 address CR3 holds now, without the PCID. */
    public long loadedPml4() {
        return cpu.cr3() & ~0xfffL;
    }

    /** The CR3 value that switches to pml4: its PCID, and NF when its entries are still good. */
    public long cr3For(long pml4) {
        if (!enabled) {
            return pml4;
        }
        uses++;
        int victim = 1;
        for (int p = 1; p <= DYNAMIC; p++) {
            if (owner[p] == pml4) {
                lastUse[p] = uses;
                return pml4 | p | NO_FLUSH;
            }
            boolean unused = owner[p] == 0;
            if (unused && owner[victim] != 0 || unused == (owner[victim] == 0) && lastUse[p] < lastUse[victim]) {
                victim = p;
            }
        }
        owner[victim] = pml4;
        lastUse[victim] = uses;
        // The PCID may hold another address space's entries: this first load flushes them.
        return pml4 | victim;
    }

    /**
     * An entry of pml4's tables that may be cached changed or went away. If pml4 is loaded
     * the caller invalidates as it always does (INVLPG, or reloading CR3); if it is not,
     * its PCID's entries are stale and are flushed now.
     */
    @Override
    public void changed(long pml4) {
        if (!enabled || pml4 == loadedPml4()) {
            return;
        }
        for (int p = 1; p <= DYNAMIC; p++) {
            if (owner[p] == pml4) {
                cpu.write64(descriptor, p);
                cpu.write64(descriptor + 8, 0);
                cpu.invpcid(1, descriptor);
            }
        }
    }

    /** pml4 is being freed: its PCID may go to the next address space (which will flush it). */
    @Override
    public void released(long pml4) {
        for (int p = 1; p <= DYNAMIC; p++) {
            if (owner[p] == pml4) {
                owner[p] = 0;
            }
        }
    }
}

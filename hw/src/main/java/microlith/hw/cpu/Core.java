package microlith.hw.cpu;

import microlith.hw.PerfCounters;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.decode.DecodedPage;
import microlith.hw.cpu.decode.Decoder;
import microlith.hw.cpu.decode.Fuse;
import microlith.hw.cpu.decode.Insn;
import microlith.hw.cpu.decode.Op;
import microlith.hw.cpu.integer.FastOps;
import microlith.hw.cpu.integer.IntOps;
import microlith.hw.cpu.translate.Block;
import microlith.hw.cpu.translate.Translator;
import microlith.hw.cpu.x87.X87State;
import microlith.hw.io.IoBus;
import microlith.hw.mmu.Mmu;

/**
 * The execution engine of one x86-64 long-mode CPU: its architectural state, memory access
 * through the TLB, and the fetch-execute loop.
 *
 * <p>State is plain public fields so that the instruction handlers in the subpackages
 * (decode, integer, sse, x87, translate) reach it directly. Nothing outside hw can: the
 * machine hands out only the {@link Cpu} facade, whose methods perform the same privilege
 * checks the instructions do. Arithmetic flags are lazy (see {@link LazyFlags}): the last
 * flag-setting operation's operands are kept and a flag is computed only when read.
 */
public final class Core {
    /** RAX..R15, then {@link #ZERO}. */
    public final long[] r = new long[17];
    /**
     * A register slot that is always zero and never written: specialized memory operands
     * use it for a missing base or index (see Specialize).
     */
    public static final int ZERO = 16;
    public long rip;
    /** Start of the instruction being executed: faults report it and restart there. */
    public long insnStart;
    public final LazyFlags flags = new LazyFlags();
    /** XMM0-15 as (low, high) quadword pairs. */
    public final long[] xmm = new long[32];
    public int mxcsr = 0x1F80;
    /** x87 FPU registers, control, status and tag words. */
    public final X87State x87 = new X87State();

    public int cpl;
    public int cs;
    public int ss;
    public final int[] sreg = new int[6];
    public long fsBase;
    public long gsBase;
    public long kernelGsBase;

    public long cr0;
    public long cr2;
    public long cr3;
    public long cr4;
    public long efer;
    public long star;
    public long lstar;
    public long cstar;
    public long sfmask;
    public long tscOffset;

    public long gdtBase;
    public int gdtLimit;
    public long idtBase;
    public int idtLimit;
    public int tr;
    public long tssBase;
    public int tssLimit;

    public boolean halted;
    /** One-instruction interrupt shadow after STI and MOV SS. */
    public boolean interruptShadow;
    /**
     * Set by anything that needs the outer run loop's attention. Not volatile: only the
     * CPU's own thread sets it; a host thread's stop request is seen at the next slice.
     */
    public boolean eventPending;
    /** The maskable interrupt line (INTR) driven by the interrupt controller. */
    public InterruptController intc;

    public final Mmu mmu;
    public final PhysicalMemory mem;
    public final IoBus io;
    public final PerfCounters perf;
    public final JavaCallGate gate;
    private final Decoder decoder;
    private final InterruptDelivery delivery;
    private final Translator translator = new Translator();
    /** Whether hot code is translated into blocks (see {@link Translator}); tests compare both ways. */
    private boolean translate = Translator.ENABLED;
    /** Jumps to an entry before it is translated (see {@link Translator#HOT}); tests lower it. */
    private int hot = Translator.HOT;
    /** Exits to code a block lacks before it is formed again (see Translator#reform); tests lower it. */
    public int reformExits = Translator.REFORM_EXITS;
    /** Translated blocks running nested in one another (a block calls the next one it exits to). */
    public int chainDepth;
    /**
     * Written by a translated block as it returns or faults: how many instructions it
     * retired in that call (counting a faulting one, as the interpreter does).
     */
    public long retired;

    // Fast-path TLB views for the current privilege (refreshed by refreshTlbViews).
    public long[] readTags;
    public long[] writeTags;
    public long[] tlbFrames;
    private long fetchVpn = -1;
    private DecodedPage fetchPage;
    private long fetchFrame;

    /** Shutdown (triple fault) or a stop request ends {@link #run}; written by other threads too. */
    public volatile String stopReason;

    /** The facade that Java routines (KCALL) receive. */
    public final Cpu cpu;

    Core(Cpu cpu, PhysicalMemory mem, IoBus io, PerfCounters perf) {
        this.cpu = cpu;
        this.mem = mem;
        this.io = io;
        this.perf = perf;
        this.mmu = new Mmu(mem, perf);
        mmu.setAlignmentCheckFlag(() -> (flags.bits & Flags.AC) != 0);
        this.gate = new JavaCallGate();
        this.decoder = new Decoder(this::fetchByte);
        this.delivery = new InterruptDelivery(this);
        refreshTlbViews();
    }

    private void refreshTlbViews() {
        readTags = mmu.tags(cpl == 3, Mmu.READ);
        writeTags = mmu.tags(cpl == 3, Mmu.WRITE);
        tlbFrames = mmu.frames();
    }

    /**
     * Puts the CPU in 64-bit mode at CPL 0 the way a boot loader leaves it for a 64-bit
     * kernel entry (Linux boot protocol, "64-bit boot protocol"): paging on with the given
     * CR3, interrupts off, RSI holding the boot-parameters address.
     */
    public void resetToLongMode(long cr3, long entry, long bootParams, long gdtBase, int gdtLimit) {
        java.util.Arrays.fill(r, 0);
        this.cr0 = Cpu.CR0_PE | Cpu.CR0_PG | (1L << 4);
        this.cr4 = Cpu.CR4_PAE;
        this.efer = Msr.EFER_LME | Msr.EFER_LMA;
        this.gdtBase = gdtBase;
        this.gdtLimit = gdtLimit;
        this.cs = 0x10;
        this.ss = 0x18;
        this.cpl = 0;
        refreshTlbViews();
        this.cr3 = cr3;
        this.rip = entry;
        this.r[Cpu.RSI] = bootParams;
        flags.set(Flags.FIXED1);
        mmuControlChanged();
    }

    // ---------------------------------------------------------------- privileged operations

    public void requireCpl0() {
        if (cpl != 0) {
            throw CpuException.gp(0);
        }
    }

    public long readCr(int n) {
        requireCpl0();
        switch (n) {
            case 0: return cr0;
            case 2: return cr2;
            case 3: return cr3;
            case 4: return cr4;
            case 8: return 0;
            default: throw CpuException.ud();
        }
    }

    public void writeCr(int n, long v) {
        requireCpl0();
        switch (n) {
            case 0:
                if ((v & Cpu.CR0_PG) == 0 && (efer & Msr.EFER_LMA) != 0) {
                    // Leaving long mode is not modelled: the machine only runs 64-bit code.
                    throw CpuException.gp(0);
                }
                cr0 = v | (1L << 4);
                mmuControlChanged();
                return;
            case 2: cr2 = v; return;
            case 3:
                cr3 = mmu.loadCr3(v);
                perf.cr3Writes++;
                refreshTlbViews();
                fetchVpn = -1;
                return;
            case 4:
                // PCIDE may be set only while CR3's PCID field is 000H (SDM, MOV to CR4).
                if ((v & Cpu.CR4_PAE) == 0 || (v & ~cr4 & Cpu.CR4_PCIDE) != 0 && (cr3 & 0xfff) != 0) {
                    throw CpuException.gp(0);
                }
                cr4 = v;
                mmuControlChanged();
                return;
            case 8: return;
            default: throw CpuException.ud();
        }
    }

    private void mmuControlChanged() {
        mmu.setControl(cr3, (cr0 & Cpu.CR0_WP) != 0, (efer & Msr.EFER_NXE) != 0, (cr0 & Cpu.CR0_PG) != 0,
            (cr4 & Cpu.CR4_PGE) != 0, (cr4 & Cpu.CR4_PCIDE) != 0, (cr4 & Cpu.CR4_SMEP) != 0, (cr4 & Cpu.CR4_SMAP) != 0);
        refreshTlbViews();
        fetchVpn = -1;
    }

    public long rdmsr(int msr) {
        requireCpl0();
        switch (msr) {
            case Msr.EFER: return efer;
            case Msr.STAR: return star;
            case Msr.LSTAR: return lstar;
            case Msr.CSTAR: return cstar;
            case Msr.SFMASK: return sfmask;
            case Msr.FS_BASE: return fsBase;
            case Msr.GS_BASE: return gsBase;
            case Msr.KERNEL_GS_BASE: return kernelGsBase;
            case Msr.TSC: return tsc();
            default: throw CpuException.gp(0);
        }
    }

    public void wrmsr(int msr, long v) {
        requireCpl0();
        switch (msr) {
            case Msr.EFER: {
                long allowed = Msr.EFER_SCE | Msr.EFER_LME | Msr.EFER_NXE;
                if ((v & ~(allowed | Msr.EFER_LMA)) != 0) {
                    throw CpuException.gp(0);
                }
                // LMA is read-only: it reflects that long mode is active.
                efer = (v & allowed) | (efer & Msr.EFER_LMA);
                mmuControlChanged();
                return;
            }
            case Msr.STAR: star = v; return;
            case Msr.LSTAR: lstar = checkCanonicalMsr(v); return;
            case Msr.CSTAR: cstar = checkCanonicalMsr(v); return;
            case Msr.SFMASK: sfmask = v & 0xffffffffL; return;
            case Msr.FS_BASE: fsBase = checkCanonicalMsr(v); return;
            case Msr.GS_BASE: gsBase = checkCanonicalMsr(v); return;
            case Msr.KERNEL_GS_BASE: kernelGsBase = checkCanonicalMsr(v); return;
            case Msr.TSC: tscOffset = v - perf.cycles(); return;
            default: throw CpuException.gp(0);
        }
    }

    private static long checkCanonicalMsr(long v) {
        if (!Mmu.canonical(v)) {
            throw CpuException.gp(0);
        }
        return v;
    }

    public long tsc() {
        return perf.cycles() + tscOffset;
    }

    public void lgdt(long base, int limit) {
        requireCpl0();
        gdtBase = base;
        gdtLimit = limit & 0xffff;
    }

    public void lidt(long base, int limit) {
        requireCpl0();
        idtBase = base;
        idtLimit = limit & 0xffff;
    }

    /** LTR: loads TR and caches the 16-byte TSS descriptor's base and limit. */
    public void ltr(int selector) {
        requireCpl0();
        long d = descriptorAddress(selector);
        long lo = read64(d);
        long hi = read64(d + 8);
        int type = (int) (lo >>> 40) & 0xf;
        boolean present = (lo & (1L << 47)) != 0;
        if (type != 9 || !present) {
            throw CpuException.gp(selector & 0xfffc);
        }
        tssBase = (lo >>> 16 & 0xffffffL) | (lo >>> 56 & 0xff) << 24 | (hi & 0xffffffffL) << 32;
        tssLimit = (int) (lo & 0xffff) | (int) (lo >>> 48 & 0xf) << 16;
        // Mark the descriptor busy (type 9 -> 11) as LTR does.
        write64(d, lo | (2L << 40));
        tr = selector;
    }

    public long descriptorAddress(int selector) {
        int index = selector & 0xfff8;
        if ((selector & 4) != 0 || index == 0 || index + 7 > gdtLimit) {
            throw CpuException.gp(selector & 0xfffc);
        }
        return gdtBase + index;
    }

    /** Reads a GDT code/data descriptor, for privilege checks on far transfers. */
    public long descriptor(int selector) {
        return readSupervisor64(descriptorAddress(selector));
    }

    public int in(int port, int size) {
        checkIoPermission(port, size);
        perf.portIo++;
        return io.in(port, size);
    }

    public void out(int port, int size, int value) {
        checkIoPermission(port, size);
        perf.portIo++;
        io.out(port, size, value);
    }

    /** IN/OUT privilege: CPL <= IOPL, or every bit for the ports clear in the TSS I/O bitmap. */
    public void checkIoPermission(int port, int size) {
        if (cpl <= Flags.iopl(flags.get())) {
            return;
        }
        if (tssLimit < 0x67) {
            throw CpuException.gp(0);
        }
        int mapBase = readSupervisor16(tssBase + 0x66);
        long byteAddr = tssBase + mapBase + (port >>> 3);
        if (mapBase + (port >>> 3) + 1 > tssLimit) {
            throw CpuException.gp(0);
        }
        int bits = readSupervisor16(byteAddr);
        int mask = ((1 << size) - 1) << (port & 7);
        if ((bits & mask) != 0) {
            throw CpuException.gp(0);
        }
    }

    public void invlpg(long linear) {
        requireCpl0();
        mmu.invlpg(linear);
        fetchVpn = -1;
    }

    /**
     * STAC (0F 01 CB) and CLAC (0F 01 CA): set or clear RFLAGS.AC, which lets explicit
     * supervisor accesses reach user pages under SMAP. #UD at CPL &gt; 0 and where CPUID
     * does not report SMAP. The kernel's user copies bracket themselves with these, as
     * Linux's do.
     */
    public void stac() {
        requireSmapInstruction();
        flags.bits |= Flags.AC;
    }

    public void clac() {
        requireSmapInstruction();
        flags.bits &= ~Flags.AC;
    }

    private void requireSmapInstruction() {
        if (cpl != 0 || !Cpuid.SMAP) {
            throw CpuException.ud();
        }
    }

    /**
     * INVPCID type, [desc]: the descriptor is a PCID in bits 11:0 of its first quadword
     * (bits 63:12 reserved) and a linear address in its second. #GP(0) at CPL > 0, for a
     * type above 3, reserved bits set, a non-canonical address for type 0, or a PCID
     * other than 000H for types 0 and 1 while CR4.PCIDE is clear (SDM, INVPCID).
     */
    public void invpcid(long type, long desc) {
        requireCpl0();
        long lo = read64(desc);
        long linear = read64(desc + 8);
        int pcid = (int) (lo & 0xfff);
        if (Long.compareUnsigned(type, 3) > 0 || (lo & ~0xfffL) != 0
            || type == 0 && !Mmu.canonical(linear) || type <= 1 && pcid != 0 && (cr4 & Cpu.CR4_PCIDE) == 0) {
            throw CpuException.gp(0);
        }
        mmu.invpcid((int) type, pcid, linear);
        refreshTlbViews();
        fetchVpn = -1;
    }

    public void swapgs() {
        requireCpl0();
        long t = gsBase;
        gsBase = kernelGsBase;
        kernelGsBase = t;
    }

    // ---------------------------------------------------------------- memory access

    private long tr(long la, int access) {
        return mmu.translate(la, access, cpl == 3);
    }

    private int fetchByte(long la) {
        return mem.read8(mmu.translate(la, Mmu.EXEC, cpl == 3));
    }

    /*
     * Loads and stores: a TLB hit on an access inside one page is the inlined fast path;
     * everything else (a miss, a page-crossing access) is a separate method, so the JIT
     * keeps the fast path small wherever it inlines it, in the loop and in every
     * translated block.
     */

    /**
     * The TLB hit test of every load and store (translated code writes the same test out
     * in its bytecode, see translate.Operands): the physical address of the
     * {@code size}-byte access at la if the tag array holds la's page and the access stays
     * inside it, else -1.
     */
    private static long hit(long[] tags, long[] frames, long la, int size) {
        long vpn = la >>> 12;
        int t = Mmu.slot(vpn);
        if (tags[t] == vpn && (la & 0xfff) <= 0x1000 - size) {
            return frames[t] | (la & 0xfff);
        }
        return -1;
    }

    public int read8(long la) {
        long pa = hit(readTags, tlbFrames, la, 1);
        if (pa >= 0) {
            perf.tlbHits++;
            return mem.read8Fast(pa);
        }
        return read8Slow(la);
    }

    private int read8Slow(long la) {
        return mem.read8(tr(la, Mmu.READ));
    }

    public int read16(long la) {
        long pa = hit(readTags, tlbFrames, la, 2);
        if (pa >= 0) {
            perf.tlbHits++;
            return mem.read16Fast(pa);
        }
        return read16Slow(la);
    }

    private int read16Slow(long la) {
        if ((la & 0xfff) > 0xffe) {
            return read8(la) | read8(la + 1) << 8;
        }
        return mem.read16(tr(la, Mmu.READ));
    }

    public int read32(long la) {
        long pa = hit(readTags, tlbFrames, la, 4);
        if (pa >= 0) {
            perf.tlbHits++;
            return mem.read32Fast(pa);
        }
        return read32Slow(la);
    }

    private int read32Slow(long la) {
        if ((la & 0xfff) > 0xffc) {
            return read16(la) | read16(la + 2) << 16;
        }
        return mem.read32(tr(la, Mmu.READ));
    }

    public long read64(long la) {
        long pa = hit(readTags, tlbFrames, la, 8);
        if (pa >= 0) {
            perf.tlbHits++;
            return mem.read64Fast(pa);
        }
        return read64Slow(la);
    }

    private long read64Slow(long la) {
        if ((la & 0xfff) > 0xff8) {
            return (read32(la) & 0xffffffffL) | (long) read32(la + 4) << 32;
        }
        return mem.read64(tr(la, Mmu.READ));
    }

    public void write8(long la, int v) {
        long pa = hit(writeTags, tlbFrames, la, 1);
        if (pa >= 0) {
            perf.tlbHits++;
            mem.write8Fast(pa, v);
            return;
        }
        write8Slow(la, v);
    }

    private void write8Slow(long la, int v) {
        mem.write8(tr(la, Mmu.WRITE), v);
    }

    public void write16(long la, int v) {
        if ((la & 0xfff) > 0xffe) {
            long p0 = tr(la, Mmu.WRITE);
            long p1 = tr(la + 1, Mmu.WRITE);
            mem.write8(p0, v);
            mem.write8(p1, v >>> 8);
            return;
        }
        mem.write16(tr(la, Mmu.WRITE), v);
    }

    public void write32(long la, int v) {
        long pa = hit(writeTags, tlbFrames, la, 4);
        if (pa >= 0) {
            perf.tlbHits++;
            mem.write32Fast(pa, v);
            return;
        }
        write32Slow(la, v);
    }

    private void write32Slow(long la, int v) {
        if ((la & 0xfff) > 0xffc) {
            // Translate both pages first so a fault on the second leaves memory untouched.
            tr(la, Mmu.WRITE);
            tr(la + 3, Mmu.WRITE);
            write16(la, v);
            write16(la + 2, v >>> 16);
            return;
        }
        mem.write32(tr(la, Mmu.WRITE), v);
    }

    public void write64(long la, long v) {
        long pa = hit(writeTags, tlbFrames, la, 8);
        if (pa >= 0) {
            perf.tlbHits++;
            mem.write64Fast(pa, v);
            return;
        }
        write64Slow(la, v);
    }

    private void write64Slow(long la, long v) {
        if ((la & 0xfff) > 0xff8) {
            tr(la, Mmu.WRITE);
            tr(la + 7, Mmu.WRITE);
            write32(la, (int) v);
            write32(la + 4, (int) (v >>> 32));
            return;
        }
        mem.write64(tr(la, Mmu.WRITE), v);
    }

    public long read(long la, int size) {
        switch (size) {
            case 1: return read8(la);
            case 2: return read16(la);
            case 4: return read32(la) & 0xffffffffL;
            default: return read64(la);
        }
    }

    public void write(long la, int size, long v) {
        switch (size) {
            case 1: write8(la, (int) v); return;
            case 2: write16(la, (int) v); return;
            case 4: write32(la, (int) v); return;
            default: write64(la, v);
        }
    }

    /**
     * Implicit supervisor-mode reads of the descriptor tables and the TSS, whatever the CPL
     * (SMAP applies to them even with RFLAGS.AC = 1).
     */
    public long readSupervisor64(long la) {
        long p = mmu.translateImplicit(la, Mmu.READ);
        if ((la & 0xfff) > 0xff8) {
            return (readSupervisor32(la) & 0xffffffffL) | (long) readSupervisor32(la + 4) << 32;
        }
        return mem.read64(p);
    }

    public int readSupervisor32(long la) {
        if ((la & 0xfff) > 0xffc) {
            return readSupervisor16(la) | readSupervisor16(la + 2) << 16;
        }
        return mem.read32(mmu.translateImplicit(la, Mmu.READ));
    }

    public int readSupervisor16(long la) {
        if ((la & 0xfff) > 0xffe) {
            return mem.read8(mmu.translateImplicit(la, Mmu.READ)) | mem.read8(mmu.translateImplicit(la + 1, Mmu.READ)) << 8;
        }
        return mem.read16(mmu.translateImplicit(la, Mmu.READ));
    }

    public void writeSupervisor64(long la, long v) {
        mem.write64(mmu.translate(la, Mmu.WRITE, false), v);
    }

    // ---------------------------------------------------------------- registers by size

    public long getReg(int n, int size) {
        switch (size) {
            case 1: return n >= 16 ? (r[n - 16] >>> 8) & 0xff : r[n] & 0xff;
            case 2: return r[n] & 0xffff;
            case 4: return r[n] & 0xffffffffL;
            default: return r[n];
        }
    }

    public void putReg(int n, int size, long v) {
        switch (size) {
            case 1:
                if (n >= 16) {
                    r[n - 16] = (r[n - 16] & ~0xff00L) | (v & 0xff) << 8;
                } else {
                    r[n] = (r[n] & ~0xffL) | (v & 0xff);
                }
                return;
            case 2: r[n] = (r[n] & ~0xffffL) | (v & 0xffff); return;
            case 4: r[n] = v & 0xffffffffL; return;
            default: r[n] = v;
        }
    }

    /** Effective linear address of a ModRM memory operand. */
    public long ea(Insn i) {
        long a = i.disp;
        if (i.ripRel) {
            a += rip;
        } else if (i.base >= 0) {
            a += r[i.base];
        }
        if (i.index >= 0) {
            a += r[i.index] << i.scale;
        }
        if (i.asz == 4) {
            a &= 0xffffffffL;
        }
        if (i.seg >= 0) {
            a += i.seg == 4 ? fsBase : gsBase;
        }
        return a;
    }

    public long readRm(Insn i, int size) {
        return i.mem ? read(ea(i), size) : getReg(i.rm, size);
    }

    public void writeRm(Insn i, int size, long v) {
        if (i.mem) {
            write(ea(i), size, v);
        } else {
            putReg(i.rm, size, v);
        }
    }

    public void push(long v, int size) {
        long sp = r[Cpu.RSP] - size;
        write(sp, size, v);
        r[Cpu.RSP] = sp;
    }

    public long pop(int size) {
        long v = read(r[Cpu.RSP], size);
        r[Cpu.RSP] += size;
        return v;
    }

    // ---------------------------------------------------------------- execution

    /**
     * Runs until {@code maxInstructions} more have retired, the CPU halts, or something
     * needs the board's attention. Exceptions are delivered through the IDT here.
     */
    public void run(long maxInstructions) {
        long end = perf.instructions + maxInstructions;
        while (perf.instructions < end && stopReason == null) {
            if (eventPending) {
                eventPending = false;
                if (stopReason != null) {
                    return;
                }
                if (yieldPending) {
                    yieldPending = false;
                    return;
                }
            }
            if (!interruptShadow && intc != null && (flags.get() & Flags.IF) != 0 && intc.hasInterrupt()) {
                halted = false;
                int vector = intc.acknowledge();
                perf.interrupts++;
                delivery.deliver(vector, false, 0, false);
            }
            interruptShadow = false;
            if (halted) {
                return;
            }
            try {
                loop(end);
            } catch (CpuException e) {
                rip = insnStart;
                perf.exceptions++;
                if (e.vector == Vectors.PF) {
                    cr2 = e.faultAddress;
                }
                delivery.deliver(e.vector, e.hasErrorCode, e.errorCode, false);
            }
        }
    }

    /**
     * The interpreter's hot loop. RIP, the instruction count and the current code page
     * live in locals while the commonest specialized forms run right here, so the JIT
     * keeps them in registers; they are written back before anything else can look at
     * them: a generic handler ({@link Exec#execute}), a fault, or the end of the slice.
     *
     * <p>Where an entry is reached by a jump rather than by falling through, the loop
     * counts how often; a hot one gets a translated block ({@link Translator}), which from
     * then on runs in its place whenever the whole block fits in what is left of the slice.
     */
    private void loop(long end) {
        final long[] r = this.r;
        final LazyFlags f = this.flags;
        long n = perf.instructions;
        long pc = rip;
        DecodedPage page = fetchPage;
        long pageVpn = fetchVpn;
        try {
            // Straight-line code follows Insn.next links (see Insn.next) instead of the page
            // lookup; a link is made from `linkFrom` when the lookup finds its successor.
            Insn chained = null;
            Insn linkFrom = null;
            DecodedPage linkPage = null;
            while (n < end) {
                n++; // counted before the fetch: a fetch fault ends step() like an execute fault
                Insn insn = chained;
                if (insn == null || !page.valid) {
                    if ((pc >>> 12) != pageVpn || !page.valid) {
                        insnStart = pc;
                        page = fetchPageFor(pc);
                        pageVpn = fetchVpn;
                    }
                    insn = page.insns[(int) pc & 0xfff];
                    if (insn == null) {
                        insnStart = pc;
                        insn = decodeInto(page, pc);
                    }
                    // Heat counts arrivals by a control transfer, never by falling through.
                    boolean jumped = linkFrom == null;
                    if (linkFrom != null) {
                        // Only between entries of one still-valid page, and only to a cached one.
                        if (linkPage == page && page.insns[(int) pc & 0xfff] == insn) {
                            linkFrom.next = insn;
                        }
                        linkFrom = null;
                    }
                    chained = null;
                    Block b = insn.block;
                    if (b == null && jumped && ++insn.heat == hot && translate) {
                        b = translator.translate(page, (int) pc & 0xfff);
                        insn.block = b;
                    }
                    if (b != null && end - n + 1 >= b.entryLength) {
                        // The block runs while its basic blocks fit in the slice; `retired`
                        // says how many instructions it retired, also when it faults.
                        long from = pc;
                        try {
                            pc = b.run(this, pc, end - n + 1);
                        } catch (CpuException e) {
                            n += retired - 1;
                            pc = insnStart;
                            throw e;
                        }
                        n += retired - 1;
                        if (((pc ^ from) & ~0xfffL) == 0) {
                            b.pageExit((int) pc & 0xfff);
                            if (b.pageExits >= reformExits) {
                                insn.block = translator.reform(b, (int) from & 0xfff);
                            }
                        }
                        continue;
                    }
                }
                chained = null;
                long next = pc + insn.len;
                // Plain cases `break` to the fall-through tail; fused compare-and-branch
                // cases set `taken` and `break fused` to the Jcc half after the block.
                boolean taken;
                fused: {
                switch (insn.op) {
                    case Op.F_MOV_RR64: r[insn.reg] = r[insn.rm]; break;
                    case Op.F_MOV_RR32: r[insn.reg] = r[insn.rm] & 0xffffffffL; break;
                    case Op.F_MOV_RI64: case Op.F_MOV_RI32: r[insn.reg] = insn.imm; break;
                    case Op.F_ADD_RR64: FastOps.add64(this, insn.reg, insn.rm); break;
                    case Op.F_ADD_RI64: FastOps.addImm64(this, insn.reg, insn.imm); break;
                    case Op.F_ADD_RI32: FastOps.addImm32(this, insn.reg, insn.imm); break;
                    case Op.F_SUB_RR64: FastOps.sub64(this, insn.reg, insn.rm); break;
                    case Op.F_SUB_RI64: FastOps.subImm64(this, insn.reg, insn.imm); break;
                    case Op.F_CMP_RR64: FastOps.cmp64(this, insn.reg, insn.rm); break;
                    case Op.F_CMP_RR32: FastOps.cmp32(this, insn.reg, insn.rm); break;
                    case Op.F_CMP_RI64: FastOps.cmpImm64(this, insn.reg, insn.imm); break;
                    case Op.F_CMP_RI32: FastOps.cmpImm32(this, insn.reg, insn.imm); break;
                    case Op.F_XOR_RR64: FastOps.xor64(this, insn.reg, insn.rm); break;
                    case Op.F_XOR_RR32: FastOps.xor32(this, insn.reg, insn.rm); break;
                    case Op.F_TEST_RR64: FastOps.test64(this, insn.reg, insn.rm); break;
                    case Op.F_TEST_RR32: FastOps.test32(this, insn.reg, insn.rm); break;
                    case Op.F_LOAD64: FastOps.load64(this, insn.reg, FastOps.ea(this, insn)); break;
                    case Op.F_STORE64: FastOps.store64(this, insn.reg, FastOps.ea(this, insn)); break;
                    case Op.F_LOAD32: FastOps.load32(this, insn.reg, FastOps.ea(this, insn)); break;
                    case Op.F_STORE32: FastOps.store32(this, insn.reg, FastOps.ea(this, insn)); break;
                    case Op.F_MOVZX8_M: FastOps.movzx8(this, insn.reg, FastOps.ea(this, insn)); break;
                    case Op.F_MOVZX16_M: FastOps.movzx16(this, insn.reg, FastOps.ea(this, insn)); break;
                    case Op.F_MOVSX8_M: FastOps.movsx8(this, insn.reg, FastOps.ea(this, insn), insn.imm); break;
                    case Op.F_MOVSX16_M: FastOps.movsx16(this, insn.reg, FastOps.ea(this, insn), insn.imm); break;
                    case Op.F_MOVSXD_M: FastOps.movsxd(this, insn.reg, FastOps.ea(this, insn)); break;
                    case Op.F_LEA: FastOps.lea(this, insn.reg, FastOps.ea(this, insn), insn.imm); break;
                    case Op.NOP: break;
                    case Op.F_CMP_MR: FastOps.cmpMem(this, insn.reg, FastOps.ea(this, insn), insn.osz, insn.imm); break;
                    case Op.F_PUSH64: FastOps.push64(this, insn.reg); break;
                    case Op.F_POP64: FastOps.pop64(this, insn.reg); break;
                    case Op.F_SHL_RI: FastOps.shift(this, insn.reg, (int) insn.imm, insn.osz, LazyFlags.SHL); break;
                    case Op.F_SHR_RI: FastOps.shift(this, insn.reg, (int) insn.imm, insn.osz, LazyFlags.SHR); break;
                    case Op.F_IMUL_RR64: FastOps.imulReg64(this, insn.reg, insn.rm); break;
                    case Op.F_ADD_RR32: FastOps.add32(this, insn.reg, insn.rm); break;
                    case Op.F_SUB_RR32: FastOps.sub32(this, insn.reg, insn.rm); break;
                    case Op.F_SUB_RI32: FastOps.subImm32(this, insn.reg, insn.imm); break;
                    case Op.F_AND_RR64: FastOps.and64(this, insn.reg, insn.rm); break;
                    case Op.F_AND_RR32: FastOps.and32(this, insn.reg, insn.rm); break;
                    case Op.F_OR_RR64: FastOps.or64(this, insn.reg, insn.rm); break;
                    case Op.F_OR_RR32: FastOps.or32(this, insn.reg, insn.rm); break;
                    case Op.F_AND_RI64: FastOps.andImm(this, insn.reg, insn.imm, 8); break;
                    case Op.F_AND_RI32: FastOps.andImm(this, insn.reg, insn.imm, 4); break;
                    case Op.F_SAR_RI: FastOps.shift(this, insn.reg, (int) insn.imm, insn.osz, LazyFlags.SAR); break;
                    case Op.F_IMUL_RRI64: FastOps.imul64(this, insn.reg, insn.rm, insn.imm); break;
                    case Op.F_IMUL_RR32: FastOps.imulReg32(this, insn.reg, insn.rm); break;
                    case Op.F_IMUL_RRI32: FastOps.imul32(this, insn.reg, insn.rm, insn.imm); break;
                    // Generic handlers that touch nothing but registers, flags, memory and
                    // RIP: they need RIP written back, but not the rest of the slow path.
                    case Op.ALU_RM_R: rip = next; IntOps.aluRmR(this, insn); break;
                    case Op.ALU_R_RM: rip = next; IntOps.aluRRm(this, insn); break;
                    case Op.ALU_RM_I: rip = next; IntOps.aluRmI(this, insn); break;
                    case Op.ALU_RR_ANY: IntOps.aluRR(this, insn); break;
                    case Op.ALU_RI_ANY: IntOps.aluRI(this, insn); break;
                    case Op.TEST_RM_R: rip = next; IntOps.testRmR(this, insn); break;
                    case Op.TEST_RM_I: rip = next; IntOps.testRmI(this, insn); break;
                    case Op.MOV_RM_R: rip = next; IntOps.movRmR(this, insn); break;
                    case Op.MOV_R_RM: rip = next; IntOps.movRRm(this, insn); break;
                    case Op.MOV_RM_I: rip = next; writeRm(insn, insn.osz, insn.imm); break;
                    case Op.LEA: rip = next; IntOps.lea(this, insn); break;
                    case Op.MOVZX: rip = next; IntOps.movzx(this, insn); break;
                    case Op.MOVSX: rip = next; IntOps.movsx(this, insn); break;
                    case Op.MOVSXD: rip = next; IntOps.movsxd(this, insn); break;
                    case Op.INC: rip = next; IntOps.incDec(this, insn, true); break;
                    case Op.DEC: rip = next; IntOps.incDec(this, insn, false); break;
                    case Op.CMOVCC: rip = next; IntOps.cmov(this, insn); break;
                    case Op.SETCC: rip = next; writeRm(insn, 1, f.cond(insn.sub) ? 1 : 0); break;
                    case Op.PUSH_R: push(getReg(insn.reg, insn.osz), insn.osz); break;
                    case Op.POP_R: IntOps.popR(this, insn); break;
                    // Branches leave the loop body here: their successor is not chained.
                    case Op.CALL: push(next, 8); pc = next + insn.imm; continue;
                    case Op.RET: pc = pop(8); continue;
                    case Op.JCC:
                        if (f.jcc(insn.sub)) {
                            next += insn.imm;
                        }
                        pc = next;
                        continue;
                    case Op.JMP: pc = next + insn.imm; continue;
                    default:
                        // Generic handlers see the architectural RIP (already past the
                        // instruction), insnStart and the count, and may change all three.
                        insnStart = pc;
                        rip = next;
                        perf.instructions = n;
                        try {
                            Exec.execute(this, insn);
                        } finally {
                            // Instructions run nested inside the handler (a KCALL's Java code
                            // running the CPU) count even when it ends with an exception.
                            n = perf.instructions;
                        }
                        next = rip;
                        // The handler may have switched CR3, CPL or written this page.
                        page = fetchPage;
                        pageVpn = fetchVpn;
                        pc = next;
                        if (halted || eventPending) {
                            return;
                        }
                        continue;
                    // Compare-and-branch pairs (see Fuse): the first half decides `taken`.
                    case Op.FJ_TEST_RR64: taken = FastOps.test64Jcc(this, insn.reg, insn.rm, insn.jcc); break fused;
                    case Op.FJ_TEST_RR32: taken = FastOps.test32Jcc(this, insn.reg, insn.rm, insn.jcc); break fused;
                    case Op.FJ_CMP_RR64: taken = FastOps.cmp64Jcc(this, insn.reg, insn.rm, insn.jcc); break fused;
                    case Op.FJ_CMP_RR32: taken = FastOps.cmp32Jcc(this, insn.reg, insn.rm, insn.jcc); break fused;
                    case Op.FJ_CMP_RI64: taken = FastOps.cmpImm64Jcc(this, insn.reg, insn.imm, insn.jcc); break fused;
                    case Op.FJ_CMP_RI32: taken = FastOps.cmpImm32Jcc(this, insn.reg, insn.imm, insn.jcc); break fused;
                    case Op.FJ_SUB_RI64: taken = FastOps.subImm64Jcc(this, insn.reg, insn.imm, insn.jcc); break fused;
                    case Op.FJ_SUB_RI32: taken = FastOps.subImm32Jcc(this, insn.reg, insn.imm, insn.jcc); break fused;
                    case Op.FJ_CMP_MR:
                        taken = FastOps.cmpMemJcc(this, insn.reg, FastOps.ea(this, insn), insn.osz, insn.imm, insn.jcc);
                        break fused;
                    case Op.FJ_ALU_RM_R: rip = next; IntOps.aluRmR(this, insn); taken = f.jcc(insn.jcc); break fused;
                    case Op.FJ_ALU_RM_I: rip = next; IntOps.aluRmI(this, insn); taken = f.jcc(insn.jcc); break fused;
                    case Op.FJ_ALU_R_RM: rip = next; IntOps.aluRRm(this, insn); taken = f.jcc(insn.jcc); break fused;
                    case Op.FJ_TEST_RM_R: rip = next; IntOps.testRmR(this, insn); taken = f.jcc(insn.jcc); break fused;
                    case Op.FJ_TEST_RM_I: rip = next; IntOps.testRmI(this, insn); taken = f.jcc(insn.jcc); break fused;
                }
                // Fell through: the next entry is this one's link, or the page lookup makes it.
                pc = next;
                chained = insn.next;
                if (chained == null && ((int) pc & 0xfff) != 0) {
                    linkFrom = insn;
                    linkPage = page;
                }
                continue;
                }
                // The Jcc half of a fused pair: its own instruction, unless the slice ends first.
                if (n < end) {
                    n++;
                    next += insn.jlen;
                    if (taken) {
                        next += insn.jdisp;
                    }
                }
                pc = next;
            }
        } catch (CpuException e) {
            // The faulting instruction restarts: RIP back at its start, and it counts.
            insnStart = pc;
            throw e;
        } finally {
            rip = pc;
            perf.instructions = n;
        }
    }

    private Insn decodeInto(DecodedPage page, long pc) {
        Insn insn = decoder.decode(pc);
        int off = (int) pc & 0xfff;
        if (off + insn.len <= 4096) {
            Fuse.apply(insn, mem, fetchFrame, off);
            page.insns[off] = insn;
        }
        return insn;
    }

    private Insn fetch(long pc) {
        long vpn = pc >>> 12;
        DecodedPage page = fetchPage;
        if (vpn != fetchVpn || !page.valid) {
            page = fetchPageFor(pc);
        }
        int off = (int) pc & 0xfff;
        Insn insn = page.insns[off];
        if (insn == null) {
            insn = decoder.decode(pc);
            if (off + insn.len <= 4096) {
                page.insns[off] = insn;
            }
        }
        return insn;
    }

    private DecodedPage fetchPageFor(long pc) {
        long pa = mmu.translate(pc, Mmu.EXEC, cpl == 3);
        int ppn = (int) (pa >>> 12);
        if (ppn >= mem.codeCache.length) {
            // Executing outside RAM: nothing is there to decode, and nothing to cache.
            throw CpuException.gp(0);
        }
        DecodedPage page = mem.codeCache[ppn];
        if (page == null) {
            page = new DecodedPage();
            mem.codeCache[ppn] = page;
        }
        fetchPage = page;
        fetchVpn = pc >>> 12;
        fetchFrame = pa & ~0xfffL;
        return page;
    }

    /**
     * Turns block translation on or off (on by default unless the system property
     * {@code microlith.translate} is false). Either way the machine computes the same
     * results and counts; tests run programs both ways and compare.
     */
    public void setTranslation(boolean on) {
        translate = on;
    }

    /** Translates an entry once it has been jumped to this many times (tests use small values). */
    public void setTranslationThreshold(int jumps) {
        hot = jumps;
    }

    /** Forms a block again after this many exits to code it lacks (tests use small values). */
    public void setReformThreshold(int exits) {
        reformExits = exits;
    }

    /** Runs one instruction (for tests); exceptions are delivered as in {@link #run}. */
    public void step() {
        run(1);
    }

    /** Executes one instruction and lets an exception escape instead of delivering it. */
    public void stepRaw() {
        long pc = rip;
        insnStart = pc;
        try {
            Insn insn = fetch(pc);
            rip = pc + insn.len;
            perf.instructions++;
            Exec.execute(this, insn);
        } catch (CpuException e) {
            rip = insnStart;
            if (e.vector == Vectors.PF) {
                cr2 = e.faultAddress;
            }
            throw e;
        }
    }

    public void setCpl(int newCpl) {
        if (newCpl != cpl) {
            cpl = newCpl;
            fetchVpn = -1;
            refreshTlbViews();
        }
    }

    public void javaCall(int id) {
        if (cpl == 0 && gate.inText(insnStart)) {
            perf.javaCalls++;
            gate.invoke(id, cpu);
            return;
        }
        if (cpl == 3) {
            JavaCallGate.Routines server = gate.userRoutines(mmu.translate(insnStart, Mmu.EXEC, true));
            if (server != null) {
                perf.javaCalls++;
                server.call(id, cpu);
                return;
            }
        }
        throw CpuException.ud();
    }

    /**
     * Ends the current slice after the instruction being executed: a Java routine whose
     * work completed a nested run calls this so nothing else runs before the caller of
     * {@link Cpu#runNested} sees it.
     */
    public void requestStop(String reason) {
        stopReason = reason;
        eventPending = true;
    }

    public void requestYield() {
        yieldPending = true;
        eventPending = true;
    }

    /** Set by {@link #requestYield}: {@link #run} returns at the next instruction boundary. */
    private boolean yieldPending;

    public InterruptDelivery delivery() {
        return delivery;
    }
}

package microlith.hw.cpu;

import microlith.hw.PerfCounters;
import microlith.hw.PhysicalMemory;
import microlith.hw.io.IoBus;
import microlith.hw.mmu.PageTableEntry;

/**
 * A CPU on 16 MiB of RAM with identity-mapped 4-level page tables, for unit tests.
 *
 * <pre>
 * physical = linear   contents
 * 0x000000            page 0: not present (null pointers fault)
 * 0x001000            PML4, 0x2000 PDPT, 0x3000 PD, 0x4000 PT (4 KiB pages of 0-2 MiB)
 * 0x010000            CODE: where tests put instruction bytes
 * 0x020000            DATA
 * 0x030000            USER_STACK (top; grows down)
 * 0x040000            GDT: 0x10 kernel code, 0x18 kernel data, 0x20 user code32,
 *                     0x28 user data, 0x30 user code64, 0x38 TSS (16 bytes)
 * 0x041000            IDT (256 gates)
 * 0x042000            TSS, with an I/O bitmap at TSS+0x68 (8 KiB + a 0xff byte)
 * 0x050000            KERNEL_STACK (top), 0x058000 IST1 stack (top)
 * 0x060000            HANDLERS: handler for vector v at HANDLERS + 16 v (a HLT each)
 * 0x200000-0xffffff   2 MiB pages
 * </pre>
 * All mappings start present, writable and user-accessible; tests narrow them.
 */
public final class CpuFixture {
    public static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, PT = 0x4000;
    public static final long CODE = 0x10000, DATA = 0x20000, USER_STACK = 0x30000;
    public static final long GDT = 0x40000, IDT = 0x41000, TSS = 0x42000;
    public static final long KERNEL_STACK = 0x50000, IST1_STACK = 0x58000, HANDLERS = 0x60000;
    public static final int KCODE = 0x10, KDATA = 0x18, UDATA = 0x2b, UCODE = 0x33, TSS_SEL = 0x38;
    public static final long USER_PAGE = PageTableEntry.P | PageTableEntry.RW | PageTableEntry.US;

    public final PerfCounters perf = new PerfCounters();
    public final IoBus io = new IoBus();
    public final PhysicalMemory mem = new PhysicalMemory(16L << 20);
    public final Cpu cpu = new Cpu(mem, io, perf);
    /** The engine behind cpu, for tests that set or inspect internal state. */
    public final Core core = cpu.core();

    public CpuFixture() {
        mem.write64(PML4, PDPT | USER_PAGE);
        mem.write64(PDPT, PD | USER_PAGE);
        mem.write64(PD, PT | USER_PAGE);
        for (int i = 1; i < 8; i++) {
            mem.write64(PD + 8L * i, ((long) i << 21) | PageTableEntry.PS | USER_PAGE);
        }
        for (int i = 1; i < 512; i++) {
            mem.write64(PT + 8L * i, ((long) i << 12) | USER_PAGE);
        }
        cpu.resetToLongMode(PML4, CODE, 0, GDT, 0x47);
        core.r[Cpu.RSP] = KERNEL_STACK;
    }

    /** Address of the 4 KiB PTE that maps linear address va (va below 2 MiB). */
    public static long pteAddress(long va) {
        return PT + 8 * ((va >>> 12) & 0x1ff);
    }

    public long pte(long va) {
        return mem.read64(pteAddress(va));
    }

    public void setPte(long va, long value) {
        mem.write64(pteAddress(va), value);
    }

    /** Places instruction bytes (hex, spaces allowed) at addr and points RIP at them. */
    public int code(long addr, String hex) {
        byte[] b = bytes(hex);
        mem.writeBytes(addr, b, 0, b.length);
        core.rip = addr;
        return b.length;
    }

    public int code(String hex) {
        return code(CODE, hex);
    }

    public static byte[] bytes(String hex) {
        String h = hex.replace(" ", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Drops to CPL 3 with user selectors and the user stack, as after SYSRET/IRETQ. */
    public void toUser() {
        core.setCpl(3);
        core.cs = UCODE;
        core.ss = UDATA;
        core.r[Cpu.RSP] = USER_STACK;
    }

    public void toKernel() {
        core.setCpl(0);
        core.cs = KCODE;
        core.ss = KDATA;
    }

    /** Runs one instruction with stepRaw and returns the exception it raised, or null. */
    public CpuException stepCatching() {
        try {
            cpu.stepRaw();
            return null;
        } catch (CpuException e) {
            return e;
        }
    }

    // ---------------------------------------------------------------- descriptor tables

    /**
     * Writes the GDT, a TSS (RSP0 = KERNEL_STACK, IST1 = IST1_STACK, I/O bitmap all
     * denied) and an IDT whose every gate is a DPL-0 interrupt gate to HANDLERS + 16 v;
     * loads them with LGDT/LIDT/LTR at CPL 0.
     */
    public void installDescriptorTables() {
        mem.write64(GDT, 0);
        mem.write64(GDT + 0x08, 0);
        mem.write64(GDT + 0x10, 0x00AF9A000000FFFFL);
        mem.write64(GDT + 0x18, 0x00CF92000000FFFFL);
        mem.write64(GDT + 0x20, 0x00CFFA000000FFFFL);
        mem.write64(GDT + 0x28, 0x00CFF2000000FFFFL);
        mem.write64(GDT + 0x30, 0x00AFFA000000FFFFL);
        long limit = 0x68 + 8192;
        long lo = (limit & 0xffff) | (TSS & 0xffffff) << 16 | 9L << 40 | 1L << 47
            | ((limit >>> 16) & 0xf) << 48 | ((TSS >>> 24) & 0xff) << 56;
        mem.write64(GDT + 0x38, lo);
        mem.write64(GDT + 0x40, TSS >>> 32);
        mem.fill(TSS, 0x68, (byte) 0);
        mem.write64(TSS + 4, KERNEL_STACK);
        mem.write64(TSS + 0x24, IST1_STACK);
        mem.write16(TSS + 0x66, 0x68);
        mem.fill(TSS + 0x68, 8193, (byte) 0xff);
        for (int v = 0; v < 256; v++) {
            setGate(v, HANDLERS + 16L * v, 0xE, 0, 0);
            mem.write8(HANDLERS + 16L * v, 0xF4);
        }
        toKernel();
        cpu.lgdt(GDT, 0x47);
        cpu.lidt(IDT, 256 * 16 - 1);
        cpu.ltr(TSS_SEL);
    }

    public void setGate(int vector, long target, int type, int dpl, int ist) {
        long lo = (target & 0xffff) | (long) KCODE << 16 | (long) ist << 32 | (long) type << 40
            | (long) dpl << 45 | 1L << 47 | ((target >>> 16) & 0xffff) << 48;
        mem.write64(IDT + 16L * vector, lo);
        mem.write64(IDT + 16L * vector + 8, target >>> 32);
    }

    /** Allows (clear bit) a port in the TSS I/O bitmap. */
    public void allowPort(int port) {
        long a = TSS + 0x68 + (port >>> 3);
        mem.write8(a, mem.read8(a) & ~(1 << (port & 7)));
    }

    /**
     * Readies the fixture, once, for the translated vector tests: descriptor tables (faults
     * are delivered to the handlers) and translation from an entry's first arrival.
     */
    public void translateFromFirstArrival() {
        if (core.idtBase != IDT) {
            installDescriptorTables();
            core.setTranslation(true);
            core.setTranslationThreshold(1);
        }
    }

    public static long handler(int vector) {
        return HANDLERS + 16L * vector;
    }
}

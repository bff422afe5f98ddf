package microlith.kernel.arch;

import microlith.hw.cpu.Cpu;

/**
 * The GDT and the 64-bit TSS, laid out as Linux x86-64 does so that STAR works with the
 * SYSCALL/SYSRET selector arithmetic.
 *
 * <pre>
 * selector  descriptor
 * 0x00      null
 * 0x10      __KERNEL_CS  64-bit code, DPL 0
 * 0x18      __KERNEL_DS  data, DPL 0
 * 0x23      __USER32_CS  32-bit code, DPL 3 (SYSRET base: +8 = user SS, +16 = user CS)
 * 0x2b      __USER_DS    data, DPL 3
 * 0x33      __USER_CS    64-bit code, DPL 3
 * 0x40      TSS          16-byte system descriptor
 *
 * 64-bit TSS: +0x04 RSP0  +0x0C RSP1  +0x14 RSP2  +0x24 IST1..IST7  +0x66 I/O map base
 * </pre>
 * The I/O permission bitmap follows the TSS with every bit set (no port for ring 3)
 * plus the required all-ones byte; the microkernel model clears bits for granted ports.
 */
public final class Segments {
    public static final int KERNEL_CS = 0x10;
    public static final int KERNEL_DS = 0x18;
    public static final int USER32_CS = 0x23;
    public static final int USER_DS = 0x2b;
    public static final int USER_CS = 0x33;
    public static final int TSS_SEL = 0x40;

    public static final int TSS_SIZE = 0x68;
    public static final int IOMAP_BYTES = 8192;
    /** Bytes of TSS + I/O bitmap + terminating byte. */
    public static final int TSS_AREA = TSS_SIZE + IOMAP_BYTES + 1;
    public static final int GDT_BYTES = 0x50;

    private Segments() {
    }

    /** Writes the GDT at gdt and the TSS at tss (virtual addresses), then loads GDTR and TR. */
    public static void install(Cpu cpu, long gdt, long tss, long rsp0, long ist1) {
        cpu.write64(gdt, 0);
        cpu.write64(gdt + 0x08, 0);
        cpu.write64(gdt + 0x10, 0x00AF9A000000FFFFL);
        cpu.write64(gdt + 0x18, 0x00CF92000000FFFFL);
        cpu.write64(gdt + 0x20, 0x00CFFA000000FFFFL);
        cpu.write64(gdt + 0x28, 0x00CFF2000000FFFFL);
        cpu.write64(gdt + 0x30, 0x00AFFA000000FFFFL);
        cpu.write64(gdt + 0x38, 0);
        long limit = TSS_AREA - 1;
        long lo = (limit & 0xffff) | (tss & 0xffffff) << 16 | 0x89L << 40 | ((limit >>> 16) & 0xf) << 48
            | ((tss >>> 24) & 0xff) << 56;
        long hi = tss >>> 32;
        cpu.write64(gdt + TSS_SEL, lo);
        cpu.write64(gdt + TSS_SEL + 8, hi);

        for (int i = 0; i < TSS_SIZE; i += 8) {
            cpu.write64(tss + i, 0);
        }
        cpu.write64(tss + 0x04, rsp0);
        cpu.write64(tss + 0x24, ist1);
        cpu.write16(tss + 0x66, TSS_SIZE);
        for (int i = 0; i < IOMAP_BYTES + 1; i++) {
            cpu.write8(tss + TSS_SIZE + i, 0xff);
        }
        cpu.lgdt(gdt, GDT_BYTES - 1);
        cpu.ltr(TSS_SEL);
    }

    public static void setRsp0(Cpu cpu, long tss, long rsp0) {
        cpu.write64(tss + 0x04, rsp0);
    }
}

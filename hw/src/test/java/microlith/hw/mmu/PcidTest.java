package microlith.hw.mmu;

import static microlith.hw.mmu.PageTableEntry.A;
import static microlith.hw.mmu.PageTableEntry.D;
import static microlith.hw.mmu.PageTableEntry.G;
import static microlith.hw.mmu.PageTableEntry.P;
import static microlith.hw.mmu.PageTableEntry.RW;
import static microlith.hw.mmu.PageTableEntry.US;
import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.Vectors;
import org.junit.jupiter.api.Test;

/**
 * Tagged TLBs as the SDM (Vol. 3A, 4.10) defines them: what a MOV to CR3 keeps with and
 * without CR4.PCIDE and bit 63, global pages under CR4.PGE, INVLPG and the four INVPCID
 * types, and the #GP and #UD cases of MOV to CR3/CR4 and INVPCID. A stale translation is
 * observed the way software would: the page table entry is changed behind the TLB's back
 * and a read returns the old page's data until the entry is invalidated.
 */
class PcidTest {
    private static final long DATA = CpuFixture.DATA;
    private static final long OLD = 111;
    private static final long NEW = 222;
    private static final long DESC = CpuFixture.DATA + 0x3000;
    private final CpuFixture fx = new CpuFixture();
    private final Cpu cpu = fx.cpu;

    PcidTest() {
        fx.mem.write64(DATA, OLD);
        fx.mem.write64(DATA + 0x1000, NEW);
    }

    /** Caches DATA -> DATA (value OLD), then points the PTE at the next page behind the TLB's back. */
    private void cacheThenRemap(long extraFlags) {
        fx.setPte(DATA, DATA | P | RW | US | A | D | extraFlags);
        cpu.invlpg(DATA);
        assertThat(cpu.read64(DATA)).isEqualTo(OLD);
        fx.setPte(DATA, (DATA + 0x1000) | P | RW | US | A | D | extraFlags);
    }

    private boolean stale() {
        return cpu.read64(DATA) == OLD;
    }

    private void pcide() {
        cpu.writeCr(4, cpu.readCr(4) | Cpu.CR4_PCIDE);
    }

    private void pge() {
        cpu.writeCr(4, cpu.readCr(4) | Cpu.CR4_PGE);
    }

    private long cr3(int pcid, boolean noFlush) {
        return CpuFixture.PML4 | pcid | (noFlush ? 1L << 63 : 0);
    }

    private static CpuException gp(Runnable r) {
        try {
            r.run();
        } catch (CpuException e) {
            return e;
        }
        throw new AssertionError("expected #GP");
    }

    private void invpcid(long type, long pcid, long linear) {
        fx.mem.write64(DESC, pcid);
        fx.mem.write64(DESC + 8, linear);
        cpu.invpcid(type, DESC);
    }

    @Test
    void withoutPcideACr3WriteFlushesAllButGlobalPages() {
        cacheThenRemap(0);
        cpu.writeCr(3, cpu.cr3());
        assertThat(stale()).isFalse();

        pge();
        fx.setPte(DATA, DATA | P | RW | US | A | D | G);
        cacheThenRemap(G);
        cpu.writeCr(3, cpu.cr3());
        assertThat(stale()).as("a global page survives MOV to CR3").isTrue();
        cpu.invlpg(DATA);
        assertThat(stale()).as("INVLPG drops it").isFalse();
    }

    @Test
    void withoutPgeTheGlobalBitIsIgnored() {
        cacheThenRemap(G);
        cpu.writeCr(3, cpu.cr3());
        assertThat(stale()).isFalse();
    }

    @Test
    void togglingPgeFlushesGlobalPagesToo() {
        pge();
        cacheThenRemap(G);
        cpu.writeCr(4, cpu.readCr(4) & ~Cpu.CR4_PGE);
        assertThat(stale()).isFalse();
    }

    @Test
    void bit63KeepsThePcidsEntriesAndIsNotStored() {
        pcide();
        cpu.writeCr(3, cr3(5, false));
        cacheThenRemap(0);
        cpu.writeCr(3, cr3(5, true));
        assertThat(cpu.cr3()).isEqualTo(cr3(5, false));
        assertThat(stale()).as("no flush with bit 63 set").isTrue();
        cpu.writeCr(3, cr3(5, false));
        assertThat(stale()).as("bit 63 clear flushes the PCID").isFalse();
    }

    @Test
    void entriesOfOtherPcidsSurviveASwitchAndAreUsedOnlyUnderTheirPcid() {
        pcide();
        cpu.writeCr(3, cr3(1, false));
        cacheThenRemap(0);
        // PCID 2 does not see PCID 1's translation: it walks and finds the new page.
        cpu.writeCr(3, cr3(2, false));
        assertThat(cpu.read64(DATA)).isEqualTo(NEW);
        // Back to PCID 1 without a flush: its (stale) entry is still there.
        cpu.writeCr(3, cr3(1, true));
        assertThat(stale()).isTrue();
        // A flushing load of PCID 2 leaves PCID 1 alone.
        cpu.writeCr(3, cr3(2, false));
        cpu.writeCr(3, cr3(1, true));
        assertThat(stale()).isTrue();
    }

    @Test
    void invpcidTypes() {
        pcide();
        cpu.writeCr(3, cr3(3, false));
        // Type 0: one address of one PCID.
        cacheThenRemap(0);
        invpcid(0, 4, DATA);
        assertThat(stale()).as("another PCID's address").isTrue();
        invpcid(0, 3, DATA);
        assertThat(stale()).isFalse();
        // Type 1: a whole PCID, but not global pages.
        pge();
        cpu.writeCr(3, cr3(3, false));
        cacheThenRemap(0);
        invpcid(1, 3, 0);
        assertThat(stale()).isFalse();
        cacheThenRemap(G);
        invpcid(1, 3, 0);
        assertThat(stale()).as("type 1 spares global pages").isTrue();
        // Type 3: every PCID, not global pages; type 2: everything.
        invpcid(3, 0, 0);
        assertThat(stale()).as("type 3 spares global pages").isTrue();
        invpcid(2, 0, 0);
        assertThat(stale()).isFalse();
        cacheThenRemap(0);
        invpcid(3, 0, 0);
        assertThat(stale()).isFalse();
    }

    @Test
    void generalProtectionCases() {
        // Bit 63 is reserved while PCIDE is clear.
        assertThat(gp(() -> cpu.writeCr(3, CpuFixture.PML4 | 1L << 63)).vector).isEqualTo(Vectors.GP);
        // PCIDE may not be set while CR3[11:0] is not 000H.
        cpu.writeCr(3, CpuFixture.PML4 | 0x008);
        assertThat(gp(() -> cpu.writeCr(4, cpu.readCr(4) | Cpu.CR4_PCIDE)).vector).isEqualTo(Vectors.GP);
        cpu.writeCr(3, CpuFixture.PML4);
        // INVPCID: type above 3, reserved descriptor bits, non-canonical type-0 address,
        // a PCID other than 0 for types 0 and 1 while PCIDE is clear.
        assertThat(gp(() -> invpcid(4, 0, 0)).vector).isEqualTo(Vectors.GP);
        assertThat(gp(() -> invpcid(1, 1L << 12, 0)).vector).isEqualTo(Vectors.GP);
        assertThat(gp(() -> invpcid(0, 0, 0x0000_8000_0000_0000L)).vector).isEqualTo(Vectors.GP);
        assertThat(gp(() -> invpcid(0, 1, DATA)).vector).isEqualTo(Vectors.GP);
        assertThat(gp(() -> invpcid(1, 1, 0)).vector).isEqualTo(Vectors.GP);
        invpcid(2, 0, 0);
        invpcid(1, 0, 0);
        pcide();
        invpcid(1, 7, 0);
    }

    @Test
    void invpcidAsAnInstruction() {
        // invpcid rax, [rbx]  (66 0F 38 82 03) at CPL 0 flushes; at CPL 3 it is #GP(0).
        pcide();
        cacheThenRemap(0);
        fx.mem.write64(DESC, 0);
        fx.mem.write64(DESC + 8, DATA);
        cpu.setReg(Cpu.RAX, 0);
        cpu.setReg(Cpu.RBX, DESC);
        fx.code("66 0F 38 82 03");
        assertThat(fx.stepCatching()).isNull();
        assertThat(stale()).isFalse();
        fx.setPte(DESC, DESC | P | RW | US | A | D);
        fx.toUser();
        fx.code("66 0F 38 82 03");
        CpuException e = fx.stepCatching();
        assertThat(e.vector).isEqualTo(Vectors.GP);
        fx.toKernel();
        // The register form and the form without the 66 prefix are undefined.
        fx.code("66 0F 38 82 C3");
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.UD);
        fx.code("0F 38 82 03");
        assertThat(fx.stepCatching().vector).isEqualTo(Vectors.UD);
    }

    @Test
    void cpuidReportsPgePcidAndInvpcid() {
        fx.code("0F A2");
        cpu.setReg(Cpu.RAX, 0);
        fx.stepCatching();
        assertThat(cpu.reg(Cpu.RAX)).isGreaterThanOrEqualTo(7);
        fx.code("0F A2");
        cpu.setReg(Cpu.RAX, 1);
        fx.stepCatching();
        assertThat(cpu.reg(Cpu.RCX) >>> 17 & 1).as("CPUID.1:ECX.PCID").isEqualTo(1);
        assertThat(cpu.reg(Cpu.RDX) >>> 13 & 1).as("CPUID.1:EDX.PGE").isEqualTo(1);
        fx.code("0F A2");
        cpu.setReg(Cpu.RAX, 7);
        cpu.setReg(Cpu.RCX, 0);
        fx.stepCatching();
        assertThat(cpu.reg(Cpu.RBX) >>> 10 & 1).as("CPUID.(7,0):EBX.INVPCID").isEqualTo(1);
    }

    /**
     * SMAP's RFLAGS.AC translations are tagged like every other: kept across a no-flush
     * switch back to their PCID, never used under another, and still refused once AC is
     * clear.
     */
    @Test
    void smapAcTranslationsBelongToTheirPcid() {
        pcide();
        cpu.writeCr(3, cr3(1, false));
        cpu.writeCr(4, cpu.readCr(4) | Cpu.CR4_SMAP);
        cpu.setRflags(cpu.rflags() | Flags.AC);
        cacheThenRemap(0);
        cpu.writeCr(3, cr3(2, false));
        assertThat(stale()).as("PCID 2 walks").isFalse();
        cpu.writeCr(3, cr3(1, true));
        assertThat(stale()).as("PCID 1 kept its AC translation").isTrue();
        cpu.setRflags(cpu.rflags() & ~Flags.AC);
        CpuException e = gp(() -> cpu.read64(DATA));
        assertThat(e.vector).isEqualTo(Vectors.PF);
    }
}

package microlith.hw.mmu;

import static microlith.hw.mmu.PageTableEntry.A;
import static microlith.hw.mmu.PageTableEntry.D;
import static microlith.hw.mmu.PageTableEntry.NX;
import static microlith.hw.mmu.PageTableEntry.P;
import static microlith.hw.mmu.PageTableEntry.PS;
import static microlith.hw.mmu.PageTableEntry.RW;
import static microlith.hw.mmu.PageTableEntry.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Msr;
import microlith.hw.cpu.Vectors;
import org.junit.jupiter.api.Test;

/** Page-walk permissions, A/D bits, large pages, CR3 switches and the TLB, through the CPU. */
class MmuTest {
    private static final long DATA = CpuFixture.DATA;
    private final CpuFixture fx = new CpuFixture();
    private final Cpu cpu = fx.cpu;

    private CpuException fault(Runnable r) {
        CpuException e = catchThrowableOfType(CpuException.class, r::run);
        assertThat(e).as("expected a CPU exception").isNotNull();
        return e;
    }

    private void assertPf(CpuException e, long address, long errorCode) {
        assertThat(e.vector).isEqualTo(Vectors.PF);
        assertThat(e.faultAddress).isEqualTo(address);
        assertThat(e.errorCode).as("#PF error code").isEqualTo(errorCode);
    }

    private void setWp(boolean on) {
        long cr0 = cpu.readCr(0);
        cpu.writeCr(0, on ? cr0 | Cpu.CR0_WP : cr0 & ~Cpu.CR0_WP);
    }

    @Test
    void notPresentFaultsWithPClear() {
        fx.setPte(DATA, 0);
        assertPf(fault(() -> cpu.read64(DATA + 8)), DATA + 8, 0);
        assertPf(fault(() -> cpu.write32(DATA, 1)), DATA, Vectors.PF_W);
        fx.toUser();
        assertPf(fault(() -> cpu.read8(DATA + 0xfff)), DATA + 0xfff, Vectors.PF_U);
        assertPf(fault(() -> cpu.write8(DATA, 1)), DATA, Vectors.PF_U | Vectors.PF_W);
    }

    @Test
    void notPresentAtAHigherLevelFaultsToo() {
        fx.mem.write64(CpuFixture.PD + 8, 0); // the 2 MiB page at 0x200000
        assertPf(fault(() -> cpu.read64(0x200000)), 0x200000, 0);
    }

    @Test
    void userWriteToReadOnlyPageFaults() {
        fx.setPte(DATA, DATA | P | US);
        fx.toUser();
        assertThat(cpu.read64(DATA)).isZero();
        assertPf(fault(() -> cpu.write64(DATA, 5)), DATA, Vectors.PF_P | Vectors.PF_W | Vectors.PF_U);
        assertThat(fx.mem.read64(DATA)).isZero();
    }

    @Test
    void readOnlyAtDirectoryLevelRestrictsTheWholeRange() {
        fx.mem.write64(CpuFixture.PD, CpuFixture.PT | P | US); // PDE without R/W over the 4 KiB pages
        fx.toUser();
        assertPf(fault(() -> cpu.write8(DATA, 5)), DATA, Vectors.PF_P | Vectors.PF_W | Vectors.PF_U);
    }

    @Test
    void supervisorWriteToReadOnlyPageDependsOnCr0Wp() {
        fx.setPte(DATA, DATA | P | US);
        setWp(true);
        assertPf(fault(() -> cpu.write64(DATA, 5)), DATA, Vectors.PF_P | Vectors.PF_W);
        setWp(false);
        cpu.write64(DATA, 5);
        assertThat(fx.mem.read64(DATA)).isEqualTo(5);
        // And back: the TLB entry filled while WP was clear must not let the write through.
        setWp(true);
        assertPf(fault(() -> cpu.write64(DATA, 6)), DATA, Vectors.PF_P | Vectors.PF_W);
    }

    @Test
    void userAccessToSupervisorPageFaults() {
        fx.setPte(DATA, DATA | P | RW);
        assertThat(cpu.read64(DATA)).isZero(); // supervisor: fine (and fills the TLB)
        fx.toUser();
        assertPf(fault(() -> cpu.read64(DATA)), DATA, Vectors.PF_P | Vectors.PF_U);
        assertPf(fault(() -> cpu.write64(DATA, 1)), DATA, Vectors.PF_P | Vectors.PF_W | Vectors.PF_U);
    }

    @Test
    void supervisorBitAtPml4LevelMakesEverythingSupervisor() {
        fx.mem.write64(CpuFixture.PML4, CpuFixture.PDPT | P | RW);
        fx.toUser();
        assertPf(fault(() -> cpu.read64(DATA)), DATA, Vectors.PF_P | Vectors.PF_U);
    }

    @Test
    void noExecuteWithNxeFaultsOnFetchOnly() {
        cpu.wrmsr(Msr.EFER, cpu.rdmsr(Msr.EFER) | Msr.EFER_NXE);
        long page = CpuFixture.CODE + 0x1000;
        fx.setPte(page, page | P | RW | US | NX);
        fx.code(page, "90");
        fx.toUser();
        assertThat(cpu.read8(page)).isEqualTo(0x90); // reads are fine
        CpuException e = fx.stepCatching();
        assertPf(e, page, Vectors.PF_P | Vectors.PF_U | Vectors.PF_I);
        assertThat(cpu.cr2()).isEqualTo(page);
        assertThat(cpu.rip()).isEqualTo(page);
    }

    @Test
    void noExecuteBitWithoutNxeIsAReservedBitFault() {
        fx.setPte(DATA, DATA | P | RW | US | NX);
        CpuException e = fault(() -> cpu.read64(DATA));
        assertPf(e, DATA, Vectors.PF_P | Vectors.PF_RSVD);
        fx.toUser();
        e = fault(() -> cpu.write64(DATA, 1));
        assertPf(e, DATA, Vectors.PF_P | Vectors.PF_RSVD | Vectors.PF_U | Vectors.PF_W);
    }

    @Test
    void pageSizeBitInPml4EntryIsReserved() {
        fx.mem.write64(CpuFixture.PML4, CpuFixture.PDPT | P | RW | US | PS);
        assertPf(fault(() -> cpu.read64(DATA)), DATA, Vectors.PF_P | Vectors.PF_RSVD);
    }

    @Test
    void walkSetsAccessedAndWriteSetsDirty() {
        long pdpte = CpuFixture.PDPT;
        fx.mem.write64(CpuFixture.PML4, CpuFixture.PDPT | P | RW | US);
        fx.mem.write64(pdpte, CpuFixture.PD | P | RW | US);
        fx.setPte(DATA, DATA | P | RW | US);
        cpu.writeCr(3, cpu.cr3());
        cpu.read64(DATA);
        assertThat(fx.pte(DATA) & (A | D)).isEqualTo(A);
        assertThat(fx.mem.read64(CpuFixture.PML4) & A).isEqualTo(A);
        assertThat(fx.mem.read64(pdpte) & A).isEqualTo(A);
        // The read filled the TLB; the first write must still walk and set D.
        cpu.write64(DATA, 1);
        assertThat(fx.pte(DATA) & (A | D)).isEqualTo(A | D);
        // Directory entries get A but never D.
        assertThat(fx.mem.read64(CpuFixture.PD) & D).isZero();
    }

    @Test
    void dirtyBitOfA2MiBPageIsSetInThePde() {
        long pde = CpuFixture.PD + 8 * 3;
        fx.mem.write64(pde, (3L << 21) | PS | P | RW | US);
        cpu.write8(0x600123, 0x42);
        assertThat(fx.mem.read64(pde) & (A | D)).isEqualTo(A | D);
        assertThat(fx.mem.read8(0x600123)).isEqualTo(0x42);
    }

    @Test
    void twoMegabytePagesTranslateTheLow21Bits() {
        fx.mem.write64(CpuFixture.PD + 8, (2L << 21) | PS | P | RW | US); // 0x200000 -> 0x400000
        fx.mem.write64(0x4abcd8, 0x1122334455667788L);
        cpu.writeCr(3, cpu.cr3());
        assertThat(cpu.read64(0x2abcd8)).isEqualTo(0x1122334455667788L);
        fx.toUser();
        assertThat(cpu.read64(0x2abcd8)).isEqualTo(0x1122334455667788L);
    }

    @Test
    void oneGigabytePagesTranslateTheLow30Bits() {
        fx.mem.write64(CpuFixture.PDPT + 8, PS | P | RW | US); // 1 GiB at 0x40000000 -> 0
        fx.mem.write64(DATA + 0x10, 0xfeedL);
        assertThat(cpu.read64(0x40000000L + DATA + 0x10)).isEqualTo(0xfeedL);
        cpu.write64(0x40000000L + DATA + 0x18, 0xbeefL);
        assertThat(fx.mem.read64(DATA + 0x18)).isEqualTo(0xbeefL);
        assertThat(fx.mem.read64(CpuFixture.PDPT + 8) & (A | D)).isEqualTo(A | D);
    }

    @Test
    void cr3SwitchSelectsTheOtherAddressSpace() {
        long pml4b = 0x5000, pdptb = 0x6000, pdb = 0x7000, ptb = 0x8000;
        for (int i = 0; i < 512; i++) {
            fx.mem.write64(pdb + 8L * i, fx.mem.read64(CpuFixture.PD + 8L * i));
            fx.mem.write64(ptb + 8L * i, fx.mem.read64(CpuFixture.PT + 8L * i));
        }
        fx.mem.write64(pml4b, pdptb | P | RW | US);
        fx.mem.write64(pdptb, pdb | P | RW | US);
        fx.mem.write64(pdb, ptb | P | RW | US);
        fx.mem.write64(ptb + 8 * (DATA >>> 12), (DATA + 0x1000) | P | RW | US);
        fx.mem.write64(DATA, 111);
        fx.mem.write64(DATA + 0x1000, 222);
        long cr3a = cpu.cr3();
        assertThat(cpu.read64(DATA)).isEqualTo(111);
        cpu.writeCr(3, pml4b);
        assertThat(cpu.read64(DATA)).isEqualTo(222);
        cpu.writeCr(3, cr3a);
        assertThat(cpu.read64(DATA)).isEqualTo(111);
    }

    @Test
    void staleTranslationSurvivesUntilInvlpg() {
        fx.mem.write64(DATA, 111);
        fx.mem.write64(DATA + 0x1000, 222);
        assertThat(cpu.read64(DATA)).isEqualTo(111);
        fx.setPte(DATA, (DATA + 0x1000) | P | RW | US | A | D);
        // Real TLBs keep the old translation until it is invalidated.
        assertThat(cpu.read64(DATA)).isEqualTo(111);
        // INVLPG [rax] executed as an instruction at CPL 0.
        fx.code("0f 01 38");
        cpu.setReg(Cpu.RAX, DATA + 0x10);
        cpu.stepRaw();
        assertThat(cpu.read64(DATA)).isEqualTo(222);
    }

    @Test
    void invlpgDropsTheUserTranslationToo() {
        fx.toUser();
        assertThat(cpu.read64(DATA)).isZero();
        fx.setPte(DATA, 0);
        fx.toKernel();
        cpu.invlpg(DATA);
        fx.toUser();
        assertPf(fault(() -> cpu.read64(DATA)), DATA, Vectors.PF_U);
    }

    @Test
    void nonCanonicalAddressRaisesGp() {
        for (long la : new long[] {0x0000800000000000L, 0xffff7fffffffffffL, 0x1234000000000000L}) {
            CpuException e = fault(() -> cpu.read64(la));
            assertThat(e.vector).isEqualTo(Vectors.GP);
            assertThat(e.errorCode).isZero();
        }
        assertThat(Mmu.canonical(0xffff800000000000L)).isTrue();
        assertThat(Mmu.canonical(0x00007fffffffffffL)).isTrue();
    }

    @Test
    void pageFaultThroughStepSetsCr2AndPushesTheErrorCode() {
        fx.installDescriptorTables();
        fx.setPte(DATA, 0);
        fx.code("48 8b 03"); // mov rax, [rbx]
        fx.toUser();
        cpu.setReg(Cpu.RBX, DATA + 0x123);
        cpu.step();
        assertThat(cpu.cr2()).isEqualTo(DATA + 0x123);
        assertThat(cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.PF));
        assertThat(cpu.cpl()).isZero();
        long rsp = cpu.reg(Cpu.RSP);
        assertThat(fx.mem.read64(rsp)).as("error code").isEqualTo(Vectors.PF_U);
        assertThat(fx.mem.read64(rsp + 8)).as("faulting RIP").isEqualTo(CpuFixture.CODE);
    }
}

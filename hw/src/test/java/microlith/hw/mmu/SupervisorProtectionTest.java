package microlith.hw.mmu;

import static microlith.hw.mmu.PageTableEntry.NX;
import static microlith.hw.mmu.PageTableEntry.P;
import static microlith.hw.mmu.PageTableEntry.RW;
import static microlith.hw.mmu.PageTableEntry.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Flags;
import microlith.hw.cpu.Msr;
import microlith.hw.cpu.Vectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SMEP and SMAP as the Intel SDM (vol. 3A 4.6 "Access Rights", 4.7 "Page-Fault
 * Exceptions") and the AMD APM (vol. 2 5.6) define them, with the exact #PF error code of
 * every refused access:
 *
 * <pre>
 *   bit 4 I/D   1 for a fetch, when CR4.SMEP = 1 or EFER.NXE = 1
 *   bit 3 RSVD  a reserved bit was set in a paging entry
 *   bit 2 U/S   1 for a user-mode access (CPL 3, not an implicit supervisor access)
 *   bit 1 W/R   1 for a write
 *   bit 0 P     1 for a protection violation, 0 for a not-present page
 * </pre>
 *
 * In the fixture every page starts as a user page; the code page is made a supervisor
 * page here, so kernel code runs from it and reaches DATA, a user page.
 */
class SupervisorProtectionTest {
    private static final long DATA = CpuFixture.DATA;
    private static final long CODE = CpuFixture.CODE;
    /** A user page holding code, as a ret2usr payload would sit. */
    private static final long USER_CODE = CpuFixture.CODE + 0x1000;
    private final CpuFixture fx = new CpuFixture();
    private final Cpu cpu = fx.cpu;

    @BeforeEach
    void kernelCodeOnASupervisorPage() {
        fx.setPte(CODE, CODE | P | RW);
        cpu.writeCr(3, cpu.cr3());
    }

    private void cr4(long set, long clear) {
        cpu.writeCr(4, (cpu.readCr(4) | set) & ~clear);
    }

    private void ac(boolean on) {
        long f = cpu.rflags();
        cpu.setRflags(on ? f | Flags.AC : f & ~Flags.AC);
    }

    private static CpuException fault(Runnable r) {
        CpuException e = catchThrowableOfType(CpuException.class, r::run);
        assertThat(e).as("expected a CPU exception").isNotNull();
        return e;
    }

    private static void assertPf(CpuException e, long address, long errorCode) {
        assertThat(e).as("expected #PF").isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.PF);
        assertThat(e.faultAddress).isEqualTo(address);
        assertThat(e.errorCode).as("#PF error code").isEqualTo(errorCode);
    }

    // ------------------------------------------------------------------ SMEP

    @Test
    void smepFaultsASupervisorFetchFromAUserPageWithIdSetEvenWithoutNxe() {
        fx.code(USER_CODE, "90");
        assertThat(fx.stepCatching()).as("without SMEP the kernel runs user code").isNull();
        cr4(Cpu.CR4_SMEP, 0);
        fx.code(USER_CODE, "90");
        CpuException e = fx.stepCatching();
        assertPf(e, USER_CODE, Vectors.PF_P | Vectors.PF_I);
        assertThat(cpu.rip()).isEqualTo(USER_CODE);
        assertThat(cpu.cr2()).isEqualTo(USER_CODE);
    }

    @Test
    void smepWithNxeGivesTheSameErrorCode() {
        cpu.wrmsr(Msr.EFER, cpu.rdmsr(Msr.EFER) | Msr.EFER_NXE);
        cr4(Cpu.CR4_SMEP, 0);
        fx.code(USER_CODE, "90");
        assertPf(fx.stepCatching(), USER_CODE, Vectors.PF_P | Vectors.PF_I);
    }

    @Test
    void aNotPresentFetchReportsIdOnlyWhenSmepOrNxeIsOn() {
        fx.setPte(USER_CODE, 0);
        cpu.setRip(USER_CODE);
        assertPf(fx.stepCatching(), USER_CODE, 0);
        cr4(Cpu.CR4_SMEP, 0);
        cpu.setRip(USER_CODE);
        assertPf(fx.stepCatching(), USER_CODE, Vectors.PF_I);
    }

    @Test
    void aReservedBitFaultOnAFetchUnderSmepReportsRsvdAndId() {
        // NX set while EFER.NXE = 0 is a reserved bit; SMEP alone makes I/D report the fetch.
        cr4(Cpu.CR4_SMEP, 0);
        fx.setPte(CODE, CODE | P | RW | NX);
        cpu.setRip(CODE);
        assertPf(fx.stepCatching(), CODE, Vectors.PF_P | Vectors.PF_RSVD | Vectors.PF_I);
    }

    @Test
    void oneSupervisorLevelMakesTheAddressASupervisorOneThatSmepAllows() {
        cr4(Cpu.CR4_SMEP, 0);
        fx.code(CODE, "90");
        assertThat(fx.stepCatching()).isNull();
        // U/S clear in the PD entry only: a supervisor-mode address for every page below it.
        fx.mem.write64(CpuFixture.PD, CpuFixture.PT | P | RW);
        cpu.writeCr(3, cpu.cr3());
        fx.code(USER_CODE, "90");
        assertThat(fx.stepCatching()).isNull();
    }

    @Test
    void smepLeavesUserModeFetchesAlone() {
        cr4(Cpu.CR4_SMEP, 0);
        fx.code(USER_CODE, "90");
        fx.toUser();
        assertThat(fx.stepCatching()).isNull();
        assertThat(cpu.rip()).isEqualTo(USER_CODE + 1);
    }

    @Test
    void aUserPageDecodedAtCpl3IsStillRefusedAtCpl0() {
        cr4(Cpu.CR4_SMEP, 0);
        fx.code(USER_CODE, "90 90");
        fx.toUser();
        cpu.stepRaw(); // decodes and caches the page, fills the user TLB tags
        fx.toKernel();
        assertPf(fx.stepCatching(), USER_CODE + 1, Vectors.PF_P | Vectors.PF_I);
    }

    @Test
    void nxStillAppliesToSupervisorPagesUnderSmep() {
        cpu.wrmsr(Msr.EFER, cpu.rdmsr(Msr.EFER) | Msr.EFER_NXE);
        cr4(Cpu.CR4_SMEP, 0);
        long page = CODE + 0x2000;
        fx.setPte(page, page | P | RW | NX);
        fx.code(page, "90");
        assertPf(fx.stepCatching(), page, Vectors.PF_P | Vectors.PF_I);
    }

    // ------------------------------------------------------------------ SMAP

    @Test
    void smapFaultsSupervisorReadsAndWritesOfUserPages() {
        fx.mem.write64(DATA, 77);
        assertThat(cpu.read64(DATA)).as("without SMAP").isEqualTo(77);
        cr4(Cpu.CR4_SMAP, 0);
        assertPf(fault(() -> cpu.read64(DATA + 8)), DATA + 8, Vectors.PF_P);
        assertPf(fault(() -> cpu.write32(DATA + 4, 1)), DATA + 4, Vectors.PF_P | Vectors.PF_W);
        assertThat(fx.mem.read64(DATA)).isEqualTo(77);
    }

    @Test
    void rflagsAcLetsExplicitAccessesThroughAndTheTlbDoesNotRememberIt() {
        cr4(Cpu.CR4_SMAP, 0);
        ac(true);
        cpu.write64(DATA, 5);
        assertThat(cpu.read64(DATA)).isEqualTo(5);
        // The translation is in the TLB now; with AC clear it must fault all the same.
        ac(false);
        assertPf(fault(() -> cpu.read64(DATA)), DATA, Vectors.PF_P);
        assertPf(fault(() -> cpu.write64(DATA, 6)), DATA, Vectors.PF_P | Vectors.PF_W);
        ac(true);
        long walks = fx.perf.pageWalks;
        assertThat(cpu.read64(DATA)).isEqualTo(5);
        assertThat(fx.perf.pageWalks).as("an AC=1 access to a cached user page is a TLB hit").isEqualTo(walks);
    }

    @Test
    void acDoesNotOverrideTheOtherPagingRules() {
        cr4(Cpu.CR4_SMAP, 0);
        cpu.writeCr(0, cpu.readCr(0) | Cpu.CR0_WP);
        fx.setPte(DATA, DATA | P | US);
        ac(true);
        assertThat(cpu.read64(DATA)).isZero();
        assertPf(fault(() -> cpu.write64(DATA, 1)), DATA, Vectors.PF_P | Vectors.PF_W);
        fx.setPte(DATA, 0);
        cpu.invlpg(DATA);
        assertPf(fault(() -> cpu.read64(DATA)), DATA, 0);
    }

    @Test
    void smapLeavesSupervisorPagesAndUserModeAccessesAlone() {
        cr4(Cpu.CR4_SMAP, 0);
        fx.setPte(DATA, DATA | P | RW);
        cpu.write64(DATA, 9);
        assertThat(cpu.read64(DATA)).isEqualTo(9);
        fx.setPte(DATA, DATA | P | RW | US);
        cpu.invlpg(DATA);
        fx.toUser();
        assertThat(cpu.read64(DATA)).isEqualTo(9);
    }

    @Test
    void implicitSupervisorAccessesAreCheckedEvenWithAc() {
        cr4(Cpu.CR4_SMAP, 0);
        ac(true);
        assertThat(cpu.mmu().translate(DATA, Mmu.READ, false)).isEqualTo(DATA);
        assertPf(fault(() -> cpu.mmu().translateImplicit(DATA, Mmu.READ)), DATA, Vectors.PF_P);
        // At CPL 3 too: the CPU reading a descriptor table is a supervisor access (U/S = 0).
        fx.toUser();
        assertPf(fault(() -> cpu.mmu().translateImplicit(DATA + 16, Mmu.READ)), DATA + 16, Vectors.PF_P);
    }

    @Test
    void aUserPageIdtCannotBeReadWhenSmapIsOn() {
        fx.installDescriptorTables();
        fx.setPte(CODE, CODE | P | RW);
        cr4(Cpu.CR4_SMAP, 0);
        ac(true);
        // The IDT lives in a user page in the fixture: delivering #UD must fault reading it,
        // which is #DF, whose gate cannot be read either: the CPU shuts down.
        fx.code("0f 0b");
        cpu.step();
        assertThat(cpu.stopReason()).contains("triple fault");
    }

    // ------------------------------------------------------------------ STAC, CLAC, CPUID

    @Test
    void stacAndClacSetAndClearAcAtCpl0() {
        fx.code("0f 01 cb 0f 01 ca");
        cpu.stepRaw();
        assertThat(cpu.rflags() & Flags.AC).isEqualTo(Flags.AC);
        cpu.stepRaw();
        assertThat(cpu.rflags() & Flags.AC).isZero();
        assertThat(cpu.rip()).isEqualTo(CODE + 6);
    }

    @Test
    void stacAndClacAreUndefinedAtCpl3() {
        for (String insn : new String[] {"0f 01 cb", "0f 01 ca"}) {
            fx.code(USER_CODE, insn);
            fx.toUser();
            CpuException e = fx.stepCatching();
            assertThat(e).as(insn).isNotNull();
            assertThat(e.vector).isEqualTo(Vectors.UD);
            assertThat(cpu.rip()).isEqualTo(USER_CODE);
            fx.toKernel();
        }
        fx.toUser();
        assertThat(fault(cpu::stac).vector).as("the kernel's own stac() checks the CPL too").isEqualTo(Vectors.UD);
    }

    @Test
    void cpuidLeaf7ReportsSmepAndSmap() {
        fx.code("0f a2");
        cpu.setReg(Cpu.RAX, 0);
        cpu.stepRaw();
        assertThat(cpu.reg(Cpu.RAX)).as("highest basic leaf").isGreaterThanOrEqualTo(7);
        fx.code("0f a2");
        cpu.setReg(Cpu.RAX, 7);
        cpu.setReg(Cpu.RCX, 0);
        cpu.stepRaw();
        assertThat(cpu.reg(Cpu.RBX) >>> 7 & 1).as("SMEP").isEqualTo(1);
        assertThat(cpu.reg(Cpu.RBX) >>> 20 & 1).as("SMAP").isEqualTo(1);
        assertThat(cpu.reg(Cpu.RAX)).as("highest sub-leaf").isZero();
    }
}

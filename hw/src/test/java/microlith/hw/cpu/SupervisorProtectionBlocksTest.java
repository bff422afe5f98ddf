package microlith.hw.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.mmu.PageTableEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMEP and SMAP hold in translated code as in the interpreter: a block does its own TLB
 * lookups, and a hot loop that was allowed to touch a user page (RFLAGS.AC = 1, or at
 * CPL 3) must fault the moment the rights are gone, with the same error code and at the
 * same instruction. Each case runs with translation on (threshold 2) and off.
 */
class SupervisorProtectionBlocksTest {
    private static final long USER_CODE = CpuFixture.CODE + 0x1000;

    /** Descriptor tables, stacks and handlers on supervisor pages; DATA and USER_CODE stay user pages. */
    private static CpuFixture machine(boolean translate) {
        CpuFixture f = new CpuFixture();
        f.installDescriptorTables();
        long sup = PageTableEntry.P | PageTableEntry.RW;
        f.setPte(CpuFixture.CODE, CpuFixture.CODE | sup);
        for (long p = CpuFixture.GDT; p <= CpuFixture.HANDLERS + 0xfff; p += 0x1000) {
            f.setPte(p, p | sup);
        }
        f.cpu.writeCr(3, f.cpu.cr3());
        f.cpu.setTranslation(translate);
        f.cpu.setTranslationThreshold(2);
        f.cpu.writeCr(4, f.cpu.readCr(4) | Cpu.CR4_SMEP | Cpu.CR4_SMAP);
        return f;
    }

    private static void runToHalt(CpuFixture f) {
        for (int i = 0; i < 1000 && !f.cpu.halted(); i++) {
            f.cpu.run(7);
        }
        assertThat(f.cpu.halted()).as("reached a handler's HLT").isTrue();
    }

    private static long pushedErrorCode(CpuFixture f) {
        return f.mem.read64(f.cpu.reg(Cpu.RSP));
    }

    private static long pushedRip(CpuFixture f) {
        return f.mem.read64(f.cpu.reg(Cpu.RSP) + 8);
    }

    @ParameterizedTest(name = "translate={0}")
    @ValueSource(booleans = {true, false})
    void aHotLoopReadingUserMemoryFaultsAfterClac(boolean translate) {
        CpuFixture f = machine(translate);
        // stac; 1: mov rax,[rbx]; dec rcx; jnz 1b; clac; 2: mov rax,[rbx]; dec rdx; jnz 2b; hlt
        f.code("0f 01 cb  48 8b 03  48 ff c9  75 f8  0f 01 ca  48 8b 03  48 ff ca  75 f8  f4");
        f.mem.write64(CpuFixture.DATA, 0x1234);
        f.cpu.setReg(Cpu.RBX, CpuFixture.DATA);
        f.cpu.setReg(Cpu.RCX, 50);
        f.cpu.setReg(Cpu.RDX, 50);
        runToHalt(f);
        assertThat(f.cpu.reg(Cpu.RCX)).as("the AC=1 loop ran to the end").isZero();
        assertThat(f.cpu.reg(Cpu.RAX)).isEqualTo(0x1234);
        assertThat(f.cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.PF) + 1);
        assertThat(f.cpu.cr2()).isEqualTo(CpuFixture.DATA);
        assertThat(pushedErrorCode(f)).as("#PF error code").isEqualTo(Vectors.PF_P);
        assertThat(pushedRip(f)).as("the first load after CLAC").isEqualTo(CpuFixture.CODE + 14);
        assertThat(f.cpu.reg(Cpu.RDX)).isEqualTo(50);
    }

    @ParameterizedTest(name = "translate={0}")
    @ValueSource(booleans = {true, false})
    void userCodeHotAtCpl3IsRefusedAtCpl0(boolean translate) {
        CpuFixture f = machine(translate);
        // 1: dec rcx; jnz 1b; then a HLT the loop never reaches at CPL 3 in this test.
        f.code(USER_CODE, "48 ff c9  75 fb  f4");
        f.toUser();
        f.cpu.setReg(Cpu.RCX, 1_000_000);
        f.cpu.run(400);
        assertThat(f.cpu.reg(Cpu.RCX)).as("the loop ran at CPL 3").isEqualTo(1_000_000 - 200);
        f.toKernel();
        f.cpu.setReg(Cpu.RSP, CpuFixture.KERNEL_STACK);
        f.cpu.setRip(USER_CODE);
        runToHalt(f);
        assertThat(f.cpu.rip()).isEqualTo(CpuFixture.handler(Vectors.PF) + 1);
        assertThat(f.cpu.cr2()).isEqualTo(USER_CODE);
        assertThat(pushedErrorCode(f)).as("#PF error code").isEqualTo(Vectors.PF_P | Vectors.PF_I);
        assertThat(pushedRip(f)).isEqualTo(USER_CODE);
        assertThat(f.cpu.reg(Cpu.RCX)).as("nothing ran at CPL 0").isEqualTo(1_000_000 - 200);
    }
}

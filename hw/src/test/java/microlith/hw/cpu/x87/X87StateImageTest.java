package microlith.hw.cpu.x87;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Vectors;
import microlith.hw.cpu.x87.Float80;
import microlith.hw.cpu.x87.SoftFloat80;
import microlith.hw.cpu.x87.X87State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state images: FXSAVE/FXRSTOR (512 bytes, x87 and SSE), FNSTENV/FLDENV (28-byte
 * environment) and FNSAVE/FRSTOR (environment plus eight 10-byte registers). Each test fills
 * the state with distinctive values, saves, checks fields at the offsets the SDM gives,
 * scrambles the state, restores, and compares.
 */
class X87StateImageTest {
    private static final long A = CpuFixture.DATA;
    private CpuFixture fx;
    private Core cpu;
    private X87State s;

    @BeforeEach
    void setUp() {
        fx = new CpuFixture();
        cpu = fx.core;
        s = cpu.x87;
        fx.toUser();
        cpu.r[Cpu.RSI] = A;
    }

    private CpuException run(String hex) {
        fx.code(hex);
        return fx.stepCatching();
    }

    /** Five registers in use (TOP = 3), unusual control word, pending flags, pointers. */
    private void fillX87() {
        s.init();
        s.cw = 0x0A63 | 0x40; // RC up, PC 53, ZM and OM unmasked... and the reserved bit 6
        for (int k = 0; k < 5; k++) {
            s.push(new Float80(0x3FFF + k * 3, 0x8000000000000000L | 0x1234567L * (k + 1)));
        }
        s.set(3, Float80.POS_ZERO);
        s.sw = X87State.C0 | X87State.C3 | SoftFloat80.PE;
        s.updateSummary();
        s.fop = 0x5A5;
        s.fip = 0x0000123456789ABCL;
        s.fdp = 0x0000789ABCDEF012L;
    }

    private void fillSse() {
        cpu.mxcsr = 0x7F80 | 0x3; // RC up... DAZ, FTZ etc. and two flags: all permitted bits
        for (int k = 0; k < 32; k++) {
            cpu.xmm[k] = 0x0101010101010101L * (k + 1) ^ 0xF0E0D0C0B0A09080L;
        }
    }

    private Snapshot snapshot() {
        return new Snapshot(s, cpu);
    }

    /** The architectural state FXSAVE/FNSAVE cover, for comparison. */
    static final class Snapshot {
        final int cw, sw, tw, fop, mxcsr;
        final long fip, fdp;
        final Float80[] regs = new Float80[8];
        final long[] xmm;

        Snapshot(X87State s, Core c) {
            cw = s.cw;
            sw = s.statusWord();
            tw = s.tagWord();
            fop = s.fop;
            fip = s.fip;
            fdp = s.fdp;
            for (int p = 0; p < 8; p++) {
                regs[p] = s.regs[p];
            }
            mxcsr = c.mxcsr;
            xmm = c.xmm.clone();
        }

        void assertEqualsX87(Snapshot o) {
            assertThat(cw).isEqualTo(o.cw);
            assertThat(sw).isEqualTo(o.sw);
            assertThat(tw).isEqualTo(o.tw);
            for (int p = 0; p < 8; p++) {
                if ((tw >>> (2 * p) & 3) != 3) {
                    assertThat(regs[p]).as("R%d", p).isEqualTo(o.regs[p]);
                }
            }
        }
    }

    private void scramble() {
        s.init();
        s.push(Float80.POS_INF);
        s.cw = 0x037F;
        cpu.mxcsr = 0x1F80;
        java.util.Arrays.fill(cpu.xmm, 0x5555555555555555L);
    }

    // ---------------------------------------------------------------- FXSAVE / FXRSTOR

    @Test
    void fxsave64LayoutAndRoundTrip() {
        fillX87();
        fillSse();
        Snapshot before = snapshot();
        fx.mem.fill(A, 512, (byte) 0xCC);
        assertThat(run("48 0f ae 06")).isNull(); // fxsave64 [rsi]
        assertThat(fx.mem.read16(A)).isEqualTo(s.cw); // FCW
        assertThat(fx.mem.read16(A + 2)).isEqualTo(before.sw); // FSW
        assertThat(before.sw >>> 11 & 7).isEqualTo(3);
        // Abridged FTW: one bit per physical register, 1 = not empty. TOP = 3, five pushes
        // used R3..R7.
        assertThat(fx.mem.read8(A + 4)).isEqualTo(0xF8);
        assertThat(fx.mem.read8(A + 5)).isEqualTo(0);
        assertThat(fx.mem.read16(A + 6)).isEqualTo(0x5A5); // FOP
        assertThat(fx.mem.read64(A + 8)).isEqualTo(0x0000123456789ABCL); // FIP (64-bit)
        assertThat(fx.mem.read64(A + 16)).isEqualTo(0x0000789ABCDEF012L); // FDP (64-bit)
        assertThat(fx.mem.read32(A + 24)).isEqualTo(before.mxcsr); // MXCSR
        assertThat(fx.mem.read32(A + 28)).isEqualTo(0xFFFF); // MXCSR_MASK
        Float80 st0 = s.st(0);
        assertThat(fx.mem.read64(A + 32)).isEqualTo(st0.sig); // ST0 at 32
        assertThat(fx.mem.read16(A + 40)).isEqualTo(st0.se);
        assertThat(fx.mem.read16(A + 42)).isEqualTo(0); // reserved bytes of the 16-byte slot
        assertThat(fx.mem.read64(A + 32 + 16 * 3)).isEqualTo(0); // ST3 = +0
        assertThat(fx.mem.read64(A + 160)).isEqualTo(cpu.xmm[0]); // XMM0 at 160
        assertThat(fx.mem.read64(A + 168)).isEqualTo(cpu.xmm[1]);
        assertThat(fx.mem.read64(A + 160 + 16 * 15 + 8)).isEqualTo(cpu.xmm[31]); // XMM15 high
        assertThat(fx.mem.read64(A + 416)).isEqualTo(0xCCCCCCCCCCCCCCCCL); // 416-511 untouched
        assertThat(fx.mem.read64(A + 504)).isEqualTo(0xCCCCCCCCCCCCCCCCL);
        // FXSAVE leaves the state alone (unlike FNSAVE).
        snapshot().assertEqualsX87(before);

        scramble();
        assertThat(run("48 0f ae 0e")).isNull(); // fxrstor64 [rsi]
        Snapshot after = snapshot();
        after.assertEqualsX87(before);
        assertThat(after.fop).isEqualTo(0x5A5);
        assertThat(after.fip).isEqualTo(0x0000123456789ABCL);
        assertThat(after.fdp).isEqualTo(0x0000789ABCDEF012L);
        assertThat(after.mxcsr).isEqualTo(before.mxcsr);
        assertThat(after.xmm).containsExactly(before.xmm);
    }

    @Test
    void fxsave32LayoutKeepsOnlyLowPointerHalves() {
        fillX87();
        fillSse();
        assertThat(run("0f ae 06")).isNull(); // fxsave [rsi]
        assertThat(fx.mem.read32(A + 8)).isEqualTo(0x56789ABC); // FIP[31:0]
        assertThat(fx.mem.read16(A + 12)).isEqualTo(cpu.cs & 0xFFFF); // FCS
        assertThat(fx.mem.read32(A + 16)).isEqualTo(0xBCDEF012); // FDP[31:0]
        scramble();
        assertThat(run("0f ae 0e")).isNull(); // fxrstor [rsi]
        assertThat(s.fip).isEqualTo(0x56789ABCL);
        assertThat(s.fdp).isEqualTo(0xBCDEF012L);
        assertThat(cpu.xmm[5]).isEqualTo(0x0101010101010101L * 6 ^ 0xF0E0D0C0B0A09080L);
    }

    @Test
    void fxrstorRejectsReservedMxcsrBitsWithoutChangingState() {
        fillX87();
        fillSse();
        assertThat(run("48 0f ae 06")).isNull();
        fx.mem.write32(A + 24, 0x10000 | 0x1F80);
        scramble();
        Snapshot before = snapshot();
        CpuException e = run("48 0f ae 0e");
        assertThat(e).isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.GP);
        Snapshot after = snapshot();
        after.assertEqualsX87(before);
        assertThat(after.mxcsr).isEqualTo(0x1F80);
        assertThat(after.xmm).containsExactly(before.xmm);
    }

    @Test
    void fxsaveFaults() {
        cpu.r[Cpu.RSI] = A + 8;
        CpuException e = run("0f ae 06");
        assertThat(e).isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.GP); // not 16-byte aligned
        cpu.r[Cpu.RSI] = A;
        cpu.cr0 |= 1L << 3; // TS
        e = run("0f ae 0e");
        assertThat(e).isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.NM);
    }

    @Test
    void fxsaveWritesNothingWhenTheEndOfTheImageFaults() {
        long page = 0x25000;
        fx.setPte(page, 0); // not present
        long a = page - 256; // the image straddles into the missing page
        fx.mem.fill(a, 256, (byte) 0xCC);
        cpu.r[Cpu.RSI] = a;
        fillX87();
        CpuException e = run("0f ae 06");
        assertThat(e).isNotNull();
        assertThat(e.vector).isEqualTo(Vectors.PF);
        assertThat(fx.mem.read64(a)).isEqualTo(0xCCCCCCCCCCCCCCCCL);
    }

    @Test
    void cpuidReportsFxsr() {
        cpu.r[Cpu.RAX] = 1;
        assertThat(run("0f a2")).isNull();
        assertThat(cpu.r[Cpu.RDX] >>> 24 & 1).isEqualTo(1);
    }

    // ---------------------------------------------------------------- FNSTENV / FLDENV

    @Test
    void fnstenvLayoutAndFldenvRoundTrip() {
        fillX87();
        Snapshot before = snapshot();
        assertThat(run("d9 36")).isNull(); // fnstenv [rsi]
        // 28-byte protected-mode 32-bit format: each field in a doubleword.
        assertThat(fx.mem.read16(A)).isEqualTo(before.cw); // FCW
        assertThat(fx.mem.read16(A + 4)).isEqualTo(before.sw); // FSW
        assertThat(fx.mem.read16(A + 8)).isEqualTo(before.tw); // full tag word
        // Tags: R3..R7 in use; ST(3) = R6 holds zero (01), the others are valid (00).
        assertThat(before.tw).isEqualTo(0x0000 | 0x3F | 1 << 12);
        assertThat(fx.mem.read32(A + 12)).isEqualTo(0x56789ABC); // FIP[31:0]
        assertThat(fx.mem.read32(A + 16) >>> 16 & 0x7FF).isEqualTo(0x5A5); // FOP
        assertThat(fx.mem.read16(A + 16)).isEqualTo(cpu.cs & 0xFFFF); // FCS
        assertThat(fx.mem.read32(A + 20)).isEqualTo(0xBCDEF012); // FDP[31:0]
        // FNSTENV masks all exceptions afterwards.
        assertThat(s.cw & 0x3F).isEqualTo(0x3F);

        s.init();
        s.cw = 0x037F;
        assertThat(run("d9 26")).isNull(); // fldenv [rsi]
        Snapshot after = snapshot();
        assertThat(after.cw).isEqualTo(before.cw);
        assertThat(after.sw).isEqualTo(before.sw);
        assertThat(after.tw).isEqualTo(before.tw);
        assertThat(after.fop).isEqualTo(0x5A5);
        assertThat(after.fip).isEqualTo(0x56789ABCL);
        assertThat(after.fdp).isEqualTo(0xBCDEF012L);
        // The registers themselves are not part of the environment: still as before.
        after.assertEqualsX87(before);
    }

    @Test
    void fldenvTagWordOnlyDecidesEmptiness() {
        fillX87();
        assertThat(run("d9 36")).isNull();
        fx.mem.write16(A + 8, 0xFFFF & ~(3 << 14)); // only R7 in use, tagged "valid"
        assertThat(run("d9 26")).isNull();
        assertThat(s.tagWord() >>> 14).isEqualTo(0); // R7: recomputed from contents (valid)
        assertThat(s.tagWord() & 0x3FFF).isEqualTo(0x3FFF);
    }

    // ---------------------------------------------------------------- FNSAVE / FRSTOR

    @Test
    void fnsaveLayoutReinitialisesAndFrstorRestores() {
        fillX87();
        Snapshot before = snapshot();
        assertThat(run("dd 36")).isNull(); // fnsave [rsi]
        assertThat(fx.mem.read16(A)).isEqualTo(before.cw);
        assertThat(fx.mem.read16(A + 4)).isEqualTo(before.sw);
        assertThat(fx.mem.read16(A + 8)).isEqualTo(before.tw);
        // ST(i) at 28 + 10 i, in stack order (not physical).
        for (int k = 0; k < 5; k++) {
            Float80 v = before.regs[(3 + k) & 7];
            assertThat(fx.mem.read64(A + 28 + 10L * k)).as("ST%d sig", k).isEqualTo(v.sig);
            assertThat(fx.mem.read16(A + 36 + 10L * k)).as("ST%d se", k).isEqualTo(v.se);
        }
        // FNSAVE ends with FNINIT.
        assertThat(s.cw).isEqualTo(0x037F);
        assertThat(s.statusWord()).isZero();
        assertThat(s.tagWord()).isEqualTo(0xFFFF);

        s.push(Float80.NEG_INF);
        assertThat(run("dd 26")).isNull(); // frstor [rsi]
        Snapshot after = snapshot();
        after.assertEqualsX87(before);
        assertThat(after.fip).isEqualTo(0x56789ABCL);
        assertThat(after.fdp).isEqualTo(0xBCDEF012L);
        assertThat(after.fop).isEqualTo(0x5A5);
    }
}

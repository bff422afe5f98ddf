package microlith.hw.cpu.sse;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.cpu.Core;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.CpuFixture;
import microlith.hw.cpu.Vectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SSE behaviour the host-recorded vectors do not cover: MXCSR loads and stores, the
 * approximate RCP/RSQRT, #UD cases, #XM versus #UD for unmasked exceptions, and that a
 * faulting store writes nothing.
 */
class SseOpsTest {
    private CpuFixture fx;
    private Core cpu;

    @BeforeEach
    void setUp() {
        fx = new CpuFixture();
        cpu = fx.core;
        fx.toUser();
        cpu.r[Cpu.RSI] = CpuFixture.DATA;
    }

    private CpuException run(String hex) {
        fx.code(hex);
        return fx.stepCatching();
    }

    @Test
    void ldmxcsrAndStmxcsr() {
        fx.mem.write32(CpuFixture.DATA, 0x7FC0);
        assertThat(run("0f ae 16")).isNull(); // ldmxcsr [rsi]
        assertThat(cpu.mxcsr).isEqualTo(0x7FC0);
        assertThat(run("0f ae 5e 08")).isNull(); // stmxcsr [rsi+8]
        assertThat(fx.mem.read32(CpuFixture.DATA + 8)).isEqualTo(0x7FC0);
        fx.mem.write32(CpuFixture.DATA, 0x10000);
        CpuException e = run("0f ae 16");
        assertThat(e.vector).isEqualTo(Vectors.GP);
        assertThat(cpu.mxcsr).isEqualTo(0x7FC0);
    }

    @Test
    void reciprocalApproximationsAreWithinTheDocumentedError() {
        float[] inputs = {1f, 3f, 0.1f, 12345.678f, 1e-30f, 7e37f, 2f};
        for (float x : inputs) {
            cpu.cpu.setXmm(1, Float.floatToRawIntBits(x) & 0xffffffffL, 0);
            assertThat(run("f3 0f 53 c1")).isNull(); // rcpss xmm0, xmm1
            float r = Float.intBitsToFloat((int) cpu.cpu.xmmLow(0));
            assertThat(Math.abs(r * (double) x - 1)).isLessThanOrEqualTo(1.5 * 0x1p-12);
            assertThat(run("f3 0f 52 c1")).isNull(); // rsqrtss xmm0, xmm1
            float q = Float.intBitsToFloat((int) cpu.cpu.xmmLow(0));
            assertThat(Math.abs(q * Math.sqrt(x) - 1)).isLessThanOrEqualTo(1.5 * 0x1p-12);
        }
        cpu.cpu.setXmm(1, 0x80000000L, 0);
        run("0f 53 c1"); // rcpps: 1/-0 = -inf, no exception
        assertThat(cpu.cpu.xmmLow(0) & 0xffffffffL).isEqualTo(0xFF800000L);
        assertThat(cpu.mxcsr).isEqualTo(0x1F80);
    }

    @Test
    void unsupportedFormsAreUndefined() {
        assertThat(run("0f fe c1").vector).isEqualTo(Vectors.UD); // MMX paddd
        assertThat(run("66 0f 38 00 c1").vector).isEqualTo(Vectors.UD); // SSSE3 pshufb
        assertThat(run("66 0f 3a 0f c1 04").vector).isEqualTo(Vectors.UD); // SSSE3 palignr
        assertThat(run("66 0f 12 c1").vector).isEqualTo(Vectors.UD); // movlpd needs memory
        assertThat(run("66 0f d7 06").vector).isEqualTo(Vectors.UD); // pmovmskb needs a register
        assertThat(run("66 0f 71 26 03").vector).isEqualTo(Vectors.UD); // psraw with a memory operand
        assertThat(run("66 0f 73 e1 03").vector).isEqualTo(Vectors.UD); // no /4 in group 14
    }

    @Test
    void unmaskedExceptionIsXmWithOsSupportElseUd() {
        cpu.cpu.setXmm(0, 0x3f800000L, 0);
        cpu.cpu.setXmm(1, 0, 0);
        cpu.mxcsr = 0x1F80 & ~0x200; // ZM clear
        assertThat(run("f3 0f 5e c1").vector).isEqualTo(Vectors.UD); // divss: no CR4.OSXMMEXCPT
        assertThat(cpu.mxcsr & 0x3f).isEqualTo(4);
        assertThat(cpu.cpu.xmmLow(0)).isEqualTo(0x3f800000L);
        cpu.cr4 |= 1L << 10;
        assertThat(run("f3 0f 5e c1").vector).isEqualTo(Vectors.XM);
        assertThat(cpu.cpu.xmmLow(0)).isEqualTo(0x3f800000L);
    }

    @Test
    void faultingStoreWritesNothing() {
        long page = 0x25000;
        fx.setPte(page + 0x1000, 0); // the next page is not present
        fx.mem.write64(page + 0xff8, 0x1122334455667788L);
        cpu.r[Cpu.RSI] = page + 0xff8;
        cpu.cpu.setXmm(0, -1, -1);
        CpuException e = run("0f 11 06"); // movups [rsi], xmm0 crosses into the missing page
        assertThat(e.vector).isEqualTo(Vectors.PF);
        assertThat(fx.mem.read64(page + 0xff8)).isEqualTo(0x1122334455667788L);
    }

    @Test
    void movntiIsAStore() {
        cpu.r[Cpu.RAX] = 0x1234567890L;
        assertThat(run("48 0f c3 06")).isNull(); // movnti [rsi], rax
        assertThat(fx.mem.read64(CpuFixture.DATA)).isEqualTo(0x1234567890L);
    }
}

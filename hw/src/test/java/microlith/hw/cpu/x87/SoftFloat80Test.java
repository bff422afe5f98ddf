package microlith.hw.cpu.x87;

import static org.assertj.core.api.Assertions.assertThat;

import microlith.hw.cpu.x87.Float80;
import microlith.hw.cpu.x87.SoftFloat80.Env;
import microlith.hw.cpu.x87.SoftFloat80;
import org.junit.jupiter.api.Test;

/** The soft extended-precision float on its own: conversions, rounding, known hard cases. */
class SoftFloat80Test {
    private static Env env() {
        return new Env(SoftFloat80.RN, 64);
    }

    private static Float80 f(double d) {
        return Float80.ofDouble(d);
    }

    @Test
    void doublesRoundTripExactly() {
        double[] values = {0.0, -0.0, 1.0, 0.1, -3.5e-310, Double.MIN_VALUE, Double.MAX_VALUE, 1e300, 123.456,
            Double.MIN_NORMAL, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double d : values) {
            Env e = env();
            long back = SoftFloat80.toDoubleBits(f(d), e);
            assertThat(back).as("%s", d).isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(e.flags).isZero();
        }
    }

    @Test
    void pointOneInExtendedIsTheKnownPattern() {
        // 0.1 as a double (3FB999999999999A) widened: 3FFB CCCCCCCCCCCCD000; 1/10 in extended: ...CCCD.
        assertThat(f(0.1).toString()).isEqualTo("3ffb:ccccccccccccd000");
        Env e = env();
        Float80 tenth = SoftFloat80.div(Float80.ONE, Float80.fromLong(10), e);
        assertThat(tenth).isEqualTo(new Float80(0x3FFB, 0xCCCCCCCCCCCCCCCDL));
        assertThat(e.flags).isEqualTo(SoftFloat80.PE);
        assertThat(e.roundedUp).isTrue();
    }

    @Test
    void printfStepsOnPointOneAreExact() {
        // musl's fmt_fp: y = frexpl(0.1)*2 ... then repeatedly y = 1e9 * (y - (uint32)y).
        Env e = env();
        Float80 y = SoftFloat80.mul(f(0.1), Float80.fromLong(1_000_000_000), e);
        Float80 ip = SoftFloat80.roundToIntegral(y, new Env(SoftFloat80.RZ, 64));
        assertThat(ip).isEqualTo(Float80.fromLong(100_000_000));
        Float80 frac = SoftFloat80.sub(y, ip, e);
        // 0.1 (double) = 0.1 + 5.5511151231257827e-18; times 1e9 the excess is
        // 762.939453125 units of 2^-37 (the last place of a 64-bit significand near 1e8),
        // which rounds to 763 units.
        assertThat(frac.toDoubleApprox()).isEqualTo(Math.scalb(763.0, -37));
    }

    @Test
    void precisionControlRoundsTheSignificand() {
        Float80 third;
        Env e53 = new Env(SoftFloat80.RN, 53);
        third = SoftFloat80.div(Float80.ONE, Float80.fromLong(3), e53);
        assertThat(third.toDoubleApprox()).isEqualTo(1.0 / 3.0);
        assertThat(third.sig & 0x7FF).isZero();
        Env e24 = new Env(SoftFloat80.RN, 24);
        third = SoftFloat80.div(Float80.ONE, Float80.fromLong(3), e24);
        assertThat(third.toDoubleApprox()).isEqualTo((double) (1.0f / 3.0f));
    }

    @Test
    void roundingModesOnATie() {
        // 1 + 2^-64 is exactly halfway between 1 and 1 + 2^-63.
        Float80 tiny = new Float80(Float80.BIAS - 64, Float80.J);
        int[] rcs = {SoftFloat80.RN, SoftFloat80.RD, SoftFloat80.RU, SoftFloat80.RZ};
        long[] sigs = {Float80.J, Float80.J, Float80.J + 1, Float80.J};
        for (int k = 0; k < 4; k++) {
            Env e = new Env(rcs[k], 64);
            assertThat(SoftFloat80.add(Float80.ONE, tiny, e).sig).as("rc %d", k).isEqualTo(sigs[k]);
        }
    }

    @Test
    void exactZeroSumIsNegativeOnlyWhenRoundingDown() {
        assertThat(SoftFloat80.sub(Float80.ONE, Float80.ONE, env())).isEqualTo(Float80.POS_ZERO);
        assertThat(SoftFloat80.sub(Float80.ONE, Float80.ONE, new Env(SoftFloat80.RD, 64)))
            .isEqualTo(Float80.NEG_ZERO);
    }

    @Test
    void invalidAndDivideByZeroGiveTheMaskedResponses() {
        Env e = env();
        assertThat(SoftFloat80.sub(Float80.POS_INF, Float80.POS_INF, e)).isEqualTo(Float80.INDEFINITE);
        assertThat(e.flags).isEqualTo(SoftFloat80.IE);
        e = env();
        assertThat(SoftFloat80.div(Float80.ONE.negate(), Float80.POS_ZERO, e)).isEqualTo(Float80.NEG_INF);
        assertThat(e.flags).isEqualTo(SoftFloat80.ZE);
    }

    @Test
    void overflowAndUnderflow() {
        Float80 max = new Float80(0x7FFE, -1L);
        Env e = env();
        assertThat(SoftFloat80.add(max, max, e)).isEqualTo(Float80.POS_INF);
        assertThat(e.flags).isEqualTo(SoftFloat80.OE | SoftFloat80.PE);
        e = new Env(SoftFloat80.RZ, 64);
        assertThat(SoftFloat80.add(max, max, e)).isEqualTo(max);
        Float80 min = new Float80(1, Float80.J);
        e = env();
        Float80 half = SoftFloat80.div(min, Float80.fromLong(2), e);
        assertThat(half).isEqualTo(new Float80(0, 1L << 62));
        assertThat(e.flags).as("exact tiny results raise no UE when masked").isZero();
        e = env();
        SoftFloat80.div(min, Float80.fromLong(3), e);
        assertThat(e.flags).isEqualTo(SoftFloat80.UE | SoftFloat80.PE);
    }

    @Test
    void storesToDoubleRoundPerMode() {
        Float80 third = SoftFloat80.div(Float80.ONE, Float80.fromLong(3), env());
        Env up = new Env(SoftFloat80.RU, 64);
        assertThat(Double.longBitsToDouble(SoftFloat80.toDoubleBits(third, up)))
            .isEqualTo(Math.nextUp(1.0 / 3.0));
        assertThat(up.roundedUp).isTrue();
        Env e = env();
        assertThat(SoftFloat80.toDoubleBits(new Float80(0x7FFE, Float80.J), e))
            .isEqualTo(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        assertThat(e.flags).isEqualTo(SoftFloat80.OE | SoftFloat80.PE);
    }

    @Test
    void sqrtIsCorrectlyRounded() {
        Float80 two = Float80.fromLong(2);
        Float80 r = SoftFloat80.sqrt(two, env());
        assertThat(r).isEqualTo(new Float80(0x3FFF, 0xB504F333F9DE6484L));
        assertThat(SoftFloat80.sqrt(Float80.fromLong(144), env())).isEqualTo(Float80.fromLong(12));
    }

    @Test
    void integerConversions() {
        Env e = env();
        assertThat(SoftFloat80.toInteger(f(2.5), 32, SoftFloat80.RN, e)).isEqualTo(2L);
        assertThat(SoftFloat80.toInteger(f(-2.5), 32, SoftFloat80.RD, e)).isEqualTo(-3L);
        assertThat(SoftFloat80.toInteger(f(-32768.4), 16, SoftFloat80.RN, e)).isEqualTo(-32768L);
        e = env();
        assertThat(SoftFloat80.toInteger(f(32767.5), 16, SoftFloat80.RN, e)).isNull();
        assertThat(e.flags).isEqualTo(SoftFloat80.IE);
        assertThat(SoftFloat80.toInteger(Float80.fromLong(Long.MIN_VALUE), 64, SoftFloat80.RN, env()))
            .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void remainderGivesQuotientBits() {
        SoftFloat80.Remainder r = SoftFloat80.remainder(f(17), f(5), false, env());
        assertThat(r.value).isEqualTo(f(2));
        assertThat(r.q).isEqualTo(3);
        r = SoftFloat80.remainder(f(17), f(5), true, env());
        assertThat(r.value).isEqualTo(f(2));
        r = SoftFloat80.remainder(f(18), f(5), true, env());
        assertThat(r.value).isEqualTo(f(-2));
        assertThat(r.q).isEqualTo(4);
    }
}

package microlith.hw;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Cycle/nanosecond conversion stays exact for years of simulated time. */
class CostModelTest {
    private static long reference(long cycles) {
        return BigInteger.valueOf(cycles).multiply(BigInteger.valueOf(1_000_000_000L))
            .divide(BigInteger.valueOf(CostModel.CLOCK_HZ)).longValueExact();
    }

    @Test
    void nanosIsExactPastTheOldOverflowAndForYears() {
        long tenYears = 10L * 365 * 24 * 3600 * CostModel.CLOCK_HZ;
        for (long c : new long[] {0, 1, 999_999_999, 1_000_000_000, 9_223_372_036L, 9_223_372_037L,
            10_000_000_123L, 86_400L * CostModel.CLOCK_HZ + 7, tenYears, tenYears + 999}) {
            assertThat(CostModel.nanos(c)).as("cycles %d", c).isEqualTo(reference(c));
        }
    }

    @Test
    void cyclesForIsTheFirstCycleReachingADeadline() {
        for (long ns : new long[] {0, 1, 999, 1_000_000_000L, 9_300_000_000L, 3_000_000_000_000_000L}) {
            long c = CostModel.cyclesFor(ns);
            assertThat(CostModel.nanos(c)).isGreaterThanOrEqualTo(ns);
            if (c > 0) {
                assertThat(CostModel.nanos(c - 1)).isLessThan(ns);
            }
        }
    }
}

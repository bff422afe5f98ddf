package microlith.server.rs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The back-off of the reincarnation server, on jiffies (HZ = 100). */
class RestartPolicyTest {
    /** A service that dies `after` jiffies after each start, restarted when the policy says. */
    private static List<Long> delays(long after, int deaths) {
        Service s = new Service("x", 1, 0);
        List<Long> out = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < deaths; i++) {
            now = s.startedAt + after;
            long d = RestartPolicy.delayAfterDeath(s, now);
            out.add(d);
            if (d < 0) {
                break;
            }
            s.startedAt = now + d;
        }
        return out;
    }

    @Test
    void aServerThatKeepsDyingIsBackedOffThenGivenUp() {
        assertThat(delays(5, 10)).containsExactly(0L, 10L, 20L, 40L, 80L, -1L);
    }

    @Test
    void aServerThatRanLongEnoughHasItsDeathsForgiven() {
        assertThat(delays(RestartPolicy.STABLE, 10)).containsOnly(0L).hasSize(10);
    }

    @Test
    void aDeathAfterAStableRunStartsTheCountAgain() {
        Service s = new Service("x", 1, 0);
        RestartPolicy.delayAfterDeath(s, 1);
        s.startedAt = 1;
        assertThat(RestartPolicy.delayAfterDeath(s, 2)).isEqualTo(10);
        s.startedAt = 12;
        assertThat(RestartPolicy.delayAfterDeath(s, 12 + RestartPolicy.STABLE)).isZero();
        assertThat(s.quickDeaths).isEqualTo(1);
    }
}

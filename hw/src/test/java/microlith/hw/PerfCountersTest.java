package microlith.hw;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class PerfCountersTest {
    /** Every counter, including any added later, takes part in snapshots and differences. */
    @Test
    void copyAndSinceCoverEveryCounter() throws Exception {
        PerfCounters c = new PerfCounters();
        long v = 1;
        for (Field f : PerfCounters.class.getFields()) {
            if (f.getType() == long.class && !Modifier.isStatic(f.getModifiers())) {
                f.setLong(c, v++ * 1000);
            }
        }
        PerfCounters snap = c.copy();
        PerfCounters earlier = new PerfCounters();
        earlier.instructions = 1;
        PerfCounters d = c.since(earlier);
        for (Field f : PerfCounters.class.getFields()) {
            if (f.getType() == long.class && !Modifier.isStatic(f.getModifiers())) {
                assertThat(f.getLong(snap)).as(f.getName()).isEqualTo(f.getLong(c));
                assertThat(f.getLong(d)).as(f.getName())
                    .isEqualTo(f.getLong(c) - (f.getName().equals("instructions") ? 1 : 0));
            }
        }
        assertThat(d.cycles()).isEqualTo(c.cycles() - 1);
    }
}

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

    private static long sum(long[] b) {
        long s = 0;
        for (long v : b) {
            s += v;
        }
        return s;
    }

    /** Cycles go to the part named last; copies and idle time to theirs, whoever runs. */
    @Test
    void attributionSplitsCyclesByPartAndAddsUp() {
        PerfCounters c = new PerfCounters();
        c.attribute(PerfCounters.USER, 0);
        c.instructions += 40;
        c.syscalls++;
        // The SYSCALL that entered the kernel is the kernel's.
        c.attribute(PerfCounters.CORE, CostModel.SYSCALL);
        c.syscallDispatches++;
        c.bytesCopied += 4096;
        c.idleCycles += 7;
        long[] b = c.breakdown();
        assertThat(b[PerfCounters.USER]).isEqualTo(40);
        assertThat(b[PerfCounters.CORE]).isEqualTo(CostModel.SYSCALL + CostModel.SYSCALL_DISPATCH);
        assertThat(b[PerfCounters.COPIES]).isEqualTo(4096 / CostModel.BYTES_PER_CYCLE);
        assertThat(b[PerfCounters.IDLE]).isEqualTo(7);
        assertThat(sum(b)).isEqualTo(c.cycles());

        PerfCounters snap = c.copy();
        c.attribute(PerfCounters.SERVERS, 0);
        c.instructions += 10;
        c.ipcMessages++;
        c.attribute(PerfCounters.IPC, 0);
        c.cr3Writes++;
        c.tlbFlushes++;
        PerfCounters d = c.since(snap);
        long[] db = d.breakdown();
        assertThat(db[PerfCounters.SERVERS]).isEqualTo(10 + CostModel.IPC_MESSAGE);
        assertThat(db[PerfCounters.IPC]).isEqualTo(CostModel.TLB_FLUSH);
        assertThat(db[PerfCounters.USER]).isZero();
        assertThat(sum(db)).isEqualTo(d.cycles());
        assertThat(snap.breakdown()).isEqualTo(b);
    }

    /** A carry larger than the open period moves only that period. */
    @Test
    void aCarryNeverTakesCyclesFromClosedPeriods() {
        PerfCounters c = new PerfCounters();
        c.instructions += 5;
        c.attribute(PerfCounters.USER, 0);
        c.instructions += 3;
        c.attribute(PerfCounters.CORE, 1000);
        assertThat(c.breakdown()[PerfCounters.CORE]).isEqualTo(8);
        assertThat(c.breakdown()[PerfCounters.USER]).isZero();
        assertThat(sum(c.breakdown())).isEqualTo(c.cycles());
    }
}

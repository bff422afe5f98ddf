package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** /proc/cpuinfo and /proc/stat, as Linux lays them out, from what the machine reports. */
class ProcFilesTest {
    @Test
    void cpuinfoSaysWhatCpuidSays() {
        Cli r = Cli.run("run", "/bin/cat", "/proc/cpuinfo");
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("processor\t: 0\n", "vendor_id\t: AuthenticAMD\n",
            "model name\t: microlith simulated x86-64 CPU\n", "cpu MHz\t\t: 1000.000\n", "fpu\t\t: yes\n")
            .containsPattern("\nflags\t\t: fpu tsc msr pae cx8 pge cmov fxsr sse sse2 syscall nx lm( [a-z0-9_]+)*\n")
            .contains(" cx16", " popcnt", " lahf_lm").endsWith("\n\n");
    }

    @Test
    void statCountsTimeInUserHzAndProcesses() {
        Cli r = Cli.run("run", "/bin/sh", "-c", "cat /proc/stat; sleep 1; cat /proc/stat");
        assertThat(r.status).as(r.toString()).isZero();
        String[] stats = r.out.split("(?=cpu  )");
        assertThat(stats).hasSize(2);
        long[] first = times(stats[0]);
        long[] second = times(stats[1]);
        // One simulated second of sleep: about 100 ticks, nearly all idle.
        long elapsed = sum(second) - sum(first);
        assertThat(elapsed).isBetween(100L, 110L);
        assertThat(second[3] - first[3]).isBetween(95L, 105L);
        assertThat(stats[1]).containsPattern("\ncpu0 \\d+ 0 \\d+ \\d+ 0 0 0 0 0 0\n")
            .containsPattern("\nintr \\d+( \\d+){16}\n").containsPattern("\nctxt \\d+\n")
            .contains("\nbtime 1767225600\n").containsPattern("\nprocesses [3-9]\n")
            .containsPattern("\nprocs_running [1-9]\n");
    }

    private static long[] times(String stat) {
        String[] f = stat.lines().findFirst().orElseThrow().trim().split(" +");
        long[] t = new long[f.length - 1];
        for (int i = 1; i < f.length; i++) {
            t[i - 1] = Long.parseLong(f[i]);
        }
        return t;
    }

    private static long sum(long[] t) {
        long s = 0;
        for (long v : t) {
            s += v;
        }
        return s;
    }
}

package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Simulated time past 9.2 s (where cycles * 10^9 overflowed a long): long sleeps end,
 * uptime, clock_gettime and dmesg timestamps keep counting up.
 */
class ClockTest {
    @Test
    @Timeout(60)
    void longSleepsEndAndTimeKeepsCountingPastTheOldOverflow() {
        Cli r = Cli.run("run", "/bin/sh", "-c", "sleep 9; sleep 1; cat /proc/uptime; sleep 5; cat /proc/uptime;"
            + " insmod /lib/modules/6.1.0-microlith/kernel/hello.ko; dmesg | grep hello: | tail -1");
        assertThat(r.status).as(r.toString()).isZero();
        String[] lines = r.out.split("\n");
        double first = Double.parseDouble(lines[0].split(" ")[0]);
        double second = Double.parseDouble(lines[1].split(" ")[0]);
        assertThat(first).isBetween(10.0, 10.5);
        assertThat(second).isBetween(15.0, 15.5);
        assertThat(lines[2]).matches("\\[ *1[0-9]\\.\\d{6}\\] .*");
    }

    @Test
    @Timeout(60)
    void sleepTenReturns() {
        Cli r = Cli.run("run", "/bin/sleep", "10");
        assertThat(r.status).as(r.toString()).isZero();
    }

    /** 18446744074 s * 10^9 wraps a long to about 0.29 s: such a sleep must not end. */
    @Test
    @Timeout(60)
    void aSleepOfCenturiesDoesNotWrapIntoAShortOne() {
        Cli r = Cli.run("run", "--max-instructions=3000000", "/bin/sh", "-c", "sleep 18446744074 & sleep 2; kill $!;"
            + " wait $!; echo status=$?");
        assertThat(r.out).as(r.toString()).isEqualTo("status=143\n");
    }

    /** About 12 MB of output through a serial port takes 12 s of simulated time: past the old overflow. */
    @Test
    @Timeout(120)
    void largeOutputKeepsTheClockRight() {
        String line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz";
        Cli r = Cli.run("run", "/bin/sh", "-c", "yes " + line + " | head -n 160000; cat /proc/uptime >&2;"
            + " insmod /lib/modules/6.1.0-microlith/kernel/hello.ko; dmesg | tail -1 >&2");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.outBytes).hasSize(160_000 * (line.length() + 1));
        assertThat(r.out).startsWith(line + "\n" + line + "\n").endsWith(line + "\n");
        String[] err = r.err.split("\n");
        assertThat(Double.parseDouble(err[0].split(" ")[0])).isBetween(11.0, 14.0);
        assertThat(err[1]).matches("\\[ *1[1-3]\\.\\d{6}\\] hello: loaded at .*");
    }
}

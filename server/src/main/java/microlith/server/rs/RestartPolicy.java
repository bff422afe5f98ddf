package microlith.server.rs;

/**
 * When the reincarnation server restarts a service that died, on simulated time in
 * jiffies (HZ = 100). The first death is answered with an immediate restart, so that a
 * disk request in flight can be retried at once. A service that dies again soon after
 * each start waits twice as long each time (MINIX 3's RS backs off exponentially too),
 * and after {@link #GIVE_UP} such deaths in a row it is left down. A service that ran
 * for {@link #STABLE} jiffies has its earlier deaths forgiven.
 *
 * <pre>
 * death in a row   1    2      3      4      5      6
 * restart after    0   100ms  200ms  400ms  800ms  never (left down)
 * </pre>
 */
final class RestartPolicy {
    /** Jiffies between heartbeats (100 ms). */
    static final long PERIOD = 10;
    /** A service whose handler has run this long without replying is killed (300 ms). */
    static final long TIMEOUT_NS = 300_000_000L;
    /** Jiffies of running that forgive the deaths before (2 s). */
    static final long STABLE = 200;
    /** The first back-off, in jiffies (100 ms); it doubles with each further death. */
    static final long BACKOFF = 10;
    /** Deaths in a row after which the service is left down. */
    static final int GIVE_UP = 6;

    private RestartPolicy() {
    }

    /** Counts a death of s at now: jiffies to wait before starting it again (0: at once), or -1 to give up. */
    static long delayAfterDeath(Service s, long now) {
        if (now - s.startedAt >= STABLE) {
            s.quickDeaths = 0;
        }
        s.quickDeaths++;
        if (s.quickDeaths >= GIVE_UP) {
            return -1;
        }
        return s.quickDeaths == 1 ? 0 : BACKOFF << (s.quickDeaths - 2);
    }
}

package microlith.server.rs;

/** What the reincarnation server knows of one service (a loaded module's server). */
final class Service {
    enum State {
        /** Running, or to be restarted as soon as its death is seen. */
        UP,
        /** Stopped by {@code service down}: left alone until {@code service up}. */
        DOWN,
        /** Dead, waiting out its back-off before the next start. */
        RESTARTING,
        /** Died too often in a row: left down until {@code service up}. */
        FAILED
    }

    final String name;
    /** Which load of the module this is (the core numbers them). */
    final long load;
    State state = State.UP;
    long pid;
    /** Starts after a death or a {@code service restart} (not the first start, not {@code service up}). */
    int restarts;
    /** Deaths in a row, each soon after the start before it (the back-off counts these). */
    int quickDeaths;
    /** Jiffies of the last start. */
    long startedAt;
    /** Jiffies at which a RESTARTING service is started again. */
    long restartAt;
    /** The core's death count for it that this server has already acted on. */
    long deathsSeen;
    /** Heartbeats it answered. */
    long pings;
    /** Why it last died, in the core's words, or "-". */
    String reason = "-";

    Service(String name, long load, long now) {
        this.name = name;
        this.load = load;
        this.startedAt = now;
    }

    String stateName() {
        return state.name().toLowerCase();
    }
}

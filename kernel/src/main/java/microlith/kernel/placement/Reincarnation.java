package microlith.kernel.placement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import microlith.hw.CostModel;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.ipc.ServerImage;
import microlith.kernel.ipc.ServerProcess;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.task.Task;
import microlith.kernel.time.Timers;
import microlith.module.api.Errno;
import microlith.server.abi.Ipc;
import microlith.server.rs.ReincarnationServer;

/**
 * The core's side of the reincarnation server (MINIX 3's RS, whose logic runs at CPL 3
 * in {@link ReincarnationServer}): starts it at boot, gives it a clock (a heartbeat and
 * alarms on simulated time), carries out the kernel calls only it may make (K_RS_*),
 * tells it of deaths, forwards service(8)'s requests to it, and starts it again if it dies.
 *
 * <p>The heartbeat is where a server that never answers is caught. A server's handler
 * keeps the CPU until it replies (one host thread, migrating-thread IPC), so the core
 * cannot simply let RS run later: when the heartbeat comes due while a server's handler
 * holds the CPU (the runtime opens an interrupt window once a tick), the core lends the
 * CPU to RS at once, nested above that server, as MINIX 3 runs RS at a higher priority
 * than drivers. RS may then kill the server, which dies at its next window.
 */
public final class Reincarnation {
    static final String NAME = "rs";
    /** More deaths of RS than this within RS_DEATH_WINDOW jiffies and the core stops starting it. */
    private static final int RS_DEATHS = 3;
    private static final long RS_DEATH_WINDOW = 100;

    private final ServerPlacement p;
    private final KernelServices k;
    private final IpcCore ipc;
    private final ServerImage image;
    private ServerProcess rs;
    private ServerProcess deadRs;
    private Timers.Entry heartbeat;
    private long period;
    private final Timers.Entry alarm;
    private final Timers.Entry respawn;
    /** The server whose handler held the CPU when the heartbeat came ("running" in K_RS_STATUS). */
    private ServerProcess interrupted;
    private final Deque<Long> rsDeaths = new ArrayDeque<>();

    Reincarnation(ServerPlacement p, ServerImage image) {
        this.p = p;
        this.k = p.k;
        this.ipc = p.ipc;
        this.image = image;
        this.alarm = k.timers().create(() -> notifyRs(Ipc.RS_EVENT_ALARM));
        this.respawn = k.timers().create(this::respawn);
    }

    /** Starts the reincarnation server (at boot, in a model that has servers). False if it cannot run. */
    public boolean start() {
        ServerProcess s = image.spawn(NAME, new ReincarnationServer(k.cpu()), k.loader().budget());
        if (s == null) {
            k.log().err("rs: cannot start the reincarnation server (out of memory)");
            return false;
        }
        rs = s;
        return ipc.call(s, Ipc.INIT, new long[0], null, null)[0] == 0 && s.alive();
    }

    boolean isRs(ServerProcess s) {
        return s == rs;
    }

    private boolean available() {
        return rs != null && rs.alive() && !rs.busy() && rs.task.ipcReceive;
    }

    private void notifyRs(long events) {
        if (rs != null && rs.alive()) {
            ipc.notify(rs, 0, events);
        }
    }

    // ------------------------------------------------------------------ what the core tells RS

    /** A module's server died: RS hears of it when it next runs. */
    void serverDied() {
        notifyRs(Ipc.RS_EVENT_DIED);
    }

    /**
     * A request in flight met a dead driver (ServerDisk): RS acts on the death now, nested
     * in the request. True if the driver runs again, so the request can be sent again.
     */
    boolean restartNow(LoadedModule m) {
        if (!available()) {
            return false;
        }
        long r = ipc.call(rs, Ipc.RS_DIED, new long[0], m.name.getBytes(StandardCharsets.UTF_8), null)[0];
        ServerModule sm = p.instance(m);
        return r == 0 && sm != null && sm.s.alive();
    }

    private void beat() {
        k.timers().mod(heartbeat, k.clock().jiffies + period);
        if (!available()) {
            return;
        }
        Task t = k.sched().current();
        ServerProcess holder = t != null && t.serverBusy ? ipc.server(t) : null;
        if (holder == null) {
            notifyRs(Ipc.RS_EVENT_HEARTBEAT);
            return;
        }
        interrupted = holder;
        ipc.call(rs, Ipc.RS_HEARTBEAT, new long[0], null, null);
        interrupted = null;
    }

    // ------------------------------------------------------------------ RS itself

    /** RS died (a kill, or a bug): the core starts it again a tick later, unless it keeps dying. */
    void died(ServerProcess s) {
        if (s != rs) {
            return;
        }
        rs = null;
        deadRs = s;
        if (heartbeat != null) {
            k.timers().delete(heartbeat);
        }
        k.timers().delete(alarm);
        long now = k.clock().jiffies;
        rsDeaths.addLast(now);
        while (now - rsDeaths.peekFirst() > RS_DEATH_WINDOW) {
            rsDeaths.removeFirst();
        }
        if (rsDeaths.size() > RS_DEATHS) {
            k.log().emerg("rs: the reincarnation server died %d times within %d s: it is not started again; "
                + "servers that die now stay dead", rsDeaths.size(), RS_DEATH_WINDOW / 100);
            return;
        }
        k.log().err("rs: the reincarnation server [%d] died; the core starts it again", s.task.pid);
        k.timers().mod(respawn, now + 1);
    }

    /** A new RS from the same code; it learns the servers' state from the core, as at boot. */
    private void respawn() {
        if (deadRs != null) {
            image.destroy(deadRs);
            deadRs = null;
        }
        start();
    }

    // ------------------------------------------------------------------ service(8), through /sys/rs/services

    /** The services as RS lists them: {@code name pid state restarts pings reason}, one a line. */
    public String list() {
        if (!available()) {
            return "";
        }
        ipc.call(rs, Ipc.RS_LIST, new long[0], null, null);
        return new String(ipc.replyBytes(rs), StandardCharsets.UTF_8);
    }

    /** A command written to /sys/rs/services ("up|down|restart NAME") by caller: 0 or -errno. */
    public int control(String text, Task caller) {
        String[] w = text.trim().split("\\s+");
        if (w.length != 2 || !w[1].matches("[A-Za-z0-9_]{1,55}")) {
            return -Errno.EINVAL;
        }
        if (!available()) {
            return -Errno.EAGAIN;
        }
        long uid = caller == null ? 0 : caller.uid();
        return (int) ipc.call(rs, Ipc.RS_CONTROL, new long[] {uid},
            (w[0] + "\0" + w[1]).getBytes(StandardCharsets.UTF_8), null)[0];
    }

    // ------------------------------------------------------------------ RS's kernel calls

    long handle(int op, long[] mr, byte[] bytes, byte[][] out) {
        String[] args = new String(bytes, StandardCharsets.UTF_8).split("\0", -1);
        switch (op) {
            case Ipc.K_LOG:
                k.log().log((int) Math.max(0, Math.min(7, mr[0])), args[0]);
                return 0;
            case Ipc.K_JIFFIES:
                return k.clock().jiffies;
            case Ipc.K_RS_STATUS:
                out[0] = status().getBytes(StandardCharsets.UTF_8);
                return 0;
            case Ipc.K_RS_PING:
                return ping(args[0]);
            case Ipc.K_RS_KILL:
                return kill(args[0], args.length > 1 ? args[1] : "killed by rs");
            case Ipc.K_RS_START:
                return startServer(args[0]);
            case Ipc.K_RS_STOP: {
                LoadedModule m = supervised(args[0]);
                if (m == null) {
                    return -Errno.ENOENT;
                }
                p.stopServer(m);
                return 0;
            }
            case Ipc.K_RS_ALARM:
                k.timers().mod(alarm, mr[0]);
                return 0;
            case Ipc.K_RS_HEARTBEAT:
                if (heartbeat != null) {
                    k.timers().delete(heartbeat);
                }
                period = Math.max(1, mr[0]);
                heartbeat = k.timers().createDeferrable(this::beat);
                k.timers().mod(heartbeat, k.clock().jiffies + period);
                return 0;
            default:
                return -Errno.ENOSYS;
        }
    }

    private LoadedModule supervised(String name) {
        for (LoadedModule m : p.supervised()) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** {@code name pid alive generation deaths load busy_ns running reason} for each supervised module. */
    private String status() {
        StringBuilder sb = new StringBuilder();
        long now = k.cpu().perf.cycles();
        for (LoadedModule m : p.supervised()) {
            ServerModule sm = p.instance(m);
            boolean alive = sm != null && sm.s.alive();
            int[] h = p.history(m);
            long busy = alive && sm.s.busy() ? Math.max(1, CostModel.nanos(now - sm.s.busySince())) : 0;
            String reason = sm == null ? "-" : sm.s.killedBy() != null ? sm.s.killedBy()
                : sm.s.fault() != null ? sm.s.fault() : "-";
            sb.append(m.name).append(' ').append(alive ? sm.s.task.pid : 0).append(' ').append(alive ? 1 : 0)
                .append(' ').append(h[0]).append(' ').append(h[1]).append(' ').append(h[2]).append(' ').append(busy).append(' ')
                .append(sm != null && sm.s == interrupted ? 1 : 0).append(' ').append(reason.replace('\n', ' '))
                .append('\n');
        }
        return sb.toString();
    }

    private long ping(String name) {
        LoadedModule m = supervised(name);
        ServerModule sm = m == null ? null : p.instance(m);
        if (sm == null || !sm.s.alive()) {
            return -Errno.EIO;
        }
        if (sm.s.busy() || !sm.s.task.ipcReceive) {
            return -Errno.EBUSY;
        }
        long r = ipc.call(sm.s, Ipc.PING, new long[0], null, null)[0];
        return sm.s.alive() ? r : -Errno.EIO;
    }

    /** Kills a server: one running a handler dies at its next interrupt window, an idle one at once. */
    private long kill(String name, String why) {
        LoadedModule m = supervised(name);
        ServerModule sm = m == null ? null : p.instance(m);
        if (sm == null || !sm.s.alive()) {
            return -Errno.ESRCH;
        }
        if (!ipc.expire(sm.s, why)) {
            ipc.markKilled(sm.s, why);
            p.kill(sm);
        }
        return 0;
    }

    /** Starts a new instance of a supervised module's server: its pid, or -errno. */
    private long startServer(String name) {
        LoadedModule m = supervised(name);
        if (m == null) {
            return -Errno.ENOENT;
        }
        int r = p.startAgain(m);
        ServerModule sm = p.instance(m);
        return r != 0 ? r : sm == null ? -Errno.EIO : sm.s.task.pid;
    }
}

package microlith.server.rs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import microlith.hw.cpu.Cpu;
import microlith.hw.cpu.CpuException;
import microlith.hw.cpu.JavaCallGate;
import microlith.module.api.Errno;
import microlith.server.ServerIpc;
import microlith.server.abi.Ipc;

/**
 * The reincarnation server (MINIX 3's RS): a ring-3 server of its own, not a module's,
 * that keeps the servers of loaded modules running. The core tells it of deaths and gives
 * it a heartbeat; it decides, and carries out its decisions with kernel calls only it may
 * make (K_RS_*): restart a dead server from its .ko, after a back-off if it keeps dying
 * ({@link RestartPolicy}), or leave it down; ping every idle server each heartbeat, and
 * kill one whose handler has not answered for {@link RestartPolicy#TIMEOUT_NS}; carry out
 * service(8)'s up, down and restart for root, and list the services.
 */
public final class ReincarnationServer implements JavaCallGate.Routines {
    /** One line of K_RS_STATUS. */
    private record Status(String name, long pid, boolean alive, long deaths, long load, long busyNs,
                          boolean running, String reason) {
        static Status parse(String line) {
            String[] f = line.split(" ", 9);
            return new Status(f[0], Long.parseLong(f[1]), f[2].equals("1"), Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), f[7].equals("1"), f.length > 8 ? f[8] : "-");
        }
    }

    private static final String[] NONE = new String[0];

    private final ServerIpc ipc;
    /** By name, so that every walk over them is in the same order. */
    private final Map<String, Service> services = new TreeMap<>();

    public ReincarnationServer(Cpu cpu) {
        this.ipc = new ServerIpc(cpu);
    }

    @Override
    public void call(int id, Cpu c) {
        if (id == Ipc.RESUME) {
            ipc.resume();
        } else if (id == Ipc.HANDLE) {
            handle();
        } else {
            throw CpuException.ud();
        }
    }

    private void handle() {
        try {
            serve();
        } catch (CpuException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug in this server ends it as one in a C server would; the core starts it again.
            log(0, "rs: BUG: " + e);
            throw CpuException.ud();
        }
    }

    private void serve() {
        int label = ipc.label();
        long mr0 = ipc.mr(0);
        long mr1 = ipc.mr(1);
        String[] args = ipc.strings();
        long result = 0;
        String text = null;
        switch (label) {
            case Ipc.INIT:
                ipc.call(Ipc.K_RS_HEARTBEAT, NONE, RestartPolicy.PERIOD);
                log(6, String.format("rs: reincarnation server up: heartbeat every %d ms, a handler silent for %d ms "
                    + "is killed, a service that dies %d times in a row is left down", RestartPolicy.PERIOD * 10,
                    RestartPolicy.TIMEOUT_NS / 1_000_000, RestartPolicy.GIVE_UP));
                refresh(jiffies());
                break;
            case Ipc.NOTIFY:
                refresh(jiffies());
                if ((mr1 & Ipc.RS_EVENT_HEARTBEAT) != 0) {
                    heartbeat(jiffies());
                }
                break;
            case Ipc.RS_HEARTBEAT:
                refresh(jiffies());
                heartbeat(jiffies());
                break;
            case Ipc.RS_LIST:
                refresh(jiffies());
                text = table();
                break;
            case Ipc.RS_CONTROL:
                result = control(mr0, args[0], args.length > 1 ? args[1] : "");
                break;
            case Ipc.RS_DIED:
                result = driverDied(args[0]);
                break;
            default:
                result = -Errno.ENOSYS;
        }
        ipc.reply(label, text, result);
    }

    // ------------------------------------------------------------------ what the core says

    private long jiffies() {
        return ipc.call(Ipc.K_JIFFIES, NONE);
    }

    private void log(int level, String line) {
        ipc.call(Ipc.K_LOG, new String[] {line}, level);
    }

    private List<Status> status() {
        ipc.call(Ipc.K_RS_STATUS, NONE);
        List<Status> out = new ArrayList<>();
        for (String line : ipc.answer().split("\n")) {
            if (!line.isEmpty()) {
                out.add(Status.parse(line));
            }
        }
        return out;
    }

    private Status status(String name) {
        for (Status s : status()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Brings the table up to date with the core's: adopts new services, forgets unloaded
     * ones, acts on deaths it has not seen yet, and starts those whose back-off is over.
     */
    private void refresh(long now) {
        List<Status> all = status();
        List<String> names = new ArrayList<>();
        for (Status st : all) {
            names.add(st.name);
            Service s = services.get(st.name);
            if (s == null || s.load != st.load) {
                // New, or unloaded and loaded again since RS last looked: a service with no past.
                s = new Service(st.name, st.load, now);
                // A service that is already dead when first seen still has its death to be acted on.
                s.deathsSeen = st.alive ? st.deaths : st.deaths - 1;
                services.put(st.name, s);
            }
            s.pid = st.alive ? st.pid : 0;
            if (!st.alive) {
                s.reason = st.reason;
            }
            if (s.state == Service.State.UP && !st.alive && st.deaths > s.deathsSeen) {
                s.deathsSeen = st.deaths;
                died(s, now);
            } else if (s.state == Service.State.RESTARTING && now - s.restartAt >= 0) {
                start(s, now, true);
            }
        }
        services.keySet().retainAll(names);
    }

    /** A death: restart now, after a back-off, or give up ({@link RestartPolicy}). */
    private void died(Service s, long now) {
        long delay = RestartPolicy.delayAfterDeath(s, now);
        if (delay < 0) {
            s.state = Service.State.FAILED;
            log(3, String.format("rs: %s died %d times in a row, each within %d s of starting: giving up; it "
                + "stays down until 'service up %s'", s.name, s.quickDeaths, RestartPolicy.STABLE / 100, s.name));
        } else if (delay == 0) {
            start(s, now, true);
        } else {
            s.state = Service.State.RESTARTING;
            s.restartAt = now + delay;
            ipc.call(Ipc.K_RS_ALARM, NONE, s.restartAt);
            log(4, String.format("rs: %s died again (%d in a row): restarting it in %d ms", s.name, s.quickDeaths,
                delay * 10));
        }
    }

    /** Starts s from its .ko; a failed start counts as one more death. */
    private void start(Service s, long now, boolean restart) {
        s.startedAt = now;
        long r = ipc.call(Ipc.K_RS_START, new String[] {s.name});
        Status st = status(s.name);
        if (st != null) {
            s.deathsSeen = st.deaths;
        }
        if (r > 0) {
            s.state = Service.State.UP;
            s.pid = r;
            if (restart) {
                s.restarts++;
            }
            log(5, String.format("rs: %s %s (pid %d%s)", s.name, restart ? "restarted" : "started", r,
                restart ? ", restart " + s.restarts : ""));
            return;
        }
        log(3, String.format("rs: %s: start failed (error %d)", s.name, r));
        s.state = Service.State.UP;
        s.pid = 0;
        died(s, now);
    }

    // ------------------------------------------------------------------ the heartbeat

    /**
     * Pings every idle service that is up; one whose handler is running and has not
     * answered for longer than the timeout is killed (its death then restarts it).
     */
    private void heartbeat(long now) {
        for (Status st : status()) {
            Service s = services.get(st.name);
            if (s == null || s.state != Service.State.UP || !st.alive) {
                continue;
            }
            if (st.busyNs > 0) {
                if (st.running && st.busyNs > RestartPolicy.TIMEOUT_NS) {
                    String why = String.format("killed by rs: no answer to its heartbeat for %d ms",
                        st.busyNs / 1_000_000);
                    log(4, String.format("rs: %s [%d] has not answered for %d ms: killing it", s.name, st.pid,
                        st.busyNs / 1_000_000));
                    ipc.call(Ipc.K_RS_KILL, new String[] {s.name, why});
                }
                continue;
            }
            if (ipc.call(Ipc.K_RS_PING, new String[] {s.name}) == 0) {
                s.pings++;
            }
        }
        refresh(now);
    }

    // ------------------------------------------------------------------ service(8)

    private long control(long uid, String op, String name) {
        long now = jiffies();
        refresh(now);
        if (uid != 0) {
            return -Errno.EPERM;
        }
        Service s = services.get(name);
        if (s == null) {
            return -Errno.ENOENT;
        }
        boolean alive = s.pid > 0;
        switch (op) {
            case "down":
                if (s.state == Service.State.DOWN) {
                    return -Errno.EALREADY;
                }
                ipc.call(Ipc.K_RS_STOP, new String[] {name});
                s.state = Service.State.DOWN;
                s.pid = 0;
                log(5, String.format("rs: %s stopped (service down)", name));
                return 0;
            case "up":
                if (s.state == Service.State.UP && alive) {
                    return -Errno.EALREADY;
                }
                s.quickDeaths = 0;
                start(s, now, false);
                return s.pid > 0 ? 0 : -Errno.EIO;
            case "restart":
                if (alive) {
                    ipc.call(Ipc.K_RS_STOP, new String[] {name});
                }
                s.quickDeaths = 0;
                start(s, now, true);
                return s.pid > 0 ? 0 : -Errno.EIO;
            default:
                return -Errno.EINVAL;
        }
    }

    /** A disk request is waiting for a driver that died: act on the death now. 0 if it runs again. */
    private long driverDied(String name) {
        refresh(jiffies());
        Service s = services.get(name);
        return s != null && s.state == Service.State.UP && s.pid > 0 ? 0 : -Errno.EIO;
    }

    /** {@code name pid state restarts reason}, one service a line, by name. */
    private String table() {
        StringBuilder sb = new StringBuilder();
        for (Service s : services.values()) {
            sb.append(s.name).append(' ').append(s.pid).append(' ').append(s.stateName()).append(' ')
                .append(s.restarts).append(' ').append(s.pings).append(' ').append(s.reason).append('\n');
        }
        return sb.toString();
    }
}

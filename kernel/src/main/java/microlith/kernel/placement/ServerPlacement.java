package microlith.kernel.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import microlith.kernel.arch.Pic;
import microlith.kernel.fs.Owner;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.ipc.ServerImage;
import microlith.kernel.ipc.ServerProcess;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.task.ContextSwitch;
import microlith.kernel.task.WaitQueue;
import microlith.kernel.time.Clock;
import microlith.kernel.time.Timers;
import microlith.kernel.uts.Utsname;
import microlith.module.api.Errno;
import microlith.server.ServerRuntime;
import microlith.server.abi.Ipc;

/**
 * Ring 3: the module runs as a server process of its own (the microkernel model, and the
 * modules the hybrid model places in user space). The loader's linked classes are handed
 * to a {@link ServerRuntime}, which constructs the module inside the server at its first
 * request (INIT); from then on the core reaches the module only by IPC, and the module
 * reaches the core only by system calls ({@link ServerCalls}).
 *
 * <p>A module keeps its place in the kernel (struct module, its text, its parameters, who
 * uses it) while its server comes and goes: the reincarnation server can start a new
 * instance from the same .ko, with fresh classes and fresh state, after the last one died
 * or was stopped ({@link #startAgain}, {@link #stopServer}). What an instance registered
 * goes with it, except what the rest of the system holds on to across instances: a disk
 * ({@link ServerDisk}, whose requests in flight are retried) and an exported function
 * (its address stays; the new instance serves it once it exports the name again).
 */
public final class ServerPlacement implements ModuleLoader.Placement {
    final KernelServices k;
    final IpcCore ipc;
    final Pic pic;
    final ContextSwitch switcher;
    private final ServerImage image;
    private final Map<LoadedModule, ServerModule> byModule = new HashMap<>();
    private final Map<ServerProcess, ServerModule> byProcess = new HashMap<>();
    /** Disks server drivers registered, by module and name: they outlive an instance. */
    private final Map<LoadedModule, Map<String, ServerDisk>> disks = new HashMap<>();
    /** Functions servers exported, by name: the instance and function id serving each now. */
    private final Map<String, Export> exports = new HashMap<>();
    /**
     * Per module: instances started and deaths since it was loaded, and the number of its
     * load (a module unloaded and loaded again under the same name is a new service).
     */
    private final Map<LoadedModule, int[]> history = new LinkedHashMap<>();
    private int loads;
    private final ServerCalls calls;
    private final Reincarnation reincarnation;

    /** An exported function: which instance serves it, under which function id. */
    record Export(ServerModule sm, long fn) {
    }

    public ServerPlacement(KernelServices k, IpcCore ipc, ServerImage image, Pic pic, ContextSwitch switcher) {
        this.k = k;
        this.ipc = ipc;
        this.image = image;
        this.pic = pic;
        this.switcher = switcher;
        this.calls = new ServerCalls(this);
        this.reincarnation = new Reincarnation(this, image);
        ipc.setDeathListener(this::died);
    }

    /** The core's handler for servers' kernel calls: the reincarnation server's, or a module's. */
    public IpcCore.KernelCalls kernelCalls() {
        return (s, op, mr, bytes, out) -> reincarnation.isRs(s) ? reincarnation.handle(op, mr, bytes, out)
            : calls.handle(s, op, mr, bytes, out);
    }

    public Reincarnation reincarnation() {
        return reincarnation;
    }

    ServerCalls calls() {
        return calls;
    }

    ServerModule of(ServerProcess s) {
        return byProcess.get(s);
    }

    /** The instance of m that runs (or last ran), or null. */
    ServerModule instance(LoadedModule m) {
        return byModule.get(m);
    }

    /** {instances started, deaths, load number} of m since it was loaded. */
    int[] history(LoadedModule m) {
        return history.computeIfAbsent(m, x -> new int[] {0, 0, ++loads});
    }

    Map<String, Export> exports() {
        return exports;
    }

    @Override
    public String name() {
        return "server";
    }

    /** Bytes each module running as a server holds in its heap (its kmalloc), by module name. */
    public java.util.SortedMap<String, Long> heapBytes() {
        java.util.SortedMap<String, Long> r = new java.util.TreeMap<>();
        for (ServerModule sm : byModule.values()) {
            r.put(sm.m.name, sm.rt.heapBytes());
        }
        return r;
    }

    @Override
    public int start(LoadedModule m, Map<String, byte[]> linked) {
        ServerModule sm = spawn(m, linked);
        return sm == null ? -Errno.ENOMEM : init(sm);
    }

    /** A new server process for m with linked as its classes; null without memory or pids. */
    private ServerModule spawn(LoadedModule m, Map<String, byte[]> linked) {
        ModuleLoader loader = k.loader();
        ServerRuntime rt = new ServerRuntime(k.cpu(), m.name, Utsname.RELEASE, Clock.HZ,
            () -> loader.instantiate(m) == 0 ? m.instance : null);
        loader.defineClasses(m, linked, rt.meter(), rt.context());
        ServerProcess s = image.spawn(m.name, rt, loader.budget());
        if (s == null) {
            return null;
        }
        m.serverPid = s.task.pid;
        Owner owner = new Owner() {
            @Override
            public boolean get() {
                return loader.get(m);
            }

            @Override
            public void put() {
                loader.put(m);
            }
        };
        ServerModule sm = new ServerModule(m, s, owner, rt);
        sm.bounce = k.kmalloc().alloc(ServerModule.BOUNCE, m);
        byModule.put(m, sm);
        byProcess.put(s, sm);
        history(m)[0]++;
        return sm;
    }

    /** Runs the instance's INIT: 0, or the errno its failure stands for. */
    private int init(ServerModule sm) {
        if (sm.bounce == 0) {
            return -Errno.ENOMEM;
        }
        long r = ipc.call(sm.s, Ipc.INIT, new long[0], null, null)[0];
        if (r > 0) {
            k.log().warn("%s: 'init' suspiciously returned %d, it should follow 0/-E convention", sm.m.name, r);
            return 0;
        }
        return (int) sm.failure(r);
    }

    @Override
    public void stop(LoadedModule m) {
        ServerModule sm = byModule.get(m);
        if (sm != null && sm.s.alive()) {
            ipc.call(sm.s, Ipc.EXIT, new long[0], null, null);
        }
    }

    @Override
    public void release(LoadedModule m) {
        ServerModule sm = byModule.get(m);
        if (sm != null) {
            retire(sm);
        }
        disks.remove(m);
        exports.values().removeIf(e -> e.sm().m == m);
        history.remove(m);
        m.serverPid = 0;
    }

    // ------------------------------------------------------------------ instances come and go

    /**
     * Starts a new instance of m from its .ko (classes linked afresh, so no state of the last
     * instance survives, not even its static fields) and runs its init. The last instance,
     * dead or stopped, is retired first. 0, or init's errno with the new instance retired.
     */
    int startAgain(LoadedModule m) {
        ServerModule old = byModule.get(m);
        if (old != null && old.s.alive()) {
            return -Errno.EALREADY;
        }
        if (old != null) {
            retire(old);
        }
        ServerModule sm = spawn(m, k.loader().relink(m));
        if (sm == null) {
            return -Errno.ENOMEM;
        }
        int r = init(sm);
        if (r != 0) {
            retire(sm);
            return r;
        }
        // A disk the last instance had and this one did not register again goes away now.
        Map<String, ServerDisk> held = disks.getOrDefault(m, Map.of());
        for (ServerDisk d : new ArrayList<>(held.values())) {
            if (!d.boundTo(sm)) {
                held.remove(d.name);
                k.blockdevs().unregister(d.name);
                k.loader().unregistered(m, "blkdev:" + d.name);
            }
        }
        return 0;
    }

    /** Stops m's server: its exit runs if it is alive, then the instance is retired. */
    void stopServer(LoadedModule m) {
        ServerModule sm = byModule.get(m);
        if (sm == null) {
            return;
        }
        if (sm.s.alive()) {
            ipc.call(sm.s, Ipc.EXIT, new long[0], null, null);
        }
        retire(sm);
    }

    /**
     * Retires an instance: what it registered is undone (its disks stay, unbound, for the
     * next instance), its timers deleted, the processes waiting on its queues woken (their
     * calls run again and find it gone), its kernel buffer freed and its process removed.
     */
    private void retire(ServerModule sm) {
        LoadedModule m = sm.m;
        if (byModule.get(m) == sm) {
            List<LoadedModule.Registration> regs = new ArrayList<>(m.registrations);
            java.util.Collections.reverse(regs);
            for (LoadedModule.Registration r : regs) {
                if (!r.what().startsWith("blkdev:")) {
                    r.undo().run();
                    m.registrations.remove(r);
                }
            }
            byModule.remove(m);
            m.serverPid = 0;
        }
        for (ServerDisk d : disks.getOrDefault(m, Map.of()).values()) {
            if (d.boundTo(sm)) {
                d.unbind();
            }
        }
        for (Timers.Entry e : sm.timers.values()) {
            k.timers().delete(e);
        }
        sm.timers.clear();
        wakeWaiters(sm);
        if (sm.bounce != 0) {
            k.kmalloc().free(sm.bounce);
            sm.bounce = 0;
        }
        byProcess.remove(sm.s);
        image.destroy(sm.s);
    }

    private void wakeWaiters(ServerModule sm) {
        for (WaitQueue q : sm.queues.values()) {
            q.wakeAll(k.sched());
        }
    }

    /** IpcCore's death listener: a module's server died, or the reincarnation server did. */
    private void died(ServerProcess s) {
        ServerModule sm = byProcess.get(s);
        if (sm == null) {
            reincarnation.died(s);
            return;
        }
        wakeWaiters(sm);
        history(sm.m)[1]++;
        reincarnation.serverDied();
    }

    // ------------------------------------------------------------------ what outlives an instance

    /**
     * register_blkdev from an instance: the disk this module registered under the name
     * before is bound to the new instance; otherwise a new disk is registered.
     */
    int registerDisk(ServerModule sm, String name, long id) {
        Map<String, ServerDisk> held = disks.computeIfAbsent(sm.m, x -> new HashMap<>());
        ServerDisk d = held.get(name);
        if (d != null) {
            d.bind(sm, id);
            return 0;
        }
        d = new ServerDisk(this, sm.m, name);
        d.bind(sm, id);
        int r = k.blockdevs().register(name, d, sm.owner);
        if (r == 0) {
            held.put(name, d);
            k.loader().registered(sm.m, "blkdev:" + name, () -> {
                held.remove(name);
                k.blockdevs().unregister(name);
            });
        }
        return r;
    }

    /** A live module whose code runs in a server (what the reincarnation server looks after). */
    List<LoadedModule> supervised() {
        List<LoadedModule> out = new ArrayList<>();
        for (LoadedModule m : k.loader().list()) {
            if (m.placement == this && k.loader().stateName(m).equals("live")) {
                out.add(m);
            }
        }
        return out;
    }

    /** Kills a server process at once (SIGKILL): it dies as any process does. */
    void kill(ServerModule sm) {
        image.kill(sm.s);
    }
}

package microlith.kernel.placement;

import java.util.HashMap;
import java.util.Map;
import microlith.kernel.arch.Pic;
import microlith.kernel.fs.Owner;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.ipc.ServerImage;
import microlith.kernel.ipc.ServerProcess;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.task.ContextSwitch;
import microlith.kernel.time.Clock;
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
 */
public final class ServerPlacement implements ModuleLoader.Placement {
    final KernelServices k;
    final IpcCore ipc;
    final Pic pic;
    final ContextSwitch switcher;
    private final ServerImage image;
    private final Map<LoadedModule, ServerModule> byModule = new HashMap<>();
    private final Map<ServerProcess, ServerModule> byProcess = new HashMap<>();
    private final ServerCalls calls;

    public ServerPlacement(KernelServices k, IpcCore ipc, ServerImage image, Pic pic, ContextSwitch switcher) {
        this.k = k;
        this.ipc = ipc;
        this.image = image;
        this.pic = pic;
        this.switcher = switcher;
        this.calls = new ServerCalls(this);
    }

    /** The core's handler for servers' kernel calls. */
    public IpcCore.KernelCalls kernelCalls() {
        return calls::handle;
    }

    ServerCalls calls() {
        return calls;
    }

    ServerModule of(ServerProcess s) {
        return byProcess.get(s);
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
        ModuleLoader loader = k.loader();
        ServerRuntime rt = new ServerRuntime(k.cpu(), m.name, Utsname.RELEASE, Clock.HZ,
            () -> loader.instantiate(m) == 0 ? m.instance : null);
        loader.defineClasses(m, linked, rt.meter());
        ServerProcess s = image.spawn(m.name, rt, loader.budget());
        if (s == null) {
            return -Errno.ENOMEM;
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
        if (sm.bounce == 0) {
            return -Errno.ENOMEM;
        }
        long r = ipc.call(s, Ipc.INIT, new long[0], null, null)[0];
        if (r > 0) {
            k.log().warn("%s: 'init' suspiciously returned %d, it should follow 0/-E convention", m.name, r);
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
        ServerModule sm = byModule.remove(m);
        if (sm == null) {
            return;
        }
        byProcess.remove(sm.s);
        for (microlith.kernel.time.Timers.Entry e : sm.timers.values()) {
            k.timers().delete(e);
        }
        image.destroy(sm.s);
        m.serverPid = 0;
    }
}

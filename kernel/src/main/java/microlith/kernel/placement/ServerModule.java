package microlith.kernel.placement;

import java.util.HashMap;
import java.util.Map;
import microlith.kernel.fs.Owner;
import microlith.kernel.ipc.Grant;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.ipc.ServerProcess;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.task.WaitQueue;
import microlith.kernel.time.Timers;
import microlith.module.api.Errno;
import microlith.module.api.KernelFunction;

/**
 * The core's record of one module running as a server: its process, what it created
 * through kernel calls (wait queues, timers, resolved symbols), the failure it reported,
 * and a kernel buffer the core lends it (through grants) for data it returns.
 */
final class ServerModule {
    /** Bytes of the kernel buffer lent for file data, directory listings and /proc text. */
    static final int BOUNCE = 64 * 1024;

    final LoadedModule m;
    final ServerProcess s;
    final Owner owner;
    /** The server's runtime: its heap is the module's kmalloc. */
    final microlith.server.ServerRuntime rt;
    final Map<Long, WaitQueue> queues = new HashMap<>();
    final Map<Long, Timers.Entry> timers = new HashMap<>();
    final Map<Long, KernelFunction> symbols = new HashMap<>();
    long nextQueue = 1;
    long nextSymbol = 1;
    /** What the server said before it failed: 1 an exception, 2 the watchdog, 0 nothing. */
    int faultKind;
    long bounce;

    ServerModule(LoadedModule m, ServerProcess s, Owner owner, microlith.server.ServerRuntime rt) {
        this.m = m;
        this.s = s;
        this.owner = owner;
        this.rt = rt;
    }

    /** The errno a failed request reports: a server that died of an exception or a fault, as an oops would. */
    long failure(long r) {
        if (r == -Errno.EIO && !s.alive()) {
            return faultKind == 2 ? -Errno.ETIME : -Errno.EFAULT;
        }
        return r;
    }

    /** A request whose data goes through the kernel buffer: the grant lends it for this call. */
    Grant lend(IpcCore ipc, long length, boolean serverWrites) {
        return ipc.grant(null, bounce, Math.min(length, BOUNCE), !serverWrites, serverWrites);
    }
}

package microlith.kernel.placement;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import microlith.kernel.fs.ProcEntries;
import microlith.kernel.ipc.Grant;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.ipc.ServerProcess;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.task.Task;
import microlith.kernel.task.WaitQueue;
import microlith.kernel.time.Timers;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.KernelFunction;
import microlith.module.api.ModuleParam;
import microlith.server.abi.Ipc;

/**
 * The core's side of the module ABI for servers: each kernel call a server makes (the
 * K_* labels of {@link Ipc}) does what the same SDK call does for a module in the kernel,
 * with the checks a process's request deserves: resources only as the module's manifest
 * declares them, grants only for the server they were made for, queues and timers only
 * those it created.
 */
final class ServerCalls {
    private final ServerPlacement p;
    private final KernelServices k;
    private final IpcCore ipc;
    /** Block devices lent to filesystems in servers (K_BLK_*), by handle. */
    private final Map<Long, BlockDevice> devices = new HashMap<>();
    private long nextDevice = 1;

    ServerCalls(ServerPlacement p) {
        this.p = p;
        this.k = p.k;
        this.ipc = p.ipc;
    }

    /** A handle a filesystem server uses for the device it is mounted on. */
    long lendDevice(BlockDevice d) {
        long h = nextDevice++;
        devices.put(h, d);
        return h;
    }

    private static String[] strings(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).split("\0", -1);
    }

    private static String str(byte[] b) {
        return strings(b)[0];
    }

    long handle(ServerProcess s, int op, long[] mr, byte[] bytes, byte[][] out) {
        ServerModule sm = p.of(s);
        if (sm == null) {
            return -Errno.ESRCH;
        }
        LoadedModule m = sm.m;
        ModuleLoader loader = k.loader();
        switch (op) {
            case Ipc.K_LOG:
                k.log().log((int) Math.max(0, Math.min(7, mr[0])), str(bytes));
                return 0;
            case Ipc.K_COPY_FROM_GRANT:
                return ipc.copy(s, mr[0], mr[1], mr[2], mr[3], false);
            case Ipc.K_COPY_TO_GRANT:
                return ipc.copy(s, mr[0], mr[1], mr[2], mr[3], true);
            case Ipc.K_PARAM:
                return param(sm, mr, strings(bytes), out);
            case Ipc.K_PARAM_GET: {
                LoadedModule.Param prm = m.params.get(str(bytes));
                out[0] = (prm == null ? "" : show(prm.value)).getBytes(StandardCharsets.UTF_8);
                return prm == null ? -Errno.ENOENT : 0;
            }
            case Ipc.K_JIFFIES:
                return k.clock().jiffies;
            case Ipc.K_KILL_PGRP:
                return k.signals().killProcessGroup((int) mr[0], (int) mr[1]);
            case Ipc.K_PGRP_SESSION: {
                int sid = k.signals().sessionOfProcessGroup((int) mr[0]);
                return sid < 0 ? -Errno.ESRCH : sid;
            }
            case Ipc.K_PGRP_ORPHANED:
                return k.signals().isOrphanedProcessGroup((int) mr[0]) ? 1 : 0;
            case Ipc.K_SIG_IGNORED: {
                // Only about the client this server is serving, as is_ignored asks of current.
                Task client = ipc.clientOf(s);
                return client != null && mr[0] > 0 && mr[0] < Task.NSIG && k.signals().ignoresOrBlocks(client, (int) mr[0])
                    ? 1 : 0;
            }
            case Ipc.K_FAULT:
                return fault(sm, (int) mr[0], str(bytes));
            default:
                break;
        }
        if (op >= Ipc.K_CHRDEV_REGION && op <= Ipc.K_DEVICE_DESTROY) {
            return ServerDevices.call(p, sm, op, mr, str(bytes));
        }
        switch (op) {
            case Ipc.K_PROC_CREATE:
                return procCreate(sm, mr[0], str(bytes));
            case Ipc.K_PROC_REMOVE:
                k.procEntries().remove(str(bytes));
                loader.unregistered(m, "proc:" + str(bytes));
                return 0;
            case Ipc.K_REQUEST_REGION:
                return region(sm, (int) mr[0], (int) mr[1], str(bytes));
            case Ipc.K_RELEASE_REGION:
                return releaseRegion(sm, (int) mr[0], (int) mr[1]);
            case Ipc.K_REQUEST_IRQ:
                return irq(sm, (int) mr[0], str(bytes));
            case Ipc.K_FREE_IRQ:
                if (m.registrations.stream().anyMatch(r -> r.what().equals("irq:" + mr[0]))) {
                    k.irqs().free((int) mr[0]);
                    loader.unregistered(m, "irq:" + mr[0]);
                }
                return 0;
            case Ipc.K_IRQ_ACK:
                if (m.registrations.stream().anyMatch(r -> r.what().equals("irq:" + mr[0]))) {
                    p.pic.setMasked((int) mr[0], false);
                }
                return 0;
            case Ipc.K_TIMER_CREATE: {
                long id = mr[0];
                Timers.Entry e = k.timers().create(() -> ipc.notify(s, 0, 1L << id));
                sm.timers.put(id, e);
                return 0;
            }
            case Ipc.K_TIMER_MOD: {
                Timers.Entry e = sm.timers.get(mr[0]);
                if (e == null) {
                    return -Errno.EINVAL;
                }
                k.timers().mod(e, mr[1]);
                return 0;
            }
            case Ipc.K_TIMER_DEL: {
                Timers.Entry e = sm.timers.get(mr[0]);
                return e != null && k.timers().delete(e) ? 1 : 0;
            }
            default:
                break;
        }
        if (op >= Ipc.K_WQ_CREATE && op <= Ipc.K_WQ_POLL) {
            return waitQueue(sm, op, mr[0]);
        }
        switch (op) {
            case Ipc.K_EXPORT:
                return export(sm, mr[0], mr[1] != 0, str(bytes));
            case Ipc.K_SYMBOL:
                return symbol(sm, str(bytes));
            case Ipc.K_SYMBOL_ADDRESS:
                return symbolAddress(sm, str(bytes));
            case Ipc.K_SYM_CALL: {
                KernelFunction f = sm.symbols.get(mr[0]);
                return f == null ? -Errno.EINVAL : f.call(mr[1], mr[2], mr[3], mr[4], mr[5], mr[6]);
            }
            default:
                break;
        }
        if (op >= Ipc.K_BLKDEV_REGISTER && op <= Ipc.K_FS_UNREGISTER) {
            return ServerDevices.call(p, sm, op, mr, str(bytes));
        }
        if (op >= Ipc.K_BLK_SECTORS && op <= Ipc.K_BLK_FLUSH) {
            return blockIo(sm, op, mr);
        }
        return -Errno.ENOSYS;
    }

    private static String show(Object v) {
        return v instanceof Boolean ? ((Boolean) v ? "Y" : "N") : String.valueOf(v);
    }

    /** module_param declared in a server: the core keeps the value, as for any module. */
    private long param(ServerModule sm, long[] mr, String[] s, byte[][] out) {
        String name = s[0];
        String desc = s.length > 1 ? s[1] : "";
        String dflt = s.length > 2 ? s[2] : "";
        try {
            ModuleParam<?> prm;
            switch ((int) mr[0]) {
                case 0: prm = Params.paramLong(k.log(), sm.m, name, Long.decode(dflt), (int) mr[1], desc); break;
                case 2: prm = Params.paramBool(k.log(), sm.m, name, dflt.equals("Y"), (int) mr[1], desc); break;
                default: prm = Params.paramString(sm.m, name, dflt, (int) mr[1], desc);
            }
            out[0] = show(prm.get()).getBytes(StandardCharsets.UTF_8);
            return 0;
        } catch (ModuleLoader.BadParameter | NumberFormatException e) {
            return -Errno.EINVAL;
        }
    }

    /** K_FAULT: the server's own report before it raises #UD, in the words the kernel would use. */
    private long fault(ServerModule sm, int kind, String what) {
        sm.faultKind = kind;
        ipc.faulted(sm.s, what);
        Task t = ipc.clientOf(sm.s);
        if (kind == 2) {
            k.log().emerg("watchdog: BUG: soft lockup - CPU#0 stuck for %ds! [%s:%d]",
                Math.max(1, k.loader().budget() / 1_000_000_000L), t == null ? "swapper/0" : t.comm, t == null ? 0 : t.pid);
            k.log().emerg("RIP: 0033:%s [%s]", what.replaceFirst(" .*", ""), sm.m.name);
        } else {
            k.log().emerg("BUG: %s", what);
            k.log().emerg("%s: server [%d] fails: the exception ends it (ud2)", sm.m.name, sm.s.task.pid);
        }
        return 0;
    }

    private long procCreate(ServerModule sm, long id, String name) {
        ProcEntries entries = k.procEntries();
        if (name.isEmpty() || name.contains("/") || !entries.add(name, () -> {
            Grant g = sm.lend(ipc, ServerModule.BOUNCE, true);
            long n = ipc.call(sm.s, Ipc.PROC_SHOW, new long[] {id, g.id(), g.base(), g.length()}, null, g)[0];
            if (n <= 0) {
                return "";
            }
            byte[] b = new byte[(int) n];
            k.cpu().memory().readBytes(microlith.kernel.mm.Layout.pa(sm.bounce), b, 0, b.length);
            return new String(b, StandardCharsets.UTF_8);
        })) {
            return -Errno.EEXIST;
        }
        k.loader().registered(sm.m, "proc:" + name, () -> entries.remove(name));
        return 0;
    }

    /** request_region: declared ports only; they open in the server's I/O bitmap. */
    private long region(ServerModule sm, int start, int n, String name) {
        if (!sm.m.ko.declaresPorts(start, n)) {
            k.log().err("%s: request_region 0x%x-0x%x: not declared in Module-Ports", sm.m.name, start, start + n - 1);
            return -Errno.EPERM;
        }
        if (!k.ioports().request(start, n, name)) {
            return -Errno.EBUSY;
        }
        int[] range = {start, start + n - 1};
        Task t = sm.s.task;
        t.ioPorts.add(range);
        p.switcher.portsChanged(t, range[0], range[1], true);
        k.loader().registered(sm.m, "region:" + start, () -> {
            t.ioPorts.remove(range);
            p.switcher.portsChanged(t, range[0], range[1], false);
            k.ioports().release(start);
        });
        return 0;
    }

    private long releaseRegion(ServerModule sm, int start, int n) {
        for (LoadedModule.Registration r : sm.m.registrations) {
            if (r.what().equals("region:" + start)) {
                r.undo().run();
                k.loader().unregistered(sm.m, r.what());
                break;
            }
        }
        return 0;
    }

    /**
     * request_irq: a declared line becomes a notification. When it fires the core masks it
     * and notifies the server, which acknowledges (K_IRQ_ACK) after its handler ran, and
     * only then is the line unmasked.
     */
    private long irq(ServerModule sm, int line, String name) {
        if (!sm.m.ko.irqs.contains(line)) {
            k.log().err("%s: request_irq %d: not declared in Module-Irqs", sm.m.name, line);
            return -Errno.EPERM;
        }
        int r = k.irqs().request(line, l -> {
            p.pic.setMasked(l, true);
            ipc.notify(sm.s, 1L << l, 0);
            return true;
        }, name);
        if (r == 0) {
            k.loader().registered(sm.m, "irq:" + line, () -> k.irqs().free(line));
        }
        return r;
    }

    /**
     * Wait queues live in the core. Blocking parks the server's client (the task whose call
     * the server is serving) and returns -ERESTARTSYS, which the reply carries back.
     */
    private long waitQueue(ServerModule sm, int op, long id) {
        if (op == Ipc.K_WQ_CREATE) {
            long q = sm.nextQueue++;
            sm.queues.put(q, new WaitQueue());
            return q;
        }
        WaitQueue q = sm.queues.get(id);
        if (q == null) {
            return -Errno.EINVAL;
        }
        Task client = ipc.clientOf(sm.s);
        switch (op) {
            case Ipc.K_WQ_BLOCK:
                if (client != null) {
                    q.add(client);
                    k.sched().sleep(client);
                }
                return -Errno.ERESTARTSYS;
            case Ipc.K_WQ_WAKE:
                q.wakeAll(k.sched());
                return 0;
            case Ipc.K_WQ_WAITERS:
                return q.isEmpty() ? 0 : 1;
            default:
                if (client != null) {
                    q.add(client);
                }
                return 0;
        }
    }

    /** EXPORT_SYMBOL in a server: the symbol's address is a core trampoline that calls the server. */
    private long export(ServerModule sm, long fn, boolean gpl, String name) {
        ModuleLoader loader = k.loader();
        if (loader.symbols.find(name) != null) {
            k.log().err("%s: exports duplicate symbol %s (owned by %s)", sm.m.name, name,
                loader.symbols.find(name).owner() == null ? "kernel" : loader.symbols.find(name).owner().name);
            k.log().warn("%s: Unknown symbol %s (duplicate export) (err -2)", sm.m.name, name);
            return -Errno.ENOENT;
        }
        long addr = loader.stub(sm.m, name, 'T', -Errno.EFAULT, c -> sm.failure(ipc.call(sm.s, Ipc.FN_CALL,
            new long[] {fn, c.reg(microlith.hw.cpu.Cpu.RDI), c.reg(microlith.hw.cpu.Cpu.RSI),
                c.reg(microlith.hw.cpu.Cpu.RDX), c.reg(microlith.hw.cpu.Cpu.RCX), c.reg(microlith.hw.cpu.Cpu.R8),
                c.reg(microlith.hw.cpu.Cpu.R9)}, null, null)[0]));
        loader.symbols.export(new microlith.kernel.module.Symbols.Export(name, addr, gpl, sm.m));
        return addr;
    }

    /** symbolAddress() in a server: the number only, as the server can reach no kernel code. */
    private long symbolAddress(ServerModule sm, String name) {
        try {
            return k.loader().resolveAddress(sm.m, name);
        } catch (ModuleLoader.UnresolvedSymbol e) {
            k.log().warn("%s: Unknown symbol %s (err -2)", sm.m.name, name);
            return -Errno.ENOENT;
        }
    }

    private long symbol(ServerModule sm, String name) {
        try {
            KernelFunction f = k.loader().resolve(sm.m, name);
            long h = sm.nextSymbol++;
            sm.symbols.put(h, f);
            return h;
        } catch (ModuleLoader.UnresolvedSymbol e) {
            k.log().warn("%s: Unknown symbol %s (err -2)", sm.m.name, name);
            return -Errno.ENOENT;
        }
    }

    /**
     * A filesystem server's disk transfer (K_BLK_*), to or from its copy window. A driver in
     * another server copies straight into that window through a grant; a driver in the
     * kernel is called directly and the core copies.
     */
    private long blockIo(ServerModule sm, int op, long[] mr) {
        BlockDevice d = devices.get(mr[0]);
        if (d == null) {
            return -Errno.ENODEV;
        }
        if (op == Ipc.K_BLK_SECTORS) {
            return d.sectors();
        }
        if (op == Ipc.K_BLK_FLUSH) {
            return d.flush();
        }
        int count = (int) Math.min(mr[2], Ipc.WINDOW_SIZE / BlockDevice.SECTOR_SIZE);
        boolean read = op == Ipc.K_BLK_READ;
        if (d instanceof ServerDevices.ServerBlockDevice) {
            Grant g = ipc.grant(sm.s.task.mm, mr[3], (long) count * BlockDevice.SECTOR_SIZE, !read, read);
            return ((ServerDevices.ServerBlockDevice) d).transfer(read, mr[1], count, g);
        }
        byte[] buf = new byte[count * BlockDevice.SECTOR_SIZE];
        if (!read && !copyWindow(sm, mr[3], buf, false)) {
            return -Errno.EFAULT;
        }
        int n = read ? d.read(mr[1], count, buf, 0) : d.write(mr[1], count, buf, 0);
        if (read && n > 0 && !copyWindow(sm, mr[3], java.util.Arrays.copyOf(buf, n * BlockDevice.SECTOR_SIZE), true)) {
            return -Errno.EFAULT;
        }
        return n;
    }

    /** Copies between a server's own memory and the core's arrays (a copy between address spaces). */
    private boolean copyWindow(ServerModule sm, long va, byte[] b, boolean toServer) {
        int done = 0;
        while (done < b.length) {
            long a = va + done;
            int chunk = (int) Math.min(b.length - done, 4096 - (a & 0xfff));
            long pa = sm.s.task.mm.userPhysical(a, toServer);
            if (pa < 0) {
                return false;
            }
            if (toServer) {
                k.cpu().memory().writeBytes(pa, b, done, chunk);
            } else {
                k.cpu().memory().readBytes(pa, b, done, chunk);
            }
            done += chunk;
        }
        k.cpu().perf.bytesCopied += b.length;
        return true;
    }
}

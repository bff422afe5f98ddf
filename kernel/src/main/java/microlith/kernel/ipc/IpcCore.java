package microlith.kernel.ipc;

import java.util.HashMap;
import java.util.Map;
import microlith.hw.PerfCounters;
import microlith.hw.PhysicalMemory;
import microlith.hw.cpu.Cpu;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.log.Printk;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;
import microlith.kernel.task.ContextSwitch;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;
import microlith.server.abi.Ipc;

/**
 * Synchronous IPC between the core and ring-3 servers, notifications, and grants (the
 * microkernel model's mechanisms, DESIGN.md).
 *
 * <p>A request is a migrating-thread call (Ford and Lepreau; LRPC): the core writes the
 * message into the server's IPC buffer, switches to the server (CR3, kernel stack, I/O
 * bitmap) and returns to it in ring 3, then runs the CPU nested on the same host thread
 * until the server's SYS_IPC_REPLY_RECV delivers the reply; then it switches back and
 * the caller's Java code continues. Every transfer crosses the CPU: the SYSRET into the
 * server, its SYSCALL back, the CR3 writes and the TLB refills are all counted.
 *
 * <p>Notifications (IRQs, timers) are asynchronous: they are recorded on the server and
 * make it runnable; the scheduler runs it later, and on the way into it the core hands
 * over the NOTIFY message ({@link #resume}).
 */
public final class IpcCore {
    private java.util.function.Consumer<AddressSpace> outOfMemory = mm -> { };
    /** What the core does for a server's kernel call (the placement layer implements it). */
    @FunctionalInterface
    public interface KernelCalls {
        /** Handles op with its registers and bytes; puts answer bytes in out[0]. Returns MR0. */
        long call(ServerProcess s, int op, long[] mr, byte[] bytes, byte[][] out);
    }

    /** How the core returns to user mode in a task (the entry path's returnToUser). */
    @FunctionalInterface
    public interface UserReturn {
        void returnTo(Cpu cpu, Task t);
    }

    /** Deeper chains of calls are refused: a cycle between servers would otherwise recurse forever. */
    static final int MAX_NESTING = 8;

    private final Cpu cpu;
    private final PhysicalMemory mem;
    private final Scheduler sched;
    private final ContextSwitch switcher;
    private final Printk log;
    private final Map<Task, ServerProcess> servers = new HashMap<>();
    private final Map<Integer, Grant> grants = new HashMap<>();
    private int nextGrant = 1;
    private UserReturn userReturn;
    private KernelCalls kernelCalls;

    public IpcCore(Cpu cpu, Scheduler sched, ContextSwitch switcher, Printk log) {
        this.cpu = cpu;
        this.mem = cpu.memory();
        this.sched = sched;
        this.switcher = switcher;
        this.log = log;
    }

    public void attach(UserReturn userReturn, KernelCalls kernelCalls) {
        this.userReturn = userReturn;
        this.kernelCalls = kernelCalls;
    }

    /** Records a new server (see ServerImage). */
    ServerProcess register(Task t, String name, long ipcPhys, long textPhys, long budget) {
        ServerProcess s = new ServerProcess(t, name, ipcPhys, textPhys, budget);
        servers.put(t, s);
        t.server = true;
        t.ipcReceive = true;
        return s;
    }

    public ServerProcess server(Task t) {
        return t == null ? null : servers.get(t);
    }

    /** The server whose IPC buffer backs this task, after it is gone. */
    void forget(ServerProcess s) {
        servers.remove(s.task);
    }

    /** The task on whose behalf caller runs: itself, or the client of the request it serves. */
    private Task clientOf(Task caller) {
        ServerProcess s = server(caller);
        return s != null && s.serving != null ? s.serving.client : caller;
    }

    /** The client a server's current request is for (whose call led to it). */
    public Task clientOf(ServerProcess s) {
        return s.serving == null ? null : s.serving.client;
    }

    // ------------------------------------------------------------------ grants

    /** A grant of [base, base+length) of mm (null: kernel memory) for the next request. */
    public Grant grant(AddressSpace mm, long base, long length, boolean readable, boolean writable) {
        Grant g = new Grant(nextGrant++, mm, base, length, readable, writable);
        grants.put(g.id, g);
        return g;
    }

    public void revoke(Grant g) {
        if (g != null) {
            g.revoked = true;
            grants.remove(g.id);
        }
    }

    /**
     * A grant copy for server s (MINIX 3's sys_safecopyfrom/to): between [va, va+len) of
     * the server's own memory and the grant at offset. The grant must be this server's,
     * alive, large enough and carry the right; len bytes, or -EFAULT with nothing copied.
     */
    /** Told when a grant copy found no free page for the client's memory (see Uaccess#onOutOfMemory). */
    public void onOutOfMemory(java.util.function.Consumer<AddressSpace> handler) {
        this.outOfMemory = handler;
    }

    public long copy(ServerProcess s, long grantId, long offset, long va, long len, boolean toGrant) {
        Grant g = grants.get((int) grantId);
        if (g == null || g.revoked || g.grantee != s || len < 0 || offset < 0
            || Long.compareUnsigned(offset + len, g.length) > 0 || (toGrant ? !g.writable : !g.readable)) {
            return -Errno.EFAULT;
        }
        long done = 0;
        while (done < len) {
            long sv = va + done;
            long gv = g.base + offset + done;
            int chunk = (int) Math.min(len - done, Math.min(4096 - (sv & 0xfff), 4096 - (gv & 0xfff)));
            long spa = s.task.mm.userPhysical(sv, !toGrant);
            long gpa = g.mm == null ? Layout.pa(gv) : g.mm.userPhysical(gv, toGrant);
            if (spa < 0 || gpa < 0 || g.mm == null && Long.compareUnsigned(gv, Layout.PAGE_OFFSET) < 0) {
                if (gpa < 0 && g.mm != null && g.mm.outOfMemory) {
                    outOfMemory.accept(g.mm);
                }
                return -Errno.EFAULT;
            }
            byte[] b = new byte[chunk];
            if (toGrant) {
                mem.readBytes(spa, b, 0, chunk);
                mem.writeBytes(gpa, b, 0, chunk);
            } else {
                mem.readBytes(gpa, b, 0, chunk);
                mem.writeBytes(spa, b, 0, chunk);
            }
            done += chunk;
        }
        cpu.perf.grantCopies++;
        cpu.perf.grantBytes += len;
        cpu.perf.bytesCopied += len;
        return len;
    }

    // ------------------------------------------------------------------ synchronous calls

    private static long[] failed(int errno) {
        return new long[] {-errno};
    }

    /**
     * Sends s a request and waits for its reply: the reply's registers (MR0 the result),
     * or {-EIO} if the server is dead or dies serving it, {-EDEADLK} if it is busy (a
     * chain of calls came back to it). The grant, if any, is the server's for this call only.
     */
    public long[] call(ServerProcess s, int label, long[] mrs, byte[] bytes, Grant grant) {
        // Every check first (seL4's fastpath shape): nothing has changed if one fails.
        if (!s.alive) {
            return failed(Errno.EIO);
        }
        if (s.task.serverBusy || !s.task.ipcReceive || sched.nesting() >= MAX_NESTING) {
            log.err("ipc: %s is busy serving a request: call %d refused (would deadlock)", s, label);
            return failed(Errno.EDEADLK);
        }
        Task caller = sched.current();
        Call c = new Call(s, clientOf(caller), grant);
        // Point of no return: from here on only mutations.
        int part = cpu.perf.part();
        cpu.perf.attribute(PerfCounters.IPC, 0);
        long deadline = cpu.perf.cycles() + s.budget;
        IpcBuffer.write(mem, s.ipcBufferPhys, label, c.client == null ? 0 : c.client.pid, deadline, mrs, bytes);
        if (grant != null) {
            grant.grantee = s;
        }
        CpuState saved = new CpuState(cpu);
        if (caller != null) {
            caller.ipcCallsInFlight++;
        }
        s.serving = c;
        s.task.serverBusy = true;
        s.task.ipcReceive = false;
        sched.wake(s.task);
        sched.pushNested(s.task);
        cpu.perf.ipcMessages++;
        cpu.perf.ipcNestingMax = Math.max(cpu.perf.ipcNestingMax, sched.nesting());
        switcher.switchTo(s.task);
        cpu.write64(s.task.ptRegs() + PtRegs.RAX, 0);
        userReturn.returnTo(cpu, s.task);
        boolean ok = cpu.runNested(() -> c.done);
        cpu.perf.attribute(PerfCounters.IPC, 0);
        sched.popNested();
        if (caller != null) {
            caller.ipcCallsInFlight--;
        }
        if (caller != null && caller.state != Task.State.ZOMBIE) {
            switcher.switchTo(caller);
        } else {
            sched.setCurrent(caller);
            cpu.writeCr(3, saved.cr3());
        }
        saved.restore(cpu);
        revoke(grant);
        cpu.perf.attribute(part, 0);
        if (!ok) {
            return failed(Errno.EIO);
        }
        return c.reply;
    }

    /** The reply bytes of the last completed call to s (a name, a message), or none. */
    public byte[] replyBytes(ServerProcess s) {
        return IpcBuffer.bytes(mem, s.ipcBufferPhys);
    }

    // ------------------------------------------------------------------ system calls of servers

    /**
     * SYS_IPC_REPLY_RECV. The fast path is a reply to the call the CPU was lent for: the
     * reply's registers go to the waiting caller, the server goes back to receiving, and
     * the nested run ends at once. Otherwise the server finished a notification, or its
     * first request at boot, and just waits.
     */
    public long replyRecv(Task t) {
        ServerProcess s = server(t);
        if (s == null) {
            return -Errno.ENOSYS;
        }
        Call c = s.serving;
        if (c != null && !c.done && sched.nestedTop() == t) {
            // Point of no return: the reply is taken.
            c.reply = IpcBuffer.mrs(mem, s.ipcBufferPhys, 10);
            c.done = true;
            s.serving = null;
            cpu.perf.ipcMessages++;
            enterReceive(s);
            cpu.requestYield();
            return 0;
        }
        s.serving = null;
        enterReceive(s);
        return 0;
    }

    private void enterReceive(ServerProcess s) {
        s.task.serverBusy = false;
        s.task.ipcReceive = true;
        if ((s.pendingIrqs | s.pendingTimers) == 0) {
            sched.sleep(s.task);
        }
    }

    /** SYS_IPC_CALL: a kernel call from a server to the core. */
    public long kernelCall(Task t, long endpoint) {
        ServerProcess s = server(t);
        if (s == null) {
            return -Errno.ENOSYS;
        }
        if (endpoint != Ipc.CORE) {
            return -Errno.EINVAL;
        }
        int op = (int) IpcBuffer.label(mem, s.ipcBufferPhys);
        long[] mr = IpcBuffer.mrs(mem, s.ipcBufferPhys, 8);
        byte[] bytes = IpcBuffer.bytes(mem, s.ipcBufferPhys);
        byte[][] out = new byte[1][];
        // What the core does for the server is the core's work; the message around it is IPC.
        cpu.perf.attribute(PerfCounters.CORE, 0);
        long r = kernelCalls.call(s, op, mr, bytes, out);
        cpu.perf.attribute(PerfCounters.IPC, 0);
        if (s.alive) {
            mem.write64(s.ipcBufferPhys + Ipc.MR, r);
            if (out[0] != null) {
                IpcBuffer.writeBytes(mem, s.ipcBufferPhys, out[0]);
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ notifications

    /** Records IRQ lines and timers for s and makes it runnable if it waits. */
    public void notify(ServerProcess s, long irqBits, long timerBits) {
        if (!s.alive) {
            return;
        }
        s.pendingIrqs |= irqBits;
        s.pendingTimers |= timerBits;
        cpu.perf.notifications++;
        if (s.task.ipcReceive && s.task.state == Task.State.SLEEPING) {
            sched.wake(s.task);
        }
    }

    /**
     * On the way back to user mode in t (already switched to): a server that waits and has
     * notifications gets the NOTIFY message, as its SYS_IPC_REPLY_RECV returns.
     */
    public void resume(Task t) {
        if (!t.server || !t.ipcReceive) {
            return;
        }
        ServerProcess s = server(t);
        if (s == null || (s.pendingIrqs | s.pendingTimers) == 0) {
            return;
        }
        IpcBuffer.write(mem, s.ipcBufferPhys, Ipc.NOTIFY, 0, cpu.perf.cycles() + s.budget,
            new long[] {s.pendingIrqs, s.pendingTimers}, null);
        s.pendingIrqs = 0;
        s.pendingTimers = 0;
        t.ipcReceive = false;
        t.serverBusy = true;
        cpu.write64(t.ptRegs() + PtRegs.RAX, 0);
    }

    // ------------------------------------------------------------------ failure

    /** A server reported why it fails (K_FAULT); it raises #UD next and dies of it. */
    public void faulted(ServerProcess s, String why) {
        s.fault = why;
    }

    /**
     * The server's task died (a fault in ring 3, the watchdog, a kill): the call it was
     * serving fails with EIO and ends the nested run; later calls to it fail with EIO.
     * Nothing else in the system is touched.
     */
    public void died(Task t) {
        ServerProcess s = server(t);
        if (s == null || !s.alive) {
            return;
        }
        s.alive = false;
        t.serverBusy = false;
        t.ipcReceive = false;
        cpu.javaCallGate().unregisterUserFrame(s.textPhys);
        log.err("%s: server [%d] died%s; calls to it fail with EIO", s.name, t.pid,
            s.fault == null ? "" : " (" + s.fault + ")");
        Call c = s.serving;
        s.serving = null;
        if (c != null && !c.done) {
            c.reply = failed(Errno.EIO);
            c.done = true;
            cpu.requestYield();
        }
    }

    /** A server that is being removed on purpose (rmmod, a failed load): no failure to report. */
    void retire(ServerProcess s) {
        if (s.alive) {
            s.alive = false;
            s.task.serverBusy = false;
            s.task.ipcReceive = false;
            cpu.javaCallGate().unregisterUserFrame(s.textPhys);
        }
    }

    public Iterable<ServerProcess> all() {
        return servers.values();
    }
}

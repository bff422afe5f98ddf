package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.util.HashSet;
import java.util.Set;
import microlith.hw.cpu.Cpu;
import microlith.kernel.arch.KernelText;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.task.Task;

/**
 * sys_call_table: one text address per Linux x86-64 syscall number, plus a last slot
 * for out-of-range numbers. Each implemented call is a function {@code sys_NAME:
 * KCALL; RET} in kernel text taking &pt_regs in RDI (Linux's calling convention since
 * 4.17) and returning the result in RAX; every other slot holds sys_ni_syscall.
 */
public final class SyscallTable {
    /** A syscall's Java body: the six raw arguments in, the raw return value out. */
    @FunctionalInterface
    public interface Handler {
        long call(Task t, long a0, long a1, long a2, long a3, long a4, long a5);
    }

    private final Services k;
    private final int nr = SyscallNames.count();
    private final Handler[] handlers = new Handler[nr];
    private final long[] targets = new long[nr + 1];
    private final Set<Long> reported = new HashSet<>();

    /** Registers every implemented call, acting on the subsystems k will be bound to at boot. */
    public SyscallTable(Services k) {
        this.k = k;
        SysProcess process = new SysProcess(k);
        process.register(this);
        new SysPidFd(k, process).register(this);
        SysIo io = new SysIo(k);
        io.register(this);
        new SysRw(k, io).register(this);
        new SysResource(k).register(this);
        new SysMemory(k).register(this);
        new SysInfo(k).register(this);
        SysFile files = new SysFile(k);
        files.register(this);
        new SysDir(k, files).register(this);
        new SysMount(k, files).register(this);
        new SysModule(k).register(this);
        new SysPoll(k).register(this);
        new SysCred(k).register(this);
        new SysExec(k).register(this);
        new SysWait(k).register(this);
        SysLock locks = new SysLock(k);
        locks.register(this);
        new SysPipe(k, locks).register(this);
        io.setLocks(locks);
        new SysTime(k).register(this);
        new SysTimer(k).register(this);
        new SysIpc(k).register(this);
        new SysThread(k).register(this);
        new SysSocket(k).register(this);
        new SysEpoll(k).register(this);
        new SysTimerFd(k).register(this);
        new SysSignalFd(k).register(this);
        new SysMisc(k).register(this);
        new SysReboot(k).register(this);
    }

    public void register(String name, Handler h) {
        handlers[SyscallNames.number(name)] = h;
    }

    /** Number of table slots: every syscall number plus the out-of-range slot. */
    public int size() {
        return nr + 1;
    }

    public long[] targets() {
        return targets;
    }

    public boolean implemented(int number) {
        return number >= 0 && number < nr && handlers[number] != null;
    }

    public void build(KernelText t) {
        long ni = t.function("sys_ni_syscall", this::niSyscall);
        for (int i = 0; i < nr; i++) {
            Handler h = handlers[i];
            if (h == null) {
                targets[i] = ni;
                continue;
            }
            targets[i] = t.function("sys_" + SyscallNames.name(i), c -> invoke(c, h));
        }
        targets[nr] = ni;
    }

    private void invoke(Cpu c, Handler h) {
        long regs = c.reg(Cpu.RDI);
        Task task = k.sched.current();
        long r = h.call(task, PtRegs.arg(c, regs, 0), PtRegs.arg(c, regs, 1), PtRegs.arg(c, regs, 2),
            PtRegs.arg(c, regs, 3), PtRegs.arg(c, regs, 4), PtRegs.arg(c, regs, 5));
        c.setReg(Cpu.RAX, r);
    }

    private void niSyscall(Cpu c) {
        long regs = c.reg(Cpu.RDI);
        long number = c.read64(regs + PtRegs.ORIG_RAX);
        if (reported.add(number)) {
            Task t = k.sched.current();
            k.log.warn("%s[%d]: unimplemented syscall %d (%s), returning -ENOSYS", t.comm, t.pid, number,
                SyscallNames.name(number));
        }
        c.setReg(Cpu.RAX, -Errno.ENOSYS);
    }
}

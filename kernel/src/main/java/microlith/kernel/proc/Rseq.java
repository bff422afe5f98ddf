package microlith.kernel.proc;

import microlith.hw.cpu.Cpu;
import microlith.kernel.arch.PtRegs;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * Restartable sequences (rseq(2), Linux's kernel/rseq.c): a thread registers a
 * {@code struct rseq} and the kernel keeps its CPU number current and aborts a critical
 * section that was preempted or interrupted by a signal, by moving RIP to the section's
 * abort handler before the thread runs again.
 *
 * <pre>
 *  struct rseq (32-byte aligned, at least 32 bytes)      struct rseq_cs (32-byte aligned)
 *   +0  u32 cpu_id_start                                  +0  u32 version (0)
 *   +4  u32 cpu_id        (-1 until registered)           +4  u32 flags
 *   +8  u64 rseq_cs       -> the running critical section  +8  u64 start_ip
 *  +16  u32 flags                                         +16  u64 post_commit_offset
 *  +20  u32 node_id                                       +24  u64 abort_ip
 *  +24  u32 mm_cid
 * </pre>
 *
 * The 32-bit word before abort_ip must be the signature given at registration, so a
 * forged rseq_cs cannot send the thread to an arbitrary address. There is one CPU, so
 * cpu_id, node_id and mm_cid are always 0. A thread's registration survives fork, is
 * not inherited by a new thread (CLONE_VM) and ends at execve.
 */
public final class Rseq {
    /** The size of struct rseq before its extensible part; the minimum registration. */
    static final int ORIG_RSEQ_SIZE = 32;
    /** offsetof(struct rseq, end): an extended registration must cover every field. */
    static final int RSEQ_END = 28;
    static final int FLAG_UNREGISTER = 1;
    static final int CPU_ID_UNINITIALIZED = -1;

    private static final int CPU_ID_START = 0, CPU_ID = 4, RSEQ_CS = 8, NODE_ID = 20, MM_CID = 24;

    private final Cpu cpu;
    private final Uaccess uaccess;

    Rseq(Cpu cpu, Uaccess uaccess) {
        this.cpu = cpu;
        this.uaccess = uaccess;
    }

    /** rseq(rseq, len, flags, sig). */
    public long rseq(Task t, long addr, long len32, long flags32, long sig32) {
        int len = (int) len32;
        int flags = (int) flags32;
        int sig = (int) sig32;
        if ((flags & FLAG_UNREGISTER) != 0) {
            if ((flags & ~FLAG_UNREGISTER) != 0 || t.rseq != addr || t.rseqLen != len) {
                return -Errno.EINVAL;
            }
            if (t.rseqSig != sig) {
                return -Errno.EPERM;
            }
            if (!writeIds(t, CPU_ID_UNINITIALIZED)) {
                return -Errno.EFAULT;
            }
            t.rseq = 0;
            t.rseqLen = 0;
            t.rseqSig = 0;
            t.rseqResume = false;
            return 0;
        }
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        if (t.rseq != 0) {
            if (t.rseq != addr || t.rseqLen != len) {
                return -Errno.EINVAL;
            }
            return t.rseqSig != sig ? -Errno.EPERM : -Errno.EBUSY;
        }
        boolean badLength = Integer.compareUnsigned(len, ORIG_RSEQ_SIZE) < 0
            || len == ORIG_RSEQ_SIZE && (addr & (ORIG_RSEQ_SIZE - 1)) != 0
            || len != ORIG_RSEQ_SIZE && ((addr & (ORIG_RSEQ_SIZE - 1)) != 0 || len < RSEQ_END);
        if (badLength) {
            return -Errno.EINVAL;
        }
        if (!Uaccess.accessOk(addr, Integer.toUnsignedLong(len))) {
            return -Errno.EFAULT;
        }
        // A stale critical-section pointer left from before would abort the first preemption.
        Long cs = uaccess.getUser64(t.mm, addr + RSEQ_CS);
        if (cs == null || cs != 0 && !uaccess.putUser64(t.mm, addr + RSEQ_CS, 0)) {
            return -Errno.EFAULT;
        }
        t.rseq = addr;
        t.rseqLen = len;
        t.rseqSig = sig;
        // The ids are written on the way back to user mode, where a fault is a SIGSEGV.
        t.rseqResume = true;
        return 0;
    }

    /**
     * On the way to user mode after t was switched out, registered, or before a signal
     * frame is built: abort a critical section RIP is in and store the CPU ids. Returns
     * false when the thread's rseq area or critical-section descriptor is bad, for which
     * Linux sends SIGSEGV.
     */
    public boolean resume(Task t) {
        t.rseqResume = false;
        if (t.rseq == 0) {
            return true;
        }
        return fixupIp(t) && writeIds(t, 0);
    }

    private boolean fixupIp(Task t) {
        Long csPtr = uaccess.getUser64(t.mm, t.rseq + RSEQ_CS);
        if (csPtr == null) {
            return false;
        }
        if (csPtr == 0) {
            return true;
        }
        if (!Uaccess.accessOk(csPtr, ORIG_RSEQ_SIZE)) {
            return false;
        }
        Integer version = uaccess.getUser32(t.mm, csPtr);
        Long start = uaccess.getUser64(t.mm, csPtr + 8);
        Long postCommit = uaccess.getUser64(t.mm, csPtr + 16);
        Long abort = uaccess.getUser64(t.mm, csPtr + 24);
        if (version == null || start == null || postCommit == null || abort == null || version != 0
            || Long.compareUnsigned(start + postCommit, start) < 0
            || Long.compareUnsigned(abort - start, postCommit) < 0) {
            return false;
        }
        Integer signature = uaccess.getUser32(t.mm, abort - 4);
        if (signature == null || signature != t.rseqSig) {
            return false;
        }
        long regs = t.ptRegs();
        long ip = cpu.read64(regs + PtRegs.RIP);
        if (!uaccess.putUser64(t.mm, t.rseq + RSEQ_CS, 0)) {
            return false;
        }
        if (Long.compareUnsigned(ip - start, postCommit) < 0) {
            cpu.write64(regs + PtRegs.RIP, abort);
        }
        return true;
    }

    private boolean writeIds(Task t, int cpuId) {
        return uaccess.putUser32(t.mm, t.rseq + CPU_ID_START, 0) && uaccess.putUser32(t.mm, t.rseq + CPU_ID, cpuId)
            && uaccess.putUser32(t.mm, t.rseq + NODE_ID, 0) && uaccess.putUser32(t.mm, t.rseq + MM_CID, 0);
    }
}

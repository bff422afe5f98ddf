package microlith.kernel.proc;

import microlith.hw.cpu.Cpu;
import microlith.kernel.mm.Kmalloc;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * prepare_kernel_cred and commit_creds (Linux's kernel/cred.c), exported to modules from
 * kernel text. Both work on {@code struct cred} in simulated memory:
 *
 * <pre>
 * struct cred {        8 bytes; each task's lives at the bottom of its kernel stack
 *     u32 uid;         (Task.CRED), real and effective are one here
 *     u32 gid;
 * };
 * </pre>
 *
 * Linux keeps a pointer to a shared, reference-counted cred in the task and commit_creds
 * swaps that pointer; here the task's cred is embedded, so commit_creds copies the new one
 * in and frees it. Memory is read and written through the MMU at CPL 0, so a bad pointer
 * is an oops, as on hardware.
 */
public final class Creds {
    public static final int SIZE = 8;

    private final Cpu cpu;
    private final Kmalloc kmalloc;
    private final Scheduler sched;

    public Creds(Cpu cpu, Kmalloc kmalloc, Scheduler sched) {
        this.cpu = cpu;
        this.kmalloc = kmalloc;
        this.sched = sched;
    }

    /**
     * prepare_kernel_cred(daemon): a new kmalloc'd struct cred. Linux 6.1 gives init's
     * credentials (uid 0) for a NULL daemon; a task_struct pointer has no meaning here, so
     * anything else gets NULL (0), as an allocation failure does.
     */
    public long prepareKernelCred(long daemon) {
        if (daemon != 0) {
            return 0;
        }
        long cred = kmalloc.alloc(SIZE, this);
        if (cred == 0) {
            return 0;
        }
        cpu.write32(cred, 0);
        cpu.write32(cred + 4, 0);
        return cred;
    }

    /** commit_creds(new): the current task takes the credentials at newCred, which is freed. 0, or -EINVAL without a task. */
    public long commitCreds(long newCred) {
        int uid = cpu.read32(newCred);
        int gid = cpu.read32(newCred + 4);
        Task t = sched.current();
        if (t == null) {
            return -Errno.EINVAL;
        }
        t.setUid(uid);
        t.setGid(gid);
        kmalloc.free(newCred);
        return 0;
    }
}

package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.util.ArrayList;
import java.util.List;
import microlith.kernel.task.Task;

/** execve and wait4 (fork, vfork and clone are in SysThread). */
final class SysExec {
    private static final int WNOHANG = 1;
    private static final int ARG_MAX_ENTRIES = 4096;
    private static final int PATH_MAX = 4096;

    private final Services k;

    SysExec(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("execve", (task, path, argv, envp, d, e, f) -> execve(task, path, argv, envp));
        t.register("wait4", (task, pid, status, options, rusage, e, f) -> wait4(task, pid, status, options, rusage));
    }

    private List<String> strings(Task t, long array) {
        List<String> out = new ArrayList<>();
        if (array == 0) {
            return out;
        }
        for (int i = 0; i < ARG_MAX_ENTRIES; i++) {
            Long p = k.uaccess.getUser64(t.mm, array + i * 8L);
            if (p == null) {
                return null;
            }
            if (p == 0) {
                return out;
            }
            String s = k.uaccess.strncpyFromUser(t.mm, p, 128 * 1024);
            if (s == null) {
                return null;
            }
            out.add(s);
        }
        return null;
    }

    private long execve(Task t, long upath, long uargv, long uenvp) {
        String path = k.uaccess.strncpyFromUser(t.mm, upath, PATH_MAX);
        if (path == null) {
            return -Errno.EFAULT;
        }
        if (path.isEmpty()) {
            return -Errno.ENOENT;
        }
        List<String> argv = strings(t, uargv);
        List<String> envp = strings(t, uenvp);
        if (argv == null || envp == null) {
            return -Errno.EFAULT;
        }
        return k.process.exec(t, path, argv, envp);
    }

    private long wait4(Task t, long pid, long ustatus, long options, long rusage) {
        if (pid < -1 || pid == 0) {
            // Process groups arrive with job control; treat "same group" as "any child".
            pid = -1;
        }
        boolean[] has = new boolean[1];
        Task child = k.process.reapChild(t, (int) pid, has);
        if (child == null) {
            if (!has[0]) {
                return -Errno.ECHILD;
            }
            if ((options & WNOHANG) != 0) {
                return 0;
            }
            t.group.leader.childWait.add(t);
            k.sched.sleep(t);
            return -Errno.EINTR;
        }
        if (ustatus != 0 && !k.uaccess.putUser32(t.mm, ustatus, child.exitStatus)) {
            return -Errno.EFAULT;
        }
        if (rusage != 0) {
            byte[] zero = new byte[144];
            if (!k.uaccess.copyToUser(t.mm, rusage, zero, 0, zero.length)) {
                return -Errno.EFAULT;
            }
        }
        return child.pid;
    }
}

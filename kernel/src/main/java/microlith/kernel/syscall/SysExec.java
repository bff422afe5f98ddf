package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.util.ArrayList;
import java.util.List;
import microlith.kernel.fs.Namei;
import microlith.kernel.mm.Uaccess;
import microlith.kernel.proc.ArgLimits;
import microlith.kernel.task.Task;

/** execve (fork, vfork and clone are in SysThread, wait4 and waitid in SysWait). */
final class SysExec {
    private static final int PATH_MAX = 4096;

    private final Services k;

    SysExec(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("execve", (task, path, argv, envp, d, e, f) -> execve(task, path, argv, envp));
    }

    /**
     * A NULL-terminated array of user strings, or null with the errno in err[0]: EFAULT for
     * a bad pointer, E2BIG once the strings and pointers read so far pass ARG_MAX (so a
     * huge or unterminated array ends early) or one string passes MAX_ARG_STRLEN.
     */
    private List<String> strings(Task t, long array, long[] room, int[] err) {
        List<String> out = new ArrayList<>();
        if (array == 0) {
            return out;
        }
        for (int i = 0; ; i++) {
            Long p = k.uaccess.getUser64(t.mm, array + i * 8L);
            if (p == null) {
                err[0] = Errno.EFAULT;
                return null;
            }
            if (p == 0) {
                return out;
            }
            // No NUL within MAX_ARG_STRLEN is E2BIG; an unreadable byte before it EFAULT.
            Uaccess.UserString s = k.uaccess.copyString(t.mm, p, ArgLimits.MAX_ARG_STRLEN);
            if (!s.ok()) {
                err[0] = s.errno() == Errno.EFAULT ? Errno.EFAULT : Errno.E2BIG;
                return null;
            }
            room[0] -= 8 + ArgLimits.size(s.value());
            if (room[0] < 0) {
                err[0] = Errno.E2BIG;
                return null;
            }
            out.add(s.value());
        }
    }

    /**
     * execve in Linux's order: the path is copied (ENAMETOOLONG without a NUL within
     * PATH_MAX) and the file opened, with search permission on its directories and
     * execute permission for the caller, before argv and envp are copied.
     */
    private long execve(Task t, long upath, long uargv, long uenvp) {
        Uaccess.UserString ps = k.uaccess.copyString(t.mm, upath, PATH_MAX);
        if (!ps.ok()) {
            return -ps.errno();
        }
        String path = ps.value();
        if (path.isEmpty()) {
            return -Errno.ENOENT;
        }
        int[] err = new int[1];
        Namei.Walk file = k.process.openExec(t, path, err);
        if (file == null) {
            return err[0];
        }
        long[] room = {ArgLimits.ARG_MAX};
        List<String> argv = strings(t, uargv, room, err);
        List<String> envp = argv == null ? null : strings(t, uenvp, room, err);
        if (envp == null) {
            return -err[0];
        }
        return k.process.exec(t, file, path, argv, envp);
    }
}

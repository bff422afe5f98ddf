package microlith.kernel.syscall;

import microlith.module.api.Errno;
import java.nio.charset.StandardCharsets;
import microlith.kernel.log.Printk;
import microlith.kernel.task.Task;

/**
 * Credentials (one uid and one gid per task; real, effective and saved are the same
 * here, so the set*id calls follow Linux's rules for that case), process groups as the
 * pid, and syslog for dmesg.
 */
final class SysCred {
    private final Services k;

    SysCred(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("setuid", (task, uid, b, c, d, e, f) -> setUid(task, uid));
        t.register("setgid", (task, gid, b, c, d, e, f) -> setGid(task, gid));
        t.register("setreuid", (task, r, eu, c, d, e, f) -> setUid(task, (int) eu != -1 ? eu : r));
        t.register("setregid", (task, r, eg, c, d, e, f) -> setGid(task, (int) eg != -1 ? eg : r));
        t.register("setresuid", (task, r, eu, s, d, e, f) -> setUid(task, (int) eu != -1 ? eu : r));
        t.register("setresgid", (task, r, eg, s, d, e, f) -> setGid(task, (int) eg != -1 ? eg : r));
        t.register("getresuid", (task, r, eu, s, d, e, f) -> triple(task, r, eu, s, task.uid()));
        t.register("getresgid", (task, r, eg, s, d, e, f) -> triple(task, r, eg, s, task.gid()));
        t.register("getgroups", (task, size, list, c, d, e, f) -> 0);
        t.register("setgroups", (task, size, list, c, d, e, f) -> task.uid() == 0 ? 0 : -Errno.EPERM);
        t.register("getpgrp", (task, a, b, c, d, e, f) -> task.pgid);
        t.register("getpgid", (task, pid, b, c, d, e, f) -> {
            Task x = pid == 0 ? task : k.sched.find((int) pid);
            return x == null ? -Errno.ESRCH : x.pgid;
        });
        t.register("setpgid", (task, pid, pgid, c, d, e, f) -> setpgid(task, pid, pgid));
        t.register("getsid", (task, pid, b, c, d, e, f) -> {
            Task x = pid == 0 ? task : k.sched.find((int) pid);
            return x == null ? -Errno.ESRCH : x.sid;
        });
        t.register("setsid", (task, a, b, c, d, e, f) -> {
            if (task.pgid == task.pid) {
                return -Errno.EPERM;
            }
            task.sid = task.pid;
            task.pgid = task.pid;
            return task.pid;
        });
        t.register("syslog", (task, type, buf, len, d, e, f) -> syslog(task, type, buf, len));
    }

    /** setpgid: the caller or a child of it, into a group of the same session. */
    private long setpgid(Task t, long pid, long pgid) {
        Task x = pid == 0 ? t : k.sched.find((int) pid);
        if (x == null || (x != t && x.parent != t)) {
            return -Errno.ESRCH;
        }
        if (pgid < 0) {
            return -Errno.EINVAL;
        }
        int g = pgid == 0 ? x.pid : (int) pgid;
        if (x.sid != t.sid || x.pid == x.sid) {
            return -Errno.EPERM;
        }
        x.pgid = g;
        return 0;
    }

    private long setUid(Task t, long uid) {
        if ((int) uid == -1) {
            return 0;
        }
        if (t.uid() != 0 && uid != t.uid()) {
            return -Errno.EPERM;
        }
        t.setUid((int) uid);
        return 0;
    }

    private long setGid(Task t, long gid) {
        if ((int) gid == -1) {
            return 0;
        }
        if (t.uid() != 0 && gid != t.gid()) {
            return -Errno.EPERM;
        }
        t.setGid((int) gid);
        return 0;
    }

    private long triple(Task t, long a, long b, long c, int v) {
        for (long p : new long[] {a, b, c}) {
            if (p != 0 && !k.uaccess.putUser32(t.mm, p, v)) {
                return -Errno.EFAULT;
            }
        }
        return 0;
    }

    /** syslog: 3 (read all) and 10 (buffer size); reading needs root, as dmesg_restrict=1. */
    private long syslog(Task t, long type, long buf, long len) {
        StringBuilder sb = new StringBuilder();
        for (Printk.Record r : k.log.records()) {
            sb.append('<').append(r.level).append('>').append(r.format()).append('\n');
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
        switch ((int) type) {
            case 10:
                return all.length;
            case 3: {
                if (t.uid() != 0) {
                    return -Errno.EPERM;
                }
                if (len < 0) {
                    return -Errno.EINVAL;
                }
                int n = (int) Math.min(len, all.length);
                int from = all.length - n;
                return k.uaccess.copyToUser(t.mm, buf, all, from, n) ? n : -Errno.EFAULT;
            }
            default:
                return -Errno.EINVAL;
        }
    }
}

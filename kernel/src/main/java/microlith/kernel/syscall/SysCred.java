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
        t.register("setuid", (task, uid, b, c, d, e, f) -> (int) uid == -1 ? -Errno.EINVAL : setIds(task, true, uid));
        t.register("setgid", (task, gid, b, c, d, e, f) -> (int) gid == -1 ? -Errno.EINVAL : setIds(task, false, gid));
        t.register("setreuid", (task, r, eu, c, d, e, f) -> setIds(task, true, r, eu));
        t.register("setregid", (task, r, eg, c, d, e, f) -> setIds(task, false, r, eg));
        t.register("setresuid", (task, r, eu, s, d, e, f) -> setIds(task, true, r, eu, s));
        t.register("setresgid", (task, r, eg, s, d, e, f) -> setIds(task, false, r, eg, s));
        t.register("getresuid", (task, r, eu, s, d, e, f) -> triple(task, r, eu, s, task.uid()));
        t.register("getresgid", (task, r, eg, s, d, e, f) -> triple(task, r, eg, s, task.gid()));
        // No supplementary groups: getgroups has none to give, setgroups keeps none.
        t.register("getgroups", (task, size, list, c, d, e, f) -> (int) size < 0 ? -Errno.EINVAL : 0);
        t.register("setgroups", (task, size, list, c, d, e, f) -> setgroups(task, size, list));
        t.register("getpgrp", (task, a, b, c, d, e, f) -> task.pgid);
        t.register("getpgid", (task, pid, b, c, d, e, f) -> {
            Task x = (int) pid == 0 ? task : k.sched.find((int) pid);
            return x == null ? -Errno.ESRCH : x.pgid;
        });
        t.register("setpgid", (task, pid, pgid, c, d, e, f) -> setpgid(task, pid, pgid));
        t.register("getsid", (task, pid, b, c, d, e, f) -> {
            Task x = (int) pid == 0 ? task : k.sched.find((int) pid);
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

    /**
     * setpgid in Linux's order: pgid &lt; 0 is EINVAL; the process must be the caller or
     * a child of it (ESRCH) in the caller's session (EPERM), not a session leader (EPERM);
     * a group other than its own pid must exist in the caller's session (EPERM).
     */
    private long setpgid(Task t, long upid, long upgid) {
        int pid = (int) upid == 0 ? t.pid : (int) upid;
        int pgid = (int) upgid == 0 ? pid : (int) upgid;
        if (pgid < 0) {
            return -Errno.EINVAL;
        }
        Task x = k.sched.find(pid);
        if (x == null || x != t && x.parent != t) {
            return -Errno.ESRCH;
        }
        if (x.sid != t.sid || x.pid == x.sid) {
            return -Errno.EPERM;
        }
        if (pgid != pid) {
            boolean exists = false;
            for (Task g : k.sched.all()) {
                exists |= g.pgid == pgid && g.sid == t.sid && g.state != Task.State.ZOMBIE;
            }
            if (!exists) {
                return -Errno.EPERM;
            }
        }
        x.pgid = pgid;
        return 0;
    }

    /**
     * setuid/setreuid/setresuid (uid) and the gid calls: -1 leaves an id as it is. With
     * one id per task (real, effective and saved are the same here), root may choose any
     * id and everyone else only their own; the task takes the last id given.
     */
    private long setIds(Task t, boolean uid, long... ids) {
        int cur = uid ? t.uid() : t.gid();
        int chosen = cur;
        for (long v : ids) {
            int id = (int) v;
            if (id == -1) {
                continue;
            }
            if (t.uid() != 0 && id != cur) {
                return -Errno.EPERM;
            }
            chosen = id;
        }
        if (uid) {
            t.setUid(chosen);
        } else {
            t.setGid(chosen);
        }
        return 0;
    }

    /** setgroups: root only; at most NGROUPS_MAX ids, which must be readable. */
    private long setgroups(Task t, long size, long list) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (Integer.compareUnsigned((int) size, 65536) > 0) {
            return -Errno.EINVAL;
        }
        int n = (int) size;
        byte[] ids = new byte[n * 4];
        return n == 0 || k.uaccess.copyFromUser(t.mm, list, ids, 0, ids.length) ? 0 : -Errno.EFAULT;
    }

    private long triple(Task t, long a, long b, long c, int v) {
        for (long p : new long[] {a, b, c}) {
            if (p != 0 && !k.uaccess.putUser32(t.mm, p, v)) {
                return -Errno.EFAULT;
            }
        }
        return 0;
    }

    /**
     * syslog with dmesg_restrict=1: every action needs root (EPERM first, as Linux's
     * check_syslog_permissions). The log is never cleared: 2 and 4 read as 3 does; 5-7
     * and 9 do nothing; 8 takes a console level of 1 to 8; 10 gives the buffer's size.
     */
    private long syslog(Task t, long type, long buf, long ulen) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        int len = (int) ulen;
        switch ((int) type) {
            case 0: case 1: case 5: case 6: case 7: case 9:
                return 0;
            case 8:
                return len < 1 || len > 8 ? -Errno.EINVAL : 0;
            case 2: case 3: case 4: case 10: {
                StringBuilder sb = new StringBuilder();
                for (Printk.Record r : k.log.records()) {
                    sb.append('<').append(r.level).append('>').append(r.format()).append('\n');
                }
                byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
                if (type == 10) {
                    return all.length;
                }
                if (buf == 0 || len < 0) {
                    return -Errno.EINVAL;
                }
                if (len == 0) {
                    return 0;
                }
                if (!microlith.kernel.mm.Uaccess.accessOk(buf, len)) {
                    return -Errno.EFAULT;
                }
                int n = Math.min(len, all.length);
                return k.uaccess.copyToUser(t.mm, buf, all, all.length - n, n) ? n : -Errno.EFAULT;
            }
            default:
                return -Errno.EINVAL;
        }
    }
}

package microlith.kernel.syscall;

import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/** mount, umount2 and sync. */
final class SysMount {
    private final Services k;
    private final SysFile files;

    SysMount(Services k, SysFile files) {
        this.k = k;
        this.files = files;
    }

    void register(SyscallTable t) {
        t.register("mount", (task, src, dst, type, flags, data, f) -> mount(task, src, dst, type, flags, data));
        t.register("umount2", (task, dst, flags, c, d, e, f) -> umount(task, dst, flags));
        t.register("sync", (task, a, b, c, d, e, f) -> {
            k.vfs.mounts().syncAll();
            return 0;
        });
        t.register("syncfs", (task, fd, b, c, d, e, f) -> files.file(task, fd) == null ? -Errno.EBADF : 0);
    }

    /**
     * mount in Linux's order: the strings are copied (EFAULT), the mount point looked up
     * (ENOENT, ENOTDIR, EACCES), and only then is the caller's privilege checked (EPERM),
     * as path_mount's may_mount comes after user_path_at.
     */
    private long mount(Task t, long usrc, long udst, long utype, long flags, long udata) {
        int[] err = new int[1];
        String src = usrc == 0 ? "none" : k.uaccess.strncpyFromUser(t.mm, usrc, 4096);
        if (src == null) {
            return -Errno.EFAULT;
        }
        String dst = files.userPath(t, udst, err);
        if (dst == null) {
            return err[0];
        }
        String type = utype == 0 ? null : k.uaccess.strncpyFromUser(t.mm, utype, 64);
        if (type == null) {
            return utype == 0 ? -Errno.EINVAL : -Errno.EFAULT;
        }
        String data = udata == 0 ? "" : k.uaccess.strncpyFromUser(t.mm, udata, 4096);
        if (data == null) {
            return -Errno.EFAULT;
        }
        if (k.vfs.lookup(t, null, dst, true, err) == null) {
            return err[0];
        }
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (!src.startsWith("/") && !src.equals("none") && src.contains("/")) {
            src = t.cwd + "/" + src;
        }
        return k.vfs.mount(t, src, dst, type, flags, data);
    }

    /** umount2 in Linux's order: unknown flags (EINVAL), the lookup, then privilege (EPERM). */
    private long umount(Task t, long udst, long flags) {
        if ((flags & ~0xfL) != 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        String dst = files.userPath(t, udst, err);
        if (dst == null) {
            return err[0];
        }
        if (k.vfs.lookup(t, null, dst, (flags & 8 /* UMOUNT_NOFOLLOW */) == 0, err) == null) {
            return err[0];
        }
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        return k.vfs.umount(t, dst, k.sched.all());
    }
}

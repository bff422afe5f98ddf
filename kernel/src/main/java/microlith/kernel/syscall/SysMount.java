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

    private long mount(Task t, long usrc, long udst, long utype, long flags, long udata) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
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
        if (!src.startsWith("/") && !src.equals("none") && src.contains("/")) {
            src = t.cwd + "/" + src;
        }
        return k.vfs.mount(t, src, dst, type, flags, data);
    }

    private long umount(Task t, long udst, long flags) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        if ((flags & ~0xfL) != 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        String dst = files.userPath(t, udst, err);
        if (dst == null) {
            return err[0];
        }
        return k.vfs.umount(t, dst, k.sched.all());
    }
}

package microlith.kernel.syscall;

import microlith.kernel.Kernel;
import microlith.kernel.proc.Task;

/** mount, umount2 and sync. */
final class SysMount {
    private final Kernel k;
    private final SysFile files;

    SysMount(Kernel k, SysFile files) {
        this.k = k;
        this.files = files;
    }

    void register(SyscallTable t) {
        t.register("mount", (task, src, dst, type, flags, data, f) -> mount(task, src, dst, type, flags, data));
        t.register("umount2", (task, dst, flags, c, d, e, f) -> umount(task, dst, flags));
        t.register("sync", (task, a, b, c, d, e, f) -> {
            k.mounts.syncAll();
            return 0;
        });
    }

    private long mount(Task t, long usrc, long udst, long utype, long flags, long udata) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        int[] err = new int[1];
        String src = files.path(t, -100, usrc, err);
        if (src == null) {
            return -err[0];
        }
        String dst = files.path(t, -100, udst, err);
        if (dst == null) {
            return -err[0];
        }
        String type = utype == 0 ? null : k.uaccess.strncpyFromUser(t.mm, utype, 64);
        if (type == null) {
            return utype == 0 ? -Errno.EINVAL : -Errno.EFAULT;
        }
        String data = udata == 0 ? "" : k.uaccess.strncpyFromUser(t.mm, udata, 4096);
        if (data == null) {
            return -Errno.EFAULT;
        }
        return k.mounts.mount(t, src, dst, type, flags, data);
    }

    private long umount(Task t, long udst, long flags) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        if ((flags & ~0xfL) != 0) {
            return -Errno.EINVAL;
        }
        int[] err = new int[1];
        String dst = files.path(t, -100, udst, err);
        if (dst == null) {
            return -err[0];
        }
        return k.mounts.umount(t, dst);
    }
}

package microlith.kernel.syscall;

import microlith.module.api.Errno;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;

/**
 * init_module, finit_module and delete_module. Only root may load or unload (Linux's
 * CAP_SYS_MODULE); the loader does the rest.
 */
final class SysModule {
    /** Largest module image accepted (Linux caps by available vmalloc space). */
    private static final int MAX_IMAGE = 64 << 20;
    private static final int MAX_PARAMS = 4096;

    private final Services k;

    SysModule(Services k) {
        this.k = k;
    }

    void register(SyscallTable t) {
        t.register("init_module", (task, image, len, params, d, e, f) -> initModule(task, image, len, params));
        t.register("finit_module", (task, fd, params, flags, d, e, f) -> finitModule(task, fd, params, flags));
        t.register("delete_module", (task, name, flags, c, d, e, f) -> deleteModule(task, name, flags));
    }

    private String params(Task t, long uparams) {
        if (uparams == 0) {
            return "";
        }
        return k.uaccess.strncpyFromUser(t.mm, uparams, MAX_PARAMS);
    }

    private long initModule(Task t, long image, long len, long uparams) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (len <= 0 || len > MAX_IMAGE) {
            return len <= 0 ? -Errno.ENOEXEC : -Errno.EFBIG;
        }
        byte[] b = new byte[(int) len];
        if (!k.uaccess.copyFromUser(t.mm, image, b, 0, (int) len)) {
            return -Errno.EFAULT;
        }
        String p = params(t, uparams);
        if (p == null) {
            return -Errno.EFAULT;
        }
        return k.modules.load(b, p, t);
    }

    private long finitModule(Task t, long fd, long uparams, long flags) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        File f = fd < 0 || fd > Integer.MAX_VALUE ? null : t.files.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if ((f.mode() & microlith.kernel.fs.Inode.S_IFMT) != microlith.kernel.fs.Inode.S_IFREG) {
            return -Errno.EINVAL;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = f.read(t, buf, buf.length)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_IMAGE) {
                return -Errno.EFBIG;
            }
        }
        if (n < 0) {
            return n == File.WOULD_BLOCK ? -Errno.EINVAL : n;
        }
        String p = params(t, uparams);
        if (p == null) {
            return -Errno.EFAULT;
        }
        return k.modules.load(out.toByteArray(), p, t);
    }

    private long deleteModule(Task t, long uname, long flags) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        String name = k.uaccess.strncpyFromUser(t.mm, uname, 64);
        if (name == null) {
            return -Errno.EFAULT;
        }
        return k.modules.unload(name);
    }
}

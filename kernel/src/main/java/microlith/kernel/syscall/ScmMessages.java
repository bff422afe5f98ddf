package microlith.kernel.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import microlith.kernel.fs.ScmRights;
import microlith.kernel.task.File;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * Control messages of sendmsg and recvmsg on AF_UNIX sockets (Linux's net/core/scm.c):
 * SCM_RIGHTS passes open files. Other levels than SOL_SOCKET are skipped, as Linux skips
 * them; SCM_CREDENTIALS is refused (EINVAL, logged).
 *
 * <pre>
 * struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; }   16 bytes, then data;
 * each message starts 8-byte aligned: CMSG_SPACE(n) = 16 + align8(n), CMSG_LEN(n) = 16 + n
 * </pre>
 */
final class ScmMessages {
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    private static final int HEADER = 16;
    private static final int MSG_CTRUNC = 8;

    private ScmMessages() {
    }

    /**
     * The files named by the SCM_RIGHTS messages of control[0..len), each taken once
     * more; null when there are none. Errors in err[0]: EINVAL for a malformed message
     * or too many files, EBADF for a bad descriptor, EFAULT, ENOBUFS for a length past INT_MAX.
     */
    static ScmRights parse(Services k, Task t, long control, long len, long[] err) {
        if (len > Integer.MAX_VALUE) {
            err[0] = -Errno.ENOBUFS;
            return null;
        }
        byte[] raw = new byte[(int) len];
        if (!k.uaccess.copyFromUser(t.mm, control, raw, 0, raw.length)) {
            err[0] = -Errno.EFAULT;
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        List<File> files = new ArrayList<>();
        for (long at = 0; at + HEADER <= len; at += align(b.getLong((int) at))) {
            long clen = b.getLong((int) at);
            if (clen < HEADER || clen > len - at) {
                err[0] = -Errno.EINVAL;
                return null;
            }
            int level = b.getInt((int) at + 8);
            int type = b.getInt((int) at + 12);
            if (level != SOL_SOCKET) {
                continue;
            }
            if (type != SCM_RIGHTS) {
                k.log.info("%s[%d]: sendmsg: control message type %d (SCM_CREDENTIALS is %d) is not supported, "
                    + "returning -EINVAL", t.comm, t.pid, type, SCM_CREDENTIALS);
                err[0] = -Errno.EINVAL;
                return null;
            }
            int n = (int) ((clen - HEADER) / 4);
            if (files.size() + n > ScmRights.MAX_FDS) {
                err[0] = -Errno.EINVAL;
                return null;
            }
            for (int i = 0; i < n; i++) {
                int fd = b.getInt((int) at + HEADER + 4 * i);
                File f = fd < 0 ? null : t.files.get(fd);
                if (f == null) {
                    err[0] = -Errno.EBADF;
                    return null;
                }
                files.add(f);
            }
        }
        return files.isEmpty() ? null : new ScmRights(files);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * recvmsg: installs the files that came with the data into the caller's table and
     * writes one SCM_RIGHTS message with their descriptors into control[0..len) (as
     * scm_detach_fds: as many as fit; the rest are closed and MSG_CTRUNC is set). Returns
     * the flags to add to msg_flags; used[0] is how much of control was written.
     */
    static int deliver(Services k, Task t, ScmRights rights, long control, long len, boolean cloexec, long[] used) {
        long room = control == 0 || len < HEADER ? 0 : (len - HEADER) / 4;
        int[] fds = rights.install(t, (int) Math.min(room, ScmRights.MAX_FDS), cloexec);
        int flags = fds.length < rights.count() ? MSG_CTRUNC : 0;
        if (fds.length == 0) {
            return flags;
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * fds.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(HEADER + 4L * fds.length).putInt(SOL_SOCKET).putInt(SCM_RIGHTS);
        for (int fd : fds) {
            b.putInt(fd);
        }
        if (!k.uaccess.copyToUser(t.mm, control, b.array(), 0, b.capacity())) {
            // Linux too leaves the files installed when the message cannot be written.
            return flags | MSG_CTRUNC;
        }
        used[0] = Math.min(len, align(b.capacity()));
        return flags;
    }
}

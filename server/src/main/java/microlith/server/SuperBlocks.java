package microlith.server;

import java.nio.charset.StandardCharsets;
import microlith.module.api.Errno;
import microlith.module.api.SuperBlock;
import microlith.server.abi.Ipc;

/**
 * A mounted filesystem's operations as requests: SB_* labels carry the SuperBlock
 * method's arguments in registers (MR0 the instance), names in the byte area, and file
 * data through the request's grant (registers 10-12), which names a buffer the core
 * lends for the call.
 */
final class SuperBlocks {
    private SuperBlocks() {
    }

    private static long[] r(long v) {
        return new long[] {v};
    }

    static long[] dispatch(ServerRuntime rt, SuperBlock sb, Request q) {
        long[] m = q.mr;
        switch (q.label) {
            case Ipc.SB_ROOT: return r(sb.rootIno());
            case Ipc.SB_GETATTR: return ServerRuntime.attr(sb.getattr(m[1]));
            case Ipc.SB_LOOKUP: return r(sb.lookup(m[1], q.string(0)));
            case Ipc.SB_READDIR: {
                byte[] b = ServerRuntime.encodeEntries(sb.readdir(m[1]), (int) Math.min(q.withGrant(10).grantLength,
                    1 << 20));
                return r(rt.toGrant(q, b));
            }
            case Ipc.SB_CREATE: return r(sb.create(m[1], q.string(0), (int) m[2], (int) m[3], (int) m[4], m[5]));
            case Ipc.SB_MKNOD: return r(sb.mknod(m[1], q.string(0), (int) m[2], m[3], (int) m[4], (int) m[5], m[6]));
            case Ipc.SB_SYMLINK:
                return r(sb.symlink(m[1], q.string(0), q.string(1), (int) m[2], (int) m[3], m[4]));
            case Ipc.SB_READLINK: {
                String t = sb.readlink(m[1]);
                if (t == null) {
                    return r(-Errno.EINVAL);
                }
                rt.message().setBytes(t.getBytes(StandardCharsets.UTF_8));
                return r(0);
            }
            case Ipc.SB_LINK: return r(sb.link(m[1], m[2], q.string(0)));
            case Ipc.SB_REMOVE: return r(sb.remove(m[1], q.string(0), m[2] != 0));
            case Ipc.SB_EVICT:
                sb.evict(m[1]);
                return r(0);
            case Ipc.SB_RENAME: return r(sb.rename(m[1], q.string(0), m[2], q.string(1)));
            case Ipc.SB_READ: {
                int len = (int) Math.min(m[3], q.withGrant(10).grantLength);
                byte[] b = new byte[Math.max(0, len)];
                int n = sb.read(m[1], m[2], b, 0, b.length);
                if (n <= 0) {
                    return r(n);
                }
                long w = rt.toGrant(q, java.util.Arrays.copyOf(b, n));
                return r(w < 0 ? w : n);
            }
            case Ipc.SB_WRITE: {
                byte[] b = rt.fromGrant(q.withGrant(10), (int) m[3]);
                return r(b == null ? -Errno.EFAULT : sb.write(m[1], m[2], b, 0, b.length, m[4]));
            }
            case Ipc.SB_TRUNCATE: return r(sb.truncate(m[1], m[2], m[3]));
            case Ipc.SB_CHMOD: return r(sb.chmod(m[1], (int) m[2]));
            case Ipc.SB_CHOWN: return r(sb.chown(m[1], (int) m[2], (int) m[3]));
            case Ipc.SB_UTIMES: return r(sb.utimes(m[1], m[2]));
            case Ipc.SB_FSYNC: return r(sb.fsync(m[1]));
            case Ipc.SB_SYNC: return r(sb.sync());
            case Ipc.SB_UNMOUNT:
                sb.unmount();
                return r(0);
            default: {
                long[] s = sb.statfs();
                long[] out = new long[6];
                System.arraycopy(s, 0, out, 1, Math.min(5, s.length));
                return out;
            }
        }
    }
}

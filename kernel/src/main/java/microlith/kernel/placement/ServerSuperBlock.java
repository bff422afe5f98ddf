package microlith.kernel.placement;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import microlith.kernel.ipc.Grant;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.mm.Layout;
import microlith.module.api.DirEntry;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;
import microlith.server.abi.Ipc;

/**
 * A mounted filesystem served by a server, as the VFS sees it: each SuperBlock method is
 * one SB_* request. Names travel in the message's byte area; file data, directory
 * listings and the like through the kernel buffer the core lends for the call (a grant
 * the server may use for that request only).
 */
final class ServerSuperBlock implements SuperBlock {
    private final ServerPlacement p;
    private final ServerModule sm;
    private final IpcCore ipc;
    private final long id;

    ServerSuperBlock(ServerPlacement p, ServerModule sm, long id) {
        this.p = p;
        this.sm = sm;
        this.ipc = p.ipc;
        this.id = id;
    }

    private long[] req(int label, byte[] bytes, Grant g, long... args) {
        long[] mr = new long[13];
        mr[0] = id;
        System.arraycopy(args, 0, mr, 1, args.length);
        if (g != null) {
            mr[10] = g.id();
            mr[11] = g.base();
            mr[12] = g.length();
        }
        return ipc.call(sm.s, label, mr, bytes, g);
    }

    private long call(int label, long... args) {
        return req(label, null, null, args)[0];
    }

    private long named(int label, String name, long... args) {
        return req(label, name.getBytes(StandardCharsets.UTF_8), null, args)[0];
    }

    private long bounce() {
        return Layout.pa(sm.bounce);
    }

    @Override
    public long rootIno() {
        return call(Ipc.SB_ROOT);
    }

    @Override
    public InodeAttr getattr(long ino) {
        long[] r = req(Ipc.SB_GETATTR, null, null, ino);
        if (r[0] < 0 || r.length < 9) {
            return null;
        }
        return new InodeAttr(r[1], (int) r[2], (int) r[3], (int) r[4], (int) r[5], r[6], r[7], r[8]);
    }

    @Override
    public long lookup(long dir, String name) {
        return named(Ipc.SB_LOOKUP, name, dir);
    }

    @Override
    public List<DirEntry> readdir(long dir) {
        Grant g = sm.lend(ipc, ServerModule.BOUNCE, true);
        long n = req(Ipc.SB_READDIR, null, g, dir)[0];
        List<DirEntry> out = new ArrayList<>();
        if (n <= 0) {
            return out;
        }
        byte[] raw = new byte[(int) n];
        p.k.cpu().memory().readBytes(bounce(), raw, 0, raw.length);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 10) {
            long ino = b.getLong();
            byte[] name = new byte[b.getShort() & 0xffff];
            b.get(name);
            out.add(new DirEntry(new String(name, StandardCharsets.UTF_8), ino));
        }
        return out;
    }

    @Override
    public long create(long dir, String name, int mode, int uid, int gid, long mtime) {
        return named(Ipc.SB_CREATE, name, dir, mode, uid, gid, mtime);
    }

    @Override
    public long mknod(long dir, String name, int mode, long rdev, int uid, int gid, long mtime) {
        return named(Ipc.SB_MKNOD, name, dir, mode, rdev, uid, gid, mtime);
    }

    @Override
    public long symlink(long dir, String name, String target, int uid, int gid, long mtime) {
        return req(Ipc.SB_SYMLINK, (name + "\0" + target).getBytes(StandardCharsets.UTF_8), null, dir, uid, gid,
            mtime)[0];
    }

    @Override
    public String readlink(long ino) {
        long r = call(Ipc.SB_READLINK, ino);
        return r < 0 ? null : new String(ipc.replyBytes(sm.s), StandardCharsets.UTF_8);
    }

    @Override
    public int link(long ino, long dir, String name) {
        return (int) named(Ipc.SB_LINK, name, ino, dir);
    }

    @Override
    public int remove(long dir, String name, boolean directory) {
        return (int) named(Ipc.SB_REMOVE, name, dir, directory ? 1 : 0);
    }

    @Override
    public void evict(long ino) {
        call(Ipc.SB_EVICT, ino);
    }

    @Override
    public int rename(long fromDir, String from, long toDir, String to) {
        return (int) req(Ipc.SB_RENAME, (from + "\0" + to).getBytes(StandardCharsets.UTF_8), null, fromDir, toDir)[0];
    }

    @Override
    public int read(long ino, long pos, byte[] buf, int off, int len) {
        int done = 0;
        while (done < len) {
            int chunk = Math.min(len - done, ServerModule.BOUNCE);
            Grant g = sm.lend(ipc, chunk, true);
            long n = req(Ipc.SB_READ, null, g, ino, pos + done, chunk)[0];
            if (n < 0) {
                return done > 0 ? done : (int) n;
            }
            p.k.cpu().memory().readBytes(bounce(), buf, off + done, (int) n);
            done += (int) n;
            if (n < chunk) {
                break;
            }
        }
        return done;
    }

    @Override
    public int write(long ino, long pos, byte[] buf, int off, int len, long mtime) {
        int done = 0;
        while (done < len) {
            int chunk = Math.min(len - done, ServerModule.BOUNCE);
            p.k.cpu().memory().writeBytes(bounce(), buf, off + done, chunk);
            Grant g = sm.lend(ipc, chunk, false);
            long n = req(Ipc.SB_WRITE, null, g, ino, pos + done, chunk, mtime)[0];
            if (n < 0) {
                return done > 0 ? done : (int) n;
            }
            done += (int) n;
            if (n < chunk) {
                break;
            }
        }
        return done;
    }

    @Override
    public int truncate(long ino, long size, long mtime) {
        return (int) call(Ipc.SB_TRUNCATE, ino, size, mtime);
    }

    @Override
    public int chmod(long ino, int mode) {
        return (int) call(Ipc.SB_CHMOD, ino, mode);
    }

    @Override
    public int chown(long ino, int uid, int gid) {
        return (int) call(Ipc.SB_CHOWN, ino, uid, gid);
    }

    @Override
    public int utimes(long ino, long mtime) {
        return (int) call(Ipc.SB_UTIMES, ino, mtime);
    }

    @Override
    public int fsync(long ino) {
        return (int) call(Ipc.SB_FSYNC, ino);
    }

    @Override
    public int sync() {
        return (int) call(Ipc.SB_SYNC);
    }

    @Override
    public void unmount() {
        call(Ipc.SB_UNMOUNT);
    }

    @Override
    public long[] statfs() {
        long[] r = req(Ipc.SB_STATFS, null, null);
        long[] out = new long[5];
        if (r.length >= 6) {
            System.arraycopy(r, 1, out, 0, 5);
        }
        return out;
    }
}

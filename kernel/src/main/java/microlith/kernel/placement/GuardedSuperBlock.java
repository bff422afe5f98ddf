package microlith.kernel.placement;

import java.util.List;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.module.api.DirEntry;
import microlith.module.api.Errno;
import microlith.module.api.InodeAttr;
import microlith.module.api.SuperBlock;

/** A module filesystem's operations as the kernel calls them, each under the watchdog. */
final class GuardedSuperBlock implements SuperBlock {
    private final ModuleLoader l;
    private final LoadedModule m;
    private final SuperBlock sb;

    GuardedSuperBlock(ModuleLoader l, LoadedModule m, SuperBlock sb) {
        this.l = l;
        this.m = m;
        this.sb = sb;
    }

    private long call(String what, java.util.function.LongSupplier body) {
        return l.guarded(m, what, -Errno.EIO, body);
    }

    @Override
    public long rootIno() {
        return call("root", sb::rootIno);
    }

    @Override
    public InodeAttr getattr(long ino) {
        return l.guardedCall(m, "getattr", null, () -> sb.getattr(ino));
    }

    @Override
    public long lookup(long dir, String name) {
        return call("lookup", () -> sb.lookup(dir, name));
    }

    @Override
    public List<DirEntry> readdir(long dir) {
        List<DirEntry> r = l.guardedCall(m, "readdir", List.of(), () -> sb.readdir(dir));
        return r == null ? List.of() : r;
    }

    @Override
    public long create(long dir, String name, int mode, int uid, int gid, long mtime) {
        return call("create", () -> sb.create(dir, name, mode, uid, gid, mtime));
    }

    @Override
    public long mknod(long dir, String name, int mode, long rdev, int uid, int gid, long mtime) {
        return call("mknod", () -> sb.mknod(dir, name, mode, rdev, uid, gid, mtime));
    }

    @Override
    public long symlink(long dir, String name, String target, int uid, int gid, long mtime) {
        return call("symlink", () -> sb.symlink(dir, name, target, uid, gid, mtime));
    }

    @Override
    public String readlink(long ino) {
        return l.guardedCall(m, "readlink", null, () -> sb.readlink(ino));
    }

    @Override
    public int link(long ino, long dir, String name) {
        return (int) call("link", () -> sb.link(ino, dir, name));
    }

    @Override
    public int remove(long dir, String name, boolean directory) {
        return (int) call("remove", () -> sb.remove(dir, name, directory));
    }

    @Override
    public void evict(long ino) {
        call("evict_inode", () -> {
            sb.evict(ino);
            return 0;
        });
    }

    @Override
    public int rename(long fromDir, String from, long toDir, String to) {
        return (int) call("rename", () -> sb.rename(fromDir, from, toDir, to));
    }

    @Override
    public int read(long ino, long pos, byte[] buf, int off, int len) {
        return (int) call("read", () -> sb.read(ino, pos, buf, off, len));
    }

    @Override
    public int write(long ino, long pos, byte[] buf, int off, int len, long mtime) {
        return (int) call("write", () -> sb.write(ino, pos, buf, off, len, mtime));
    }

    @Override
    public int truncate(long ino, long size, long mtime) {
        return (int) call("truncate", () -> sb.truncate(ino, size, mtime));
    }

    @Override
    public int chmod(long ino, int mode) {
        return (int) call("chmod", () -> sb.chmod(ino, mode));
    }

    @Override
    public int chown(long ino, int uid, int gid) {
        return (int) call("chown", () -> sb.chown(ino, uid, gid));
    }

    @Override
    public int utimes(long ino, long mtime) {
        return (int) call("utimes", () -> sb.utimes(ino, mtime));
    }

    @Override
    public int fsync(long ino) {
        return (int) call("fsync", () -> sb.fsync(ino));
    }

    @Override
    public int sync() {
        return (int) call("sync", sb::sync);
    }

    @Override
    public void unmount() {
        call("put_super", () -> {
            sb.unmount();
            return 0;
        });
    }

    @Override
    public long[] statfs() {
        return l.guardedCall(m, "statfs", new long[5], sb::statfs);
    }
}

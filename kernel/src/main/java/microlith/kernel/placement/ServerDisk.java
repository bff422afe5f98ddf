package microlith.kernel.placement;

import microlith.kernel.ipc.Grant;
import microlith.kernel.mm.AddressSpace;
import microlith.kernel.mm.Layout;
import microlith.kernel.module.LoadedModule;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.server.abi.Ipc;

/**
 * A disk whose driver is a server, as the rest of the system holds it (the block-device
 * registry, a mount, a filesystem server's device handle). It outlives the driver's
 * process: each transfer is a BLK_* request to whichever instance serves the disk now.
 *
 * <p>A request in flight when the driver dies is retried, as MINIX 3's file servers retry
 * a disk request after the reincarnation server restarts the driver: the core asks the
 * reincarnation server to bring the driver back at once and sends the request again to
 * the new instance. Sector transfers are idempotent, so a write that was half done when
 * the driver died is simply done again. Only when the driver cannot come back (it keeps
 * dying, or was taken down) does the caller see EIO.
 */
final class ServerDisk implements BlockDevice {
    /** Retries of one request after its driver died; the reincarnation server's back-off bounds them too. */
    private static final int RETRIES = 2;

    private final ServerPlacement p;
    private final LoadedModule m;
    final String name;
    /** The instance serving the disk and its device id there; null between instances. */
    private ServerModule sm;
    private long id;

    ServerDisk(ServerPlacement p, LoadedModule m, String name) {
        this.p = p;
        this.m = m;
        this.name = name;
    }

    void bind(ServerModule instance, long deviceId) {
        this.sm = instance;
        this.id = deviceId;
    }

    void unbind() {
        this.sm = null;
    }

    boolean boundTo(ServerModule instance) {
        return sm == instance;
    }

    /** One attempt of a request on the current instance. */
    @FunctionalInterface
    private interface Attempt {
        long run(ServerModule instance, long deviceId);
    }

    /**
     * Runs a request, retrying it on a new instance when the driver died serving it (or was
     * dead when it came). A live driver's own error is returned as it is.
     */
    private long retried(Attempt a) {
        for (int tries = 0; ; tries++) {
            ServerModule cur = sm;
            if (cur != null && cur.s.alive()) {
                long r = a.run(cur, id);
                if (r != -Errno.EIO || cur.s.alive()) {
                    return r;
                }
            }
            if (tries >= RETRIES || !p.reincarnation().restartNow(m)) {
                return -Errno.EIO;
            }
        }
    }

    @Override
    public long sectors() {
        return Math.max(0, retried((cur, dev) -> p.ipc.call(cur.s, Ipc.BLK_SECTORS, new long[] {dev}, null, null)[0]));
    }

    @Override
    public int flush() {
        return (int) retried((cur, dev) -> p.ipc.call(cur.s, Ipc.BLK_FLUSH, new long[] {dev}, null, null)[0]);
    }

    /**
     * A transfer straight to or from a filesystem server's copy window: a grant of
     * [va, va + count sectors) of mm for each attempt.
     */
    long transfer(boolean read, long lba, int count, AddressSpace mm, long va) {
        return retried((cur, dev) -> send(cur, dev, read, lba, count,
            p.ipc.grant(mm, va, (long) count * SECTOR_SIZE, !read, read)));
    }

    /** A transfer by cur: sectors done or -errno; EIO if the driver claims more sectors than asked for. */
    private long send(ServerModule cur, long dev, boolean read, long lba, int count, Grant g) {
        long n = p.ipc.call(cur.s, read ? Ipc.BLK_READ : Ipc.BLK_WRITE,
            new long[] {dev, lba, count, g.id(), g.base(), g.length()}, null, g)[0];
        if (n > count) {
            p.k.log().err("%s: server [%d] answered %d sectors to a transfer of %d: EIO", cur.m.name,
                cur.s.task.pid, n, count);
            return -Errno.EIO;
        }
        return n;
    }

    /** A transfer for a caller in the kernel, through the instance's bounce buffer. */
    private int io(boolean read, long lba, int count, byte[] buf, int off) {
        int per = ServerModule.BOUNCE / SECTOR_SIZE;
        int done = 0;
        while (done < count) {
            int n = Math.min(per, count - done);
            int at = done;
            long r = retried((cur, dev) -> {
                long pa = Layout.pa(cur.bounce);
                if (!read) {
                    p.k.cpu().memory().writeBytes(pa, buf, off + at * SECTOR_SIZE, n * SECTOR_SIZE);
                }
                long got = send(cur, dev, read, lba + at, n, cur.lend(p.ipc, (long) n * SECTOR_SIZE, read));
                if (read && got > 0) {
                    p.k.cpu().memory().readBytes(pa, buf, off + at * SECTOR_SIZE, (int) got * SECTOR_SIZE);
                }
                return got;
            });
            if (r < 0) {
                return done > 0 ? done : (int) r;
            }
            done += (int) r;
            if (r < n) {
                break;
            }
        }
        return done;
    }

    @Override
    public int read(long lba, int count, byte[] buf, int off) {
        return io(true, lba, count, buf, off);
    }

    @Override
    public int write(long lba, int count, byte[] buf, int off) {
        return io(false, lba, count, buf, off);
    }
}

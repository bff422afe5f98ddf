package microlith.server;

import microlith.module.api.BlockDevice;
import microlith.server.abi.Ipc;

/**
 * The disk a filesystem in a server was mounted on, wherever its driver runs: every
 * transfer is a kernel call the core routes to the driver (a direct call in the kernel,
 * or a request to the driver's server, which copies into this server's copy window
 * through a grant the core makes for it).
 */
final class RemoteBlockDevice implements BlockDevice {
    private final KernelCalls k;
    private final UserMemory mem;
    private final long handle;

    RemoteBlockDevice(KernelCalls k, UserMemory mem, long handle) {
        this.k = k;
        this.mem = mem;
        this.handle = handle;
    }

    @Override
    public long sectors() {
        return k.call(Ipc.K_BLK_SECTORS, handle);
    }

    @Override
    public int read(long lba, int count, byte[] buf, int off) {
        int per = Ipc.WINDOW_SIZE / SECTOR_SIZE;
        int done = 0;
        while (done < count) {
            int n = Math.min(per, count - done);
            long r = k.call(Ipc.K_BLK_READ, handle, lba + done, n, Ipc.WINDOW);
            if (r < 0) {
                return done > 0 ? done : (int) r;
            }
            mem.read(Ipc.WINDOW, buf, off + done * SECTOR_SIZE, (int) r * SECTOR_SIZE);
            done += (int) r;
            if (r < n) {
                break;
            }
        }
        return done;
    }

    @Override
    public int write(long lba, int count, byte[] buf, int off) {
        int per = Ipc.WINDOW_SIZE / SECTOR_SIZE;
        int done = 0;
        while (done < count) {
            int n = Math.min(per, count - done);
            mem.write(Ipc.WINDOW, buf, off + done * SECTOR_SIZE, n * SECTOR_SIZE);
            long r = k.call(Ipc.K_BLK_WRITE, handle, lba + done, n, Ipc.WINDOW);
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
    public int flush() {
        return (int) k.call(Ipc.K_BLK_FLUSH, handle);
    }
}

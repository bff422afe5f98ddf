package microlith.kernel.placement;

import microlith.kernel.ipc.Grant;
import microlith.kernel.ipc.IpcCore;
import microlith.kernel.module.ModuleLoader;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.FileSystemType;
import microlith.module.api.SuperBlock;
import microlith.server.abi.Ipc;

/**
 * Device and filesystem registrations from servers (K_CHRDEV_*, K_DEVICE_*, K_BLKDEV_*,
 * K_FS_*), and the core's stand-ins for what a server registered: a disk and a filesystem
 * type the VFS calls as it calls any, each call a request to the server.
 */
final class ServerDevices {
    private ServerDevices() {
    }

    static long call(ServerPlacement p, ServerModule sm, int op, long[] mr, String name) {
        KernelServices k = p.k;
        ModuleLoader loader = k.loader();
        switch (op) {
            case Ipc.K_CHRDEV_REGION: {
                long table = ServerFops.table(p, sm, mr[1], name);
                if (table == 0) {
                    return -Errno.ENOMEM;
                }
                int r = k.chrdevs().register((int) mr[0], name, table, sm.owner);
                if (r < 0) {
                    k.kmalloc().free(table);
                    return r;
                }
                loader.registered(sm.m, "chrdev:" + r, () -> k.chrdevs().unregister(r));
                return r;
            }
            case Ipc.K_CHRDEV_UNREGISTER:
                k.chrdevs().unregister((int) mr[0]);
                loader.unregistered(sm.m, "chrdev:" + mr[0]);
                destroyNode(k, loader, sm, name);
                return 0;
            case Ipc.K_DEVICE_CREATE: {
                int r = k.chrdevs().createNode(name, (int) mr[0], (int) mr[1], mr[2] == 0 ? 0600 : (int) mr[2]);
                if (r == 0) {
                    loader.registered(sm.m, "dev:" + name, () -> k.chrdevs().removeNode(name));
                }
                return r;
            }
            case Ipc.K_DEVICE_DESTROY:
                destroyNode(k, loader, sm, name);
                return 0;
            case Ipc.K_BLKDEV_REGISTER: {
                int r = k.blockdevs().register(name, new ServerBlockDevice(p, sm, mr[0]), sm.owner);
                if (r == 0) {
                    loader.registered(sm.m, "blkdev:" + name, () -> k.blockdevs().unregister(name));
                }
                return r;
            }
            case Ipc.K_BLKDEV_UNREGISTER:
                k.blockdevs().unregister(name);
                loader.unregistered(sm.m, "blkdev:" + name);
                return 0;
            case Ipc.K_FS_REGISTER: {
                int r = k.mounts().registerFilesystem(new ServerFileSystemType(p, sm, mr[0], name, mr[1] != 0), sm.owner);
                if (r == 0) {
                    loader.registered(sm.m, "fs:" + name, () -> k.mounts().unregisterFilesystem(name));
                }
                return r;
            }
            default: {
                int r = k.mounts().unregisterFilesystem(name);
                if (r == 0) {
                    loader.unregistered(sm.m, "fs:" + name);
                }
                return r;
            }
        }
    }

    private static void destroyNode(KernelServices k, ModuleLoader loader, ServerModule sm, String name) {
        if (sm.m.registrations.stream().anyMatch(r -> r.what().equals("dev:" + name))) {
            k.chrdevs().removeNode(name);
            loader.unregistered(sm.m, "dev:" + name);
        }
    }

    /** A disk whose driver is a server: each transfer a BLK_* request with a grant of the data. */
    static final class ServerBlockDevice implements BlockDevice {
        private final ServerPlacement p;
        private final ServerModule sm;
        private final long id;

        ServerBlockDevice(ServerPlacement p, ServerModule sm, long id) {
            this.p = p;
            this.sm = sm;
            this.id = id;
        }

        @Override
        public long sectors() {
            long r = p.ipc.call(sm.s, Ipc.BLK_SECTORS, new long[] {id}, null, null)[0];
            return Math.max(0, r);
        }

        /** One transfer of count sectors at lba through a grant the caller made. */
        long transfer(boolean read, long lba, int count, Grant g) {
            return p.ipc.call(sm.s, read ? Ipc.BLK_READ : Ipc.BLK_WRITE,
                new long[] {id, lba, count, g.id(), g.base(), g.length()}, null, g)[0];
        }

        private int io(boolean read, long lba, int count, byte[] buf, int off) {
            int per = ServerModule.BOUNCE / SECTOR_SIZE;
            int done = 0;
            long pa = microlith.kernel.mm.Layout.pa(sm.bounce);
            while (done < count) {
                int n = Math.min(per, count - done);
                if (!read) {
                    p.k.cpu().memory().writeBytes(pa, buf, off + done * SECTOR_SIZE, n * SECTOR_SIZE);
                }
                Grant g = sm.lend(p.ipc, (long) n * SECTOR_SIZE, read);
                long r = transfer(read, lba + done, n, g);
                if (r < 0) {
                    return done > 0 ? done : (int) r;
                }
                if (read) {
                    p.k.cpu().memory().readBytes(pa, buf, off + done * SECTOR_SIZE, (int) r * SECTOR_SIZE);
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

        @Override
        public int flush() {
            return (int) p.ipc.call(sm.s, Ipc.BLK_FLUSH, new long[] {id}, null, null)[0];
        }
    }

    /** A filesystem type a server registered: mount is a request, the instance a ServerSuperBlock. */
    static final class ServerFileSystemType implements FileSystemType {
        private final ServerPlacement p;
        private final ServerModule sm;
        private final long id;
        private final String name;
        private final boolean requiresDevice;

        ServerFileSystemType(ServerPlacement p, ServerModule sm, long id, String name, boolean requiresDevice) {
            this.p = p;
            this.sm = sm;
            this.id = id;
            this.name = name;
            this.requiresDevice = requiresDevice;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean requiresDevice() {
            return requiresDevice;
        }

        @Override
        public SuperBlock mount(BlockDevice device, String options, boolean readOnly) throws MountException {
            long dev = device == null ? 0 : p.calls().lendDevice(device);
            IpcCore ipc = p.ipc;
            long r = ipc.call(sm.s, Ipc.FS_MOUNT, new long[] {id, dev, readOnly ? 1 : 0},
                options.getBytes(java.nio.charset.StandardCharsets.UTF_8), null)[0];
            if (r < 0) {
                String why = new String(ipc.replyBytes(sm.s), java.nio.charset.StandardCharsets.UTF_8);
                throw new MountException((int) -r, why.isEmpty() || !sm.s.alive() ? "mount failed" : why);
            }
            return new ServerSuperBlock(p, sm, r);
        }
    }
}

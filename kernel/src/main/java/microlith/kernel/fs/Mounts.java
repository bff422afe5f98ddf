package microlith.kernel.fs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import microlith.kernel.Kernel;
import microlith.kernel.module.GuardedSuperBlock;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.proc.Task;
import microlith.kernel.syscall.Errno;
import microlith.module.api.FileSystemType;
import microlith.module.api.SuperBlock;

/**
 * Registered filesystem types and the mount table (mount(2), umount2(2), /proc/mounts,
 * /proc/filesystems). A mount holds references on the filesystem's module and on the
 * disk driver's module, so neither can be unloaded while it is mounted.
 */
public final class Mounts {
    public static final int MS_RDONLY = 1;

    private record FsType(FileSystemType type, LoadedModule owner) {
    }

    private final Kernel k;
    private final Map<String, FsType> types = new LinkedHashMap<>();
    private final List<Mount> mounts = new ArrayList<>();

    public Mounts(Kernel k) {
        this.k = k;
    }

    public int registerFilesystem(FileSystemType type, LoadedModule owner) {
        String name = type.name();
        if (name == null || !name.matches("[a-z0-9_]{1,16}") || types.containsKey(name)) {
            return -Errno.EBUSY;
        }
        types.put(name, new FsType(type, owner));
        return 0;
    }

    public int unregisterFilesystem(String name) {
        for (Mount m : mounts) {
            if (m.type.equals(name)) {
                return -Errno.EBUSY;
            }
        }
        types.remove(name);
        return 0;
    }

    /** mount(2) of a block device on a directory of the root filesystem. */
    public int mount(Task t, String source, String target, String fstype, long flags, String data) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        // Linux's order: the mount point, then the filesystem type, then the device.
        Inode dir = k.rootfs.lookup(target);
        if (dir == null) {
            return -Errno.ENOENT;
        }
        if (!dir.isDir()) {
            return -Errno.ENOTDIR;
        }
        FsType ft = types.get(fstype);
        if (ft == null) {
            return -Errno.ENODEV;
        }
        Inode dev = k.rootfs.lookup(source);
        if (dev == null) {
            return -Errno.ENOENT;
        }
        BlockDevices.Entry disk = k.blockdevs.forNode(dev);
        if (disk == null) {
            return -Errno.ENOTBLK;
        }
        if (dir.mnt != null || dir.mountedHere != null || target.equals("/") || target.startsWith("/proc")
            || target.startsWith("/sys")) {
            return -Errno.EBUSY;
        }
        for (Mount m : mounts) {
            if (m.source.equals(source)) {
                return -Errno.EBUSY;
            }
        }
        if (!k.modules.get(ft.owner) || !k.modules.get(disk.owner())) {
            k.modules.put(ft.owner);
            return -Errno.ENODEV;
        }
        boolean ro = (flags & MS_RDONLY) != 0;
        SuperBlock[] out = new SuperBlock[1];
        long r = k.modules.guarded(ft.owner, fstype + "_mount", -Errno.EIO, () -> {
            try {
                out[0] = ft.type.mount(disk.device(), data == null ? "" : data, ro);
                return out[0] == null ? -Errno.EINVAL : 0;
            } catch (FileSystemType.MountException e) {
                k.log.err("%s (%s): %s", fstype, disk.name(), e.getMessage());
                return -e.errno();
            }
        });
        if (r < 0) {
            k.modules.put(ft.owner);
            k.modules.put(disk.owner());
            return (int) r;
        }
        Mount m = new Mount(source, target, fstype, ro, new GuardedSuperBlock(k.modules, ft.owner, out[0]), ft.owner,
            disk.owner(), dir);
        m.root = m.inode(m.sb.rootIno());
        if (m.root == null || !m.root.isDir()) {
            m.sb.unmount();
            k.modules.put(ft.owner);
            k.modules.put(disk.owner());
            return -Errno.EUCLEAN;
        }
        m.refresh(m.root);
        dir.mountedHere = m.root;
        mounts.add(m);
        k.log.info("%s (%s): mounted filesystem %s on %s", fstype, disk.name(), ro ? "r/o" : "r/w", target);
        return 0;
    }

    /** umount2(2): EBUSY while files are open in it or a process works inside it. */
    public int umount(Task t, String target) {
        if (t.uid() != 0) {
            return -Errno.EPERM;
        }
        Mount m = null;
        for (Mount x : mounts) {
            if (x.target.equals(target)) {
                m = x;
            }
        }
        if (m == null) {
            if (target.equals("/") || target.equals("/proc") || target.equals("/sys") || target.equals("/dev")) {
                return -Errno.EBUSY;
            }
            return k.rootfs.lookup(target) == null ? -Errno.ENOENT : -Errno.EINVAL;
        }
        if (m.openFiles > 0) {
            return -Errno.EBUSY;
        }
        for (Task x : k.sched.all()) {
            if (x.state != Task.State.ZOMBIE && (x.cwd.equals(target) || x.cwd.startsWith(target + "/"))) {
                return -Errno.EBUSY;
            }
        }
        m.sb.sync();
        m.sb.unmount();
        m.covered.mountedHere = null;
        mounts.remove(m);
        k.modules.put(m.fsOwner);
        k.modules.put(m.devOwner);
        k.log.info("%s: unmounted %s", m.type, target);
        return 0;
    }

    /** Makes every mounted filesystem durable (sync(2), and before power-off). */
    public void syncAll() {
        for (Mount m : mounts) {
            m.sb.sync();
        }
    }

    /** /proc/mounts. */
    public String procMounts() {
        StringBuilder sb = new StringBuilder("rootfs / rootfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n"
            + "sysfs /sys sysfs ro,nosuid,nodev,noexec 0 0\ndevtmpfs /dev devtmpfs rw 0 0\n");
        for (Mount m : mounts) {
            sb.append(String.format("%s %s %s %s 0 0%n", m.source, m.target, m.type, m.readOnly ? "ro" : "rw"));
        }
        return sb.toString();
    }

    /**
     * /proc/filesystems: the types mount(2) accepts, i.e. the registered block filesystems
     * (/proc, /sys and /dev are built in and cannot be mounted again).
     */
    public String procFilesystems() {
        StringBuilder sb = new StringBuilder();
        for (String name : types.keySet()) {
            sb.append('\t').append(name).append('\n');
        }
        return sb.toString();
    }
}

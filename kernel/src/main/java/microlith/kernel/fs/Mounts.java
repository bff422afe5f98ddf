package microlith.kernel.fs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import microlith.kernel.log.Printk;
import microlith.module.api.BlockDevice;
import microlith.module.api.Errno;
import microlith.module.api.FileSystemType;
import microlith.module.api.SuperBlock;

/**
 * Registered filesystem types and the mount table (register_filesystem, mount(2),
 * umount2(2), /proc/mounts, /proc/filesystems). A mount holds references on the module
 * of its filesystem and on the module of its device, so neither can be unloaded first.
 * Kernel filesystems (proc, sysfs) are mounted with {@link #mountKernel}.
 */
public final class Mounts {
    public static final int MS_RDONLY = 1;

    private record FsType(FileSystemType type, Owner owner) {
    }

    private final Printk log;
    private final Map<String, FsType> types = new LinkedHashMap<>();
    private final List<Mount> mounts = new ArrayList<>();
    private Mount root;
    private int nextDev = 1;

    /** The kernel log, for what the VFS finds wrong in a filesystem's answers. */
    public Printk log() {
        return log;
    }

    public Mounts(Printk log) {
        this.log = log;
    }

    public int registerFilesystem(FileSystemType type, Owner owner) {
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

    /**
     * Forgets a filesystem type even while mounts of it remain: they keep the instance they
     * were mounted from, and a new registration of the name serves new mounts (a restarted
     * filesystem server registering again).
     */
    public void forgetFilesystem(String name) {
        types.remove(name);
    }

    Inode rootInode() {
        return root.root;
    }

    public Mount rootMount() {
        return root;
    }

    public List<Mount> all() {
        return mounts;
    }

    /**
     * Mounts filesystem type fstype from device (null for a type that needs none) on the
     * directory covered (null: as the root filesystem). 0 or a negative errno.
     */
    int mount(String fstype, String source, BlockDevice device, Owner devOwner, Inode covered, String target,
              boolean readOnly, String data) {
        FsType ft = types.get(fstype);
        if (ft == null) {
            return -Errno.ENODEV;
        }
        if (!ft.owner.get()) {
            return -Errno.ENODEV;
        }
        if (!devOwner.get()) {
            ft.owner.put();
            return -Errno.ENODEV;
        }
        SuperBlock sb;
        try {
            sb = ft.type.mount(device, data == null ? "" : data, readOnly);
        } catch (FileSystemType.MountException e) {
            log.err("%s (%s): %s", fstype, source, e.getMessage());
            sb = null;
            ft.owner.put();
            devOwner.put();
            return -e.errno();
        }
        if (sb == null) {
            ft.owner.put();
            devOwner.put();
            return -Errno.EINVAL;
        }
        Mount m = new Mount(nextDev++, fstype, source, target, readOnly, sb, ft.owner, devOwner, covered);
        m.root = m.inode(sb.rootIno());
        if (m.root == null || !m.root.isDir()) {
            sb.unmount();
            ft.owner.put();
            devOwner.put();
            return -Errno.EUCLEAN;
        }
        attach(m, covered);
        return 0;
    }

    /** A filesystem the kernel implements itself (proc, sysfs), mounted on covered. */
    public Mount mountKernel(String type, SuperBlock sb, Inode covered, String target) {
        Mount m = new Mount(nextDev++, type, type, target, false, sb, Owner.KERNEL, Owner.KERNEL, covered);
        m.root = m.inode(sb.rootIno());
        attach(m, covered);
        return m;
    }

    private void attach(Mount m, Inode covered) {
        if (covered == null) {
            root = m;
        } else {
            covered.mounted = m;
        }
        mounts.add(m);
    }

    /** Which mount is on the directory at the canonical path target, or null. */
    Mount at(String target) {
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).target.equals(target)) {
                return mounts.get(i);
            }
        }
        return null;
    }

    /** Whether any filesystem is mounted on a directory inside m (a child mount keeps it busy). */
    boolean hasChildren(Mount m) {
        for (Mount x : mounts) {
            if (x.covered != null && x.covered.mnt == m) {
                return true;
            }
        }
        return false;
    }

    /** Detaches m after a final sync; the caller checked it is not busy. */
    void detach(Mount m) {
        m.sb.sync();
        m.sb.unmount();
        if (m.covered != null) {
            m.covered.mounted = null;
        }
        mounts.remove(m);
        m.fsOwner.put();
        m.devOwner.put();
    }

    /** Makes every mounted filesystem durable (sync(2), and before power-off). */
    public void syncAll() {
        for (Mount m : mounts) {
            m.sb.sync();
        }
    }

    /** /proc/mounts. */
    public String procMounts() {
        StringBuilder sb = new StringBuilder();
        for (Mount m : mounts) {
            String opts = m.readOnly ? "ro" : "rw";
            if (m.type.equals("proc") || m.type.equals("sysfs")) {
                opts += ",nosuid,nodev,noexec";
            }
            sb.append(String.format("%s %s %s %s 0 0%n", m.source, m.target, m.type, opts));
        }
        return sb.toString();
    }

    /** /proc/filesystems: the registered types, "nodev" for those that need no device. */
    public String procFilesystems() {
        StringBuilder sb = new StringBuilder();
        for (FsType t : types.values()) {
            sb.append(t.type.requiresDevice() ? "\t" : "nodev\t").append(t.type.name()).append('\n');
        }
        return sb.toString();
    }

    boolean requiresDevice(String fstype) {
        FsType ft = types.get(fstype);
        return ft == null || ft.type.requiresDevice();
    }

    boolean known(String fstype) {
        return types.containsKey(fstype);
    }
}

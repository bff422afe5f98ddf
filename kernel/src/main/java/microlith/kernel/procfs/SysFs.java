package microlith.kernel.procfs;

import java.util.ArrayList;
import java.util.List;
import microlith.kernel.fs.Inode;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.kernel.task.Scheduler;
import microlith.kernel.task.Task;
import microlith.module.api.Errno;

/**
 * /sys (Linux's sysfs), for now the module tree:
 *
 * <pre>
 * /sys/module/NAME/initstate            live | coming | going
 * /sys/module/NAME/refcnt               the reference count
 * /sys/module/NAME/placement            kernel | server PID (where the module's code runs)
 * /sys/module/NAME/parameters/PARAM     the parameter's value
 * /sys/rs/services                      the reincarnation server's services (added by the kernel
 *                                       in a model with servers; see docs/microkernel.md)
 * </pre>
 * A parameter declared with write permission (0644) can be changed by root by writing
 * its file, as in Linux; the module sees the new value on its next get().
 */
public final class SysFs extends PseudoFs {
    private final ModuleLoader modules;
    private final Scheduler sched;
    /** Files other parts of the kernel add, by path under /sys (e.g. "rs/services"). */
    private final java.util.Map<String, Node> extra = new java.util.TreeMap<>();

    public SysFs(ModuleLoader modules, Scheduler sched) {
        this.modules = modules;
        this.sched = sched;
    }

    /**
     * Adds the file /sys/PATH: text() is what a reader gets, writer (null: read-only) takes
     * what is written and returns 0 or -errno; mode is its permission bits.
     */
    public void addFile(String path, int mode, java.util.function.Supplier<String> text,
                        java.util.function.Function<String, Integer> writer) {
        extra.put(path, new Node(Inode.S_IFREG | mode, 0, 0, text, writer, null));
    }

    /** The names directly under dir among the added files, and the directories that lead to them. */
    private List<String> extraChildren(String dir) {
        List<String> out = new ArrayList<>();
        String prefix = dir.isEmpty() ? "" : dir + "/";
        for (String path : extra.keySet()) {
            if (path.startsWith(prefix)) {
                String name = path.substring(prefix.length()).split("/")[0];
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    @Override
    List<String> children(String path) {
        String[] p = path.isEmpty() ? new String[0] : path.split("/");
        List<String> out = new ArrayList<>();
        if (p.length == 0 || !p[0].equals("module")) {
            out.addAll(extraChildren(path));
        }
        if (p.length == 0) {
            out.add(0, "module");
        } else if (p.length == 1 && p[0].equals("module")) {
            for (LoadedModule m : modules.list()) {
                out.add(m.name());
            }
        } else if (p.length == 2 && modules.find(p[1]) != null) {
            out.addAll(List.of("initstate", "parameters", "placement", "refcnt"));
        } else if (p.length == 3 && p[2].equals("parameters") && modules.find(p[1]) != null) {
            out.addAll(modules.paramNames(p[1]));
        }
        return out;
    }

    @Override
    Node node(String path) {
        if (extra.containsKey(path)) {
            return extra.get(path);
        }
        if (!path.isEmpty() && !extraChildren(path).isEmpty()) {
            return Node.dir(0, 0);
        }
        String[] p = path.isEmpty() ? new String[0] : path.split("/");
        if (p.length == 0 || p.length == 1 && p[0].equals("module")) {
            return Node.dir(0, 0);
        }
        if (!p[0].equals("module")) {
            return null;
        }
        LoadedModule m = modules.find(p[1]);
        if (m == null) {
            return null;
        }
        if (p.length == 2) {
            return Node.dir(0, 0);
        }
        if (p.length == 3) {
            switch (p[2]) {
                case "initstate": return Node.file(() -> modules.stateName(m) + "\n");
                case "refcnt": return Node.file(() -> modules.refcount(m) + "\n");
                case "placement": return Node.file(() -> modules.placementName(m) + "\n");
                case "parameters": return Node.dir(0, 0);
                default: return null;
            }
        }
        if (p.length == 4 && p[2].equals("parameters")) {
            String name = p[1];
            String param = p[3];
            if (modules.paramValue(name, param) == null) {
                return null;
            }
            int perm = modules.paramPerm(name, param) & 0644;
            return new Node(Inode.S_IFREG | perm, 0, 0, () -> modules.paramValue(name, param),
                (perm & 0200) == 0 ? null : text -> {
                    Task t = sched.current();
                    if (t != null && t.uid() != 0) {
                        return -Errno.EACCES;
                    }
                    return modules.setParam(name, param, text);
                }, null);
        }
        return null;
    }
}

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
 * </pre>
 * A parameter declared with write permission (0644) can be changed by root by writing
 * its file, as in Linux; the module sees the new value on its next get().
 */
public final class SysFs extends PseudoFs {
    private final ModuleLoader modules;
    private final Scheduler sched;

    public SysFs(ModuleLoader modules, Scheduler sched) {
        this.modules = modules;
        this.sched = sched;
    }

    @Override
    List<String> children(String path) {
        String[] p = path.isEmpty() ? new String[0] : path.split("/");
        List<String> out = new ArrayList<>();
        if (p.length == 0) {
            out.add("module");
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

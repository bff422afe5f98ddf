package microlith.kernel.fs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;

/**
 * /sys, generated on lookup (Linux's sysfs), for now just the module tree:
 *
 * <pre>
 * /sys/module/NAME/initstate            live | coming | going
 * /sys/module/NAME/refcnt               the reference count
 * /sys/module/NAME/parameters/PARAM     the parameter's value
 * </pre>
 * A parameter declared with write permission (0644) can be changed by root by writing
 * its file, as in Linux; the module sees the new value on its next get().
 */
public final class SysFs {
    private final java.util.function.Supplier<ModuleLoader> modules;

    public SysFs(java.util.function.Supplier<ModuleLoader> modules) {
        this.modules = modules;
    }

    /** An open parameter file: reads its value, and a write sets it. */
    private static final class ParamFile implements File {
        private final ModuleLoader ml;
        private final String module;
        private final String param;
        private final byte[] value;
        private int pos;

        ParamFile(ModuleLoader ml, String module, String param, String value) {
            this.ml = ml;
            this.module = module;
            this.param = param;
            this.value = value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read(microlith.kernel.proc.Task task, byte[] buf, int len) {
            int n = Math.max(0, Math.min(len, value.length - pos));
            System.arraycopy(value, pos, buf, 0, n);
            pos += n;
            return n;
        }

        @Override
        public int write(microlith.kernel.proc.Task task, byte[] buf, int len) {
            int r = ml.setParam(module, param, new String(buf, 0, len, StandardCharsets.UTF_8));
            return r < 0 ? r : len;
        }

        @Override
        public int mode() {
            return Inode.S_IFREG | 0644;
        }
    }

    /** Resolves a path below /sys ("" is /sys itself); null if there is no such entry. */
    public Inode lookup(String rest) {
        String[] p = rest.isEmpty() ? new String[0] : rest.split("/+");
        ModuleLoader ml = modules.get();
        if (p.length == 0) {
            Inode d = ProcFs.dir(List.of());
            d.children.put("module", new Inode(Inode.S_IFDIR | 0555, 0, 0));
            return d;
        }
        if (!p[0].equals("module") || ml == null) {
            return null;
        }
        if (p.length == 1) {
            Inode d = ProcFs.dir(List.of());
            for (LoadedModule m : ml.list()) {
                d.children.put(m.name(), new Inode(Inode.S_IFDIR | 0555, 0, 0));
            }
            return d;
        }
        LoadedModule m = ml.find(p[1]);
        if (m == null) {
            return null;
        }
        if (p.length == 2) {
            Inode d = ProcFs.dir(List.of("initstate", "refcnt"));
            d.children.put("parameters", new Inode(Inode.S_IFDIR | 0555, 0, 0));
            return d;
        }
        if (p.length == 3) {
            switch (p[2]) {
                case "initstate": return ProcFs.file(ml.stateName(m) + "\n", 0444);
                case "refcnt": return ProcFs.file(ml.refcount(m) + "\n", 0444);
                case "parameters": return ProcFs.dir(ml.paramNames(m.name()));
                default: return null;
            }
        }
        if (p.length == 4 && p[2].equals("parameters")) {
            String v = ml.paramValue(m.name(), p[3]);
            if (v == null) {
                return null;
            }
            int perm = ml.paramPerm(m.name(), p[3]) & 0644;
            Inode n = ProcFs.file(v, perm);
            if ((perm & 0200) != 0) {
                String module = m.name();
                String param = p[3];
                n.device = () -> new ParamFile(ml, module, param, v);
            }
            return n;
        }
        return null;
    }
}

package microlith.kernel.placement;

import microlith.kernel.log.Printk;
import microlith.kernel.module.LoadedModule;
import microlith.kernel.module.ModuleLoader;
import microlith.module.api.ModuleParam;

/**
 * module_param: a declared parameter takes its value from the load's key=value words
 * (or the kernel command line for a built-in module), is recorded for /sys/module and
 * modinfo, and a value that does not parse fails the load with EINVAL, as in Linux.
 */
final class Params {
    private Params() {
    }

    static <T> ModuleParam<T> declare(LoadedModule m, String name, String type, T value, int perm, String description) {
        LoadedModule.Param p = new LoadedModule.Param(type, perm, description, value);
        m.params.put(name, p);
        return new ModuleParam<T>() {
            @Override
            @SuppressWarnings("unchecked")
            public T get() {
                return (T) p.value;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    private static void bad(Printk log, LoadedModule m, String name, String value) {
        log.warn("%s: '%s' invalid for parameter '%s'", m.name, value, name);
        throw new ModuleLoader.BadParameter();
    }

    static ModuleParam<Long> paramLong(Printk log, LoadedModule m, String name, long dflt, int perm, String desc) {
        String v = m.given.get(name);
        long value = dflt;
        if (v != null) {
            try {
                value = Long.decode(v);
            } catch (NumberFormatException e) {
                bad(log, m, name, v);
            }
        }
        return declare(m, name, "long", value, perm, desc);
    }

    static ModuleParam<String> paramString(LoadedModule m, String name, String dflt, int perm, String desc) {
        String v = m.given.get(name);
        return declare(m, name, "charp", v != null ? v : dflt, perm, desc);
    }

    static ModuleParam<Boolean> paramBool(Printk log, LoadedModule m, String name, boolean dflt, int perm, String desc) {
        String v = m.given.get(name);
        boolean value = dflt;
        if (v != null) {
            switch (v) {
                case "": case "1": case "y": case "Y": value = true; break;
                case "0": case "n": case "N": value = false; break;
                default: bad(log, m, name, v);
            }
        }
        return declare(m, name, "bool", value, perm, desc);
    }
}

package microlith.kernel.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import microlith.module.api.KernelModule;

/**
 * One loaded module (Linux's struct module). The part a kernel bug could corrupt lives
 * in the module's data page in the module area:
 *
 * <pre>
 * struct module (module area, data page)
 *  0x00  u32 state       0 LIVE, 1 COMING, 2 GOING
 *  0x04  u32 refcnt      open files, mounts and other holders
 *  0x08  u64 init        address of the init entry point (a stub in the module's text)
 *  0x10  u64 exit        address of the exit entry point
 *  0x18  u64 text        base of the module's text
 *  0x20  char name[56]
 * </pre>
 * Which modules use this one, what it registered and its parameters are bookkeeping.
 */
public final class LoadedModule {
    public static final int OFF_STATE = 0x00, OFF_REFCNT = 0x04, OFF_INIT = 0x08, OFF_EXIT = 0x10, OFF_TEXT = 0x18,
        OFF_NAME = 0x20;
    static final int LIVE = 0, COMING = 1, GOING = 2;

    public final KoFile ko;
    public final String name;
    /** Address of struct module, and of the text stubs. */
    public long data;
    /** The module's text pages (one page each), in the order they were mapped. */
    final List<Long> textPages = new ArrayList<>();
    long textBase;
    int textUsed;
    /** KCALL routine ids this module's stubs use. */
    final List<Integer> routines = new ArrayList<>();
    public KernelModule instance;
    /** What the module was handed (the placement's SDK implementation). */
    public microlith.module.api.ModuleContext context;
    public ClassLoader loader;
    /** Where its code runs, and the server's pid when that is a server (0 in the kernel). */
    public ModuleLoader.Placement placement;
    public int serverPid;
    /** Built into the kernel image: not in /proc/modules and never unloaded, as in Linux. */
    public boolean builtin;
    /** Modules whose symbols this one resolved (it holds a reference on each). */
    final Set<LoadedModule> uses = new LinkedHashSet<>();
    /** Modules that use this one. */
    final Set<LoadedModule> usedBy = new LinkedHashSet<>();
    /** Parameters given at load, and those the module declared (name to value and description). */
    public final Map<String, String> given = new LinkedHashMap<>();
    public final Map<String, Param> params = new LinkedHashMap<>();
    /** Undo actions for everything registered through the SDK, run in reverse at unload. */
    public final List<Registration> registrations = new ArrayList<>();

    /** A declared parameter as /sys/module/NAME/parameters shows it. */
    public static final class Param {
        final String type;
        final int perm;
        final String description;
        public Object value;

        public Param(String type, int perm, String description, Object value) {
            this.type = type;
            this.perm = perm;
            this.description = description;
            this.value = value;
        }

        String show() {
            if (value instanceof Boolean) {
                return (Boolean) value ? "Y" : "N";
            }
            return String.valueOf(value);
        }
    }

    /** Something the module registered, with how to undo it. */
    public record Registration(String what, Runnable undo) {
    }

    LoadedModule(KoFile ko) {
        this.ko = ko;
        this.name = ko.name;
    }

    public String name() {
        return name;
    }
}

package microlith.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import microlith.kernel.log.Printk;

/**
 * The OS model, from the command line: where each module's code runs.
 *
 * <pre>
 * model=monolithic   every module in ring 0 (Linux)                         the default
 * model=microkernel  every module a ring-3 server, built-in drivers too (QNX Neutrino, MINIX 3)
 * model=hybrid       built-in drivers (the root filesystem, the console) in the kernel,
 *                    loadable modules as servers (NT and XNU with user-mode drivers)
 * placement=NAME=kernel|user   overrides the model for one module (repeatable)
 * </pre>
 * The choice is made here and applied in one place (ModuleLoader's placement policy);
 * nothing else in the kernel asks which model runs.
 */
final class OsModel {
    static final List<String> MODELS = List.of("monolithic", "microkernel", "hybrid");

    private final String name;
    private final Map<String, Boolean> overrides = new LinkedHashMap<>();

    private OsModel(String name) {
        this.name = name;
    }

    static OsModel fromCommandLine(CommandLine cmdline) {
        String m = cmdline.get("model", "monolithic");
        OsModel model = new OsModel(MODELS.contains(m) ? m : "monolithic");
        for (String p : cmdline.getAll("placement")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                model.overrides.put(p.substring(0, eq), p.substring(eq + 1).equals("kernel"));
            }
        }
        return model;
    }

    /** Whether the module runs in ring 0. */
    boolean inKernel(String module, boolean builtin) {
        Boolean o = overrides.get(module);
        if (o != null) {
            return o;
        }
        switch (name) {
            case "microkernel": return false;
            case "hybrid": return builtin;
            default: return true;
        }
    }

    /** The boot log's account of the model and of what runs in ring 0. */
    void describe(Printk log, List<String> builtins) {
        String core = "entry and traps, scheduler, address spaces, IPC and grants, IRQ routing, "
            + "process manager, pathname layer (VFS), proc and sysfs";
        switch (name) {
            case "microkernel":
                log.info("OS model: microkernel: the ring-0 core holds %s; every module runs as a ring-3 server", core);
                break;
            case "hybrid":
                log.info("OS model: hybrid: the ring-0 core holds %s and the built-in drivers; loaded modules run as "
                    + "ring-3 servers", core);
                break;
            default:
                log.info("OS model: monolithic: every module runs in ring 0 with the kernel");
        }
        StringBuilder where = new StringBuilder();
        for (String b : builtins) {
            where.append(' ').append(b).append('=').append(inKernel(b, true) ? "kernel" : "server");
        }
        overrides.forEach((mod, k) -> where.append(' ').append(mod).append('=').append(k ? "kernel" : "server"));
        log.info("OS model: placement%s", where);
    }
}

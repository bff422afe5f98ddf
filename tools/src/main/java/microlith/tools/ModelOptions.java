package microlith.tools;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the modules run: the OS model and per-module overrides (docs/microkernel.md). */
public final class ModelOptions {
    @Option(names = "--model", defaultValue = "${sys:microlith.model:-monolithic}", paramLabel = "MODEL",
        description = "OS model: monolithic (every module in ring 0; the default), microkernel (every module, the "
            + "root filesystem and the console included, a ring-3 server) or hybrid (built-in drivers in the kernel, "
            + "loaded modules as servers).")
    String model;

    @Option(names = "--placement", paramLabel = "NAME=kernel|user",
        description = "Where module NAME runs, whatever the model says (repeatable).")
    List<String> placements = new ArrayList<>();

    public String model() {
        return model;
    }

    public List<String> placements() {
        return placements;
    }

    /** Null if the options are usable, else a one-line complaint. */
    String validate() {
        if (!model.equals("monolithic") && !model.equals("microkernel") && !model.equals("hybrid")) {
            return "unknown model '" + model + "' (monolithic, microkernel or hybrid)";
        }
        for (String p : placements) {
            if (!p.matches("[A-Za-z0-9_]{1,55}=(kernel|user)")) {
                return "bad --placement '" + p + "' (NAME=kernel or NAME=user)";
            }
        }
        return null;
    }

    /** The kernel command-line words that carry the choice: " model=M placement=NAME=WHERE...". */
    public static String words(String model, List<String> placements) {
        StringBuilder cmd = new StringBuilder(" model=" + model);
        for (String p : placements) {
            cmd.append(" placement=").append(p);
        }
        return cmd.toString();
    }
}

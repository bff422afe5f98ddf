package microlith.kernel.fs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Files modules add at the top of /proc (proc_create), each generated when opened. */
public final class ProcEntries {
    private final Map<String, Supplier<String>> entries = new LinkedHashMap<>();

    public boolean add(String name, Supplier<String> show) {
        return entries.putIfAbsent(name, show) == null;
    }

    public void remove(String name) {
        entries.remove(name);
    }

    public Supplier<String> get(String name) {
        return entries.get(name);
    }

    public Iterable<String> names() {
        return entries.keySet();
    }
}

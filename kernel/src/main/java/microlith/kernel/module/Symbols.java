package microlith.kernel.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exported-symbol table (Linux's __ksymtab and __ksymtab_gpl) and the list behind
 * /proc/kallsyms: every kernel text symbol plus every module entry point.
 */
public final class Symbols {
    /** An exported function: its address, whether it is GPL-only, and who exports it (null: the kernel). */
    public record Export(String name, long address, boolean gplOnly, LoadedModule owner) {
    }

    /** A kallsyms line: address, type letter, name and owning module (null: the kernel). */
    public record Sym(long address, char type, String name, String module) {
    }

    private final Map<String, Export> exports = new LinkedHashMap<>();
    private final List<Sym> moduleSyms = new ArrayList<>();
    private final Map<String, Long> kernelText;

    Symbols(Map<String, Long> kernelText) {
        this.kernelText = kernelText;
    }

    public Export find(String name) {
        return exports.get(name);
    }

    public boolean export(Export e) {
        return exports.putIfAbsent(e.name(), e) == null;
    }

    void addModuleSymbol(long address, char type, String name, String module) {
        moduleSyms.add(new Sym(address, type, name, module));
    }

    /** Drops everything a module exported or placed. */
    void removeModule(LoadedModule m) {
        exports.values().removeIf(e -> e.owner() == m);
        moduleSyms.removeIf(s -> m.name.equals(s.module()));
    }

    /** All symbols, kernel first, in address order within each group. */
    public List<Sym> all() {
        List<Sym> out = new ArrayList<>();
        kernelText.entrySet().stream().sorted(Map.Entry.comparingByValue(Long::compareUnsigned))
            .forEach(e -> out.add(new Sym(e.getValue(), exports.containsKey(e.getKey()) ? 'T' : 't', e.getKey(), null)));
        List<Sym> mods = new ArrayList<>(moduleSyms);
        mods.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
        out.addAll(mods);
        return out;
    }

    /** kallsyms_lookup_name: an address by name, 0 if unknown. */
    long lookup(String name) {
        Long a = kernelText.get(name);
        if (a != null) {
            return a;
        }
        for (Sym s : moduleSyms) {
            if (s.name().equals(name)) {
                return s.address();
            }
        }
        return 0;
    }
}

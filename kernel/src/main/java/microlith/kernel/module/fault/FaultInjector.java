package microlith.kernel.module.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Puts one fault into a module's bytecode before the linker checks and meters it, as a
 * software fault injector rewrites a driver's machine code (docs/fault-injection.md).
 * Sites are counted over the classes in name order, methods in class-file order,
 * instructions in order, so site n of a type is the same instruction on every load.
 */
public final class FaultInjector {
    /** The class the faults' code calls (see FaultHelper); the loader binds its fields. */
    public static final String HELPER = FaultHelper.NAME;

    /** The classes with the fault in them, and where it went. */
    public record Injected(Map<String, byte[]> classes, String site) {
    }

    private FaultInjector() {
    }

    /** How many sites of type the classes have. */
    public static int sites(Map<String, byte[]> classes, FaultType type) {
        FaultSites.Count count = new FaultSites.Count(type, -1);
        for (Map.Entry<String, byte[]> e : new TreeMap<>(classes).entrySet()) {
            new ClassReader(e.getValue()).accept(visitor(null, count, e.getKey(), null, null), 0);
        }
        return count.next;
    }

    /** The classes with spec's fault at its site and the helper added; null if there is no such site. */
    public static Injected apply(Map<String, byte[]> classes, FaultSpec spec) {
        FaultSites.Count count = new FaultSites.Count(spec.type(), spec.site());
        FaultHelper helper = new FaultHelper(spec);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : new TreeMap<>(classes).entrySet()) {
            ClassReader r = new ClassReader(e.getValue());
            ClassWriter w = new ClassWriter(r, ClassWriter.COMPUTE_MAXS);
            r.accept(visitor(w, count, e.getKey(), spec, helper), 0);
            out.put(e.getKey(), w.toByteArray());
        }
        if (count.found == null) {
            return null;
        }
        out.put(HELPER, helper.generate());
        return new Injected(out, count.found);
    }

    private static ClassVisitor visitor(ClassVisitor next, FaultSites.Count count, String className, FaultSpec spec,
                                        FaultHelper helper) {
        return new ClassVisitor(Opcodes.ASM9, next) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                String where = className.substring(className.lastIndexOf('/') + 1) + "." + name;
                return new FaultSites(mv, count, where, spec, helper);
            }
        };
    }

    /** Every site of every type the classes have, for reports: type to count. */
    public static Map<FaultType, Integer> census(Map<String, byte[]> classes) {
        Map<FaultType, Integer> out = new LinkedHashMap<>();
        for (FaultType t : FaultType.values()) {
            out.put(t, sites(classes, t));
        }
        return out;
    }

    /** The types with at least one site in the classes. */
    public static List<FaultType> applicable(Map<String, byte[]> classes) {
        List<FaultType> out = new ArrayList<>();
        census(classes).forEach((t, n) -> {
            if (n > 0) {
                out.add(t);
            }
        });
        return out;
    }
}

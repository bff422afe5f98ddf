package microlith.module.api;

/** Generates a /proc file's text when it is opened (a seq_file show routine). */
@FunctionalInterface
public interface ProcShow {
    void show(StringBuilder out);
}

package microlith.module.api;

/**
 * A module parameter (module_param): set by {@code insmod name.ko key=value}, shown in
 * /sys/module/NAME/parameters/KEY and by modinfo, with its description.
 */
public interface ModuleParam<T> {
    T get();

    String name();
}

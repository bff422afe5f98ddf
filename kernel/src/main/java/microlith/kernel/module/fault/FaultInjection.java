package microlith.kernel.module.fault;

import java.util.Map;
import microlith.kernel.log.Printk;

/**
 * The fault this boot injects (kernel command line {@code faultinject=}, see
 * {@link FaultSpec}): into the first load of its module only, so that a server restarted
 * from the .ko runs clean code, as a driver restarted from disk does after a fault was
 * injected into its running image. It also counts the fault's activations: a probe the
 * experimenter reads from outside the machine, which the guest cannot see.
 */
public final class FaultInjection {
    private final FaultSpec spec;
    private String site;
    private long activations;

    public FaultInjection(FaultSpec spec) {
        this.spec = spec;
    }

    public FaultSpec spec() {
        return spec;
    }

    /** module's classes with the fault in, the first time that module loads; otherwise as given. */
    public Map<String, byte[]> injectInto(String module, Map<String, byte[]> classes, Printk log) {
        if (site != null || !spec.module().equals(module)) {
            return classes;
        }
        FaultInjector.Injected i = FaultInjector.apply(classes, spec);
        if (i == null) {
            site = "";
            log.warn("faultinject: %s has no site %d for a %s", module, spec.site(), spec.type().description);
            return classes;
        }
        site = i.site();
        log.notice("faultinject: %s: %s at %s", module, spec.type().description, site);
        return i.classes();
    }

    /** The probe the fault's code runs each time it is reached. */
    public void activated() {
        activations++;
    }

    /** Times the fault's code ran. */
    public long activations() {
        return activations;
    }

    /** Where the fault went; null before its module loaded, "" if it had no such site. */
    public String site() {
        return site;
    }
}

package microlith.module.api;

/** What the kernel offers a module. Grows with the SDK; a module holds no other reference. */
public interface ModuleContext {
    /** Log levels, as Linux's KERN_EMERG .. KERN_DEBUG. */
    int EMERG = 0, ALERT = 1, CRIT = 2, ERR = 3, WARNING = 4, NOTICE = 5, INFO = 6, DEBUG = 7;

    /** printk: one line in the kernel log at the given level. */
    void printk(int level, String message);

    /** The module's name from its manifest. */
    String name();
}

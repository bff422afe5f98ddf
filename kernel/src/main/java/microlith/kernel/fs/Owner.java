package microlith.kernel.fs;

/**
 * A reference-counted owner of something the VFS uses, such as the module behind a
 * filesystem or a device (Linux's try_module_get/module_put), so the VFS need not know
 * what a module is.
 */
public interface Owner {
    /** Takes a reference; false while the owner is going away. */
    boolean get();

    void put();

    /** No owner: the kernel's own code. */
    Owner KERNEL = new Owner() {
        @Override
        public boolean get() {
            return true;
        }

        @Override
        public void put() {
        }
    };
}

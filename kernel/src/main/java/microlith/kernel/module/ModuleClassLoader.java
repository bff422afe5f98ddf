package microlith.kernel.module;

import java.util.Map;

/**
 * The class loader of one module: defines the module's own (checked and instrumented)
 * classes and delegates only exported names (the SDK and the allowed part of java.base)
 * to the kernel's loader, so even a name the verifier missed cannot reach the kernel.
 */
final class ModuleClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    ModuleClassLoader(String name, Map<String, byte[]> classes) {
        super("ko:" + name, ModuleClassLoader.class.getClassLoader());
        this.classes = classes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] b = classes.get(name.replace('.', '/'));
                if (b != null) {
                    c = defineClass(name, b, 0, b.length);
                } else if (name.startsWith("java.") || name.startsWith("microlith.module.api.")) {
                    c = getParent().loadClass(name);
                } else {
                    throw new ClassNotFoundException(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public java.net.URL getResource(String name) {
        return null;
    }
}

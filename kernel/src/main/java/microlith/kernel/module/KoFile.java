package microlith.kernel.module;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import microlith.module.api.Errno;

/**
 * A module file as init_module(2) receives it: a jar whose manifest plays the part of
 * Linux's .modinfo section.
 *
 * <pre>
 * Module-Name: hello                  required: the name lsmod shows
 * Module-Class: microlith.modules.hello.Hello   required: the KernelModule
 * Module-Vermagic: 6.1.0-microlith    required: must equal the running kernel's release
 * Module-License: GPL                 missing means "unspecified", which taints
 * Module-Version, Module-Author, Module-Description, Module-Depends (comma-separated)
 * Module-Ports: 0x1f0-0x1f7,0x3f6     the I/O ports request_region may claim
 * Module-Irqs: 14                     the interrupt lines request_irq may claim
 * </pre>
 * The port and IRQ lists are the module's resource declaration (MINIX 3's system.conf):
 * in every OS model a claim outside them is refused, and in a server exactly the declared
 * and claimed ports are opened in its I/O bitmap.
 */
public final class KoFile {
    public final String name;
    public final String className;
    public final String vermagic;
    public final String license;
    public final String version;
    public final String author;
    public final String description;
    public final List<String> depends;
    /** Declared port ranges as [first, last] pairs, and declared IRQ lines. */
    public final List<int[]> ports;
    public final List<Integer> irqs;
    /** Class files by internal name ("a/b/C"). */
    public final Map<String, byte[]> classes;
    /** The file's size, reported by /proc/modules as the module's size. */
    public final int size;

    /** A file that is not a loadable module, with the errno and the kernel's log line. */
    public static final class Invalid extends Exception {
        public final int errno;

        Invalid(int errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }
    }

    private KoFile(Attributes a, Map<String, byte[]> classes, int size) throws Invalid {
        this.name = a.getValue("Module-Name").trim();
        this.className = a.getValue("Module-Class").trim();
        this.vermagic = a.getValue("Module-Vermagic").trim();
        String lic = a.getValue("Module-License");
        this.license = lic == null || lic.isBlank() ? "unspecified" : lic.trim();
        this.version = orEmpty(a.getValue("Module-Version"));
        this.author = orEmpty(a.getValue("Module-Author"));
        this.description = orEmpty(a.getValue("Module-Description"));
        String deps = orEmpty(a.getValue("Module-Depends"));
        this.depends = deps.isEmpty() ? List.of() : List.of(deps.split("\\s*,\\s*"));
        this.classes = classes;
        this.size = size;
        this.ports = parsePorts(name, orEmpty(a.getValue("Module-Ports")));
        this.irqs = parseIrqs(name, orEmpty(a.getValue("Module-Irqs")));
    }

    private static int number(String module, String s) throws Invalid {
        try {
            return Integer.decode(s.trim());
        } catch (NumberFormatException e) {
            throw new Invalid(Errno.ENOEXEC, module + ": bad number '" + s.trim() + "' in its resource declaration");
        }
    }

    private static List<int[]> parsePorts(String module, String list) throws Invalid {
        List<int[]> out = new java.util.ArrayList<>();
        for (String r : list.isEmpty() ? new String[0] : list.split(",")) {
            int dash = r.indexOf('-');
            int first = number(module, dash < 0 ? r : r.substring(0, dash));
            int last = dash < 0 ? first : number(module, r.substring(dash + 1));
            if (first < 0 || last > 0xffff || last < first) {
                throw new Invalid(Errno.ENOEXEC, module + ": bad port range '" + r.trim() + "' in Module-Ports");
            }
            out.add(new int[] {first, last});
        }
        return List.copyOf(out);
    }

    private static List<Integer> parseIrqs(String module, String list) throws Invalid {
        List<Integer> out = new java.util.ArrayList<>();
        for (String r : list.isEmpty() ? new String[0] : list.split(",")) {
            int irq = number(module, r);
            if (irq < 0 || irq > 15) {
                throw new Invalid(Errno.ENOEXEC, module + ": bad IRQ '" + r.trim() + "' in Module-Irqs");
            }
            out.add(irq);
        }
        return List.copyOf(out);
    }

    /** Whether [start, start+n) lies inside the declared port ranges. */
    public boolean declaresPorts(int start, int n) {
        for (int p = start; p < start + n; p++) {
            boolean in = false;
            for (int[] r : ports) {
                in |= p >= r[0] && p <= r[1];
            }
            if (!in) {
                return false;
            }
        }
        return n > 0;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.trim();
    }

    /** Parses and checks a module image; the messages are what Linux would log for an ELF. */
    public static KoFile parse(byte[] image) throws Invalid {
        if (image.length < 4 || image[0] != 'P' || image[1] != 'K' || image[2] != 3 || image[3] != 4) {
            throw new Invalid(Errno.ENOEXEC, "module: invalid module image (not a jar: bad zip magic)");
        }
        Manifest manifest = null;
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(image))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String n = e.getName();
                if (n.equals("META-INF/MANIFEST.MF")) {
                    manifest = new Manifest(new ByteArrayInputStream(in.readAllBytes()));
                } else if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                    classes.put(n.substring(0, n.length() - 6), in.readAllBytes());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new Invalid(Errno.ENOEXEC, "module: corrupt module image (" + e.getMessage() + ")");
        }
        if (manifest == null) {
            throw new Invalid(Errno.ENOEXEC, "module: module has no manifest (no .modinfo)");
        }
        Attributes a = manifest.getMainAttributes();
        String name = a.getValue("Module-Name");
        if (name == null || !name.trim().matches("[A-Za-z0-9_]{1,55}")) {
            throw new Invalid(Errno.ENOEXEC, "module: Module has no name!");
        }
        name = name.trim();
        if (a.getValue("Module-Class") == null || a.getValue("Module-Class").isBlank()) {
            throw new Invalid(Errno.ENOEXEC, name + ": module has no Module-Class (no init function)");
        }
        if (a.getValue("Module-Vermagic") == null || a.getValue("Module-Vermagic").isBlank()) {
            throw new Invalid(Errno.ENOEXEC, name + ": no version magic, refusing to load");
        }
        if (classes.isEmpty()) {
            throw new Invalid(Errno.ENOEXEC, name + ": module has no code");
        }
        return new KoFile(a, classes, image.length);
    }

    /** Linux's license_is_gpl_compatible(). */
    public boolean gplCompatible() {
        switch (license) {
            case "GPL":
            case "GPL v2":
            case "GPL and additional rights":
            case "Dual BSD/GPL":
            case "Dual MIT/GPL":
            case "Dual MPL/GPL":
                return true;
            default:
                return false;
        }
    }
}

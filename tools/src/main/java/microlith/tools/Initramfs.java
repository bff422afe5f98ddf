package microlith.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the initramfs: a cpio "newc" archive from the userland's gen_init_cpio-style list
 * (shipped inside the userland jar), plus any extra host files a command adds.
 *
 * <pre>
 * dir  /bin            0755 0 0
 * file /bin/hello      bin/hello 0755 0 0
 * file /bin/toolbox    bin/toolbox 0755 0 0 /bin/sed /bin/sort     (hard links)
 * </pre>
 */
public final class Initramfs {
    private static final String ROOT = "/initramfs/";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<String> paths = new ArrayList<>();
    private int ino = 1;

    /** Where the build leaves the prebuilt image (see {@link #main}). */
    private static final String PREBUILT = "/initramfs-base/";

    /**
     * The sample userland's image: the archive the build prepared, or, when running
     * without it (straight from sources), the same archive assembled from the list.
     */
    public static Initramfs standard() throws IOException {
        try (InputStream cpio = Initramfs.class.getResourceAsStream(PREBUILT + "initramfs.cpio");
             InputStream names = Initramfs.class.getResourceAsStream(PREBUILT + "paths.txt")) {
            if (cpio != null && names != null) {
                Initramfs fs = new Initramfs();
                fs.out.writeBytes(cpio.readAllBytes());
                for (String path : new String(names.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!path.isEmpty()) {
                        fs.paths.add(path);
                    }
                }
                fs.ino = fs.paths.size() + 1;
                return fs;
            }
        }
        return fromList();
    }

    /**
     * Run by the build after depmod: writes the standard archive (without its trailer)
     * and its path list into DIR, so a boot reads one resource instead of seventy.
     */
    public static void main(String[] args) throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[0]));
        Initramfs fs = fromList();
        java.nio.file.Files.write(dir.resolve("initramfs.cpio"), fs.out.toByteArray());
        java.nio.file.Files.writeString(dir.resolve("paths.txt"), String.join("\n", fs.paths) + "\n");
    }

    /** Assembles the image from initramfs.list and the module directory. */
    static Initramfs fromList() throws IOException {
        Initramfs fs = new Initramfs();
        try (InputStream in = Initramfs.class.getResourceAsStream(ROOT + "initramfs.list")) {
            if (in == null) {
                throw new IOException("initramfs.list missing from the class path (is the userland jar there?)");
            }
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : list.split("\n")) {
                String[] w = line.trim().split("\\s+");
                if (w.length == 0 || w[0].isEmpty() || w[0].startsWith("#")) {
                    continue;
                }
                if (w[0].equals("dir")) {
                    fs.dir(w[1], Integer.parseInt(w[2], 8), Integer.parseInt(w[3]), Integer.parseInt(w[4]));
                } else if (w[0].equals("file")) {
                    byte[] data = resource(w[2]);
                    int perm = Integer.parseInt(w[3], 8), uid = Integer.parseInt(w[4]), gid = Integer.parseInt(w[5]);
                    if (w.length > 6) {
                        fs.linkedFile(java.util.Arrays.copyOfRange(w, 6, w.length), w[1], data, perm, uid, gid);
                    } else {
                        fs.file(w[1], data, perm, uid, gid);
                    }
                } else {
                    throw new IOException("initramfs.list: unknown entry type " + w[0]);
                }
            }
        }
        fs.addModules();
        fs.addSystemMap();
        return fs;
    }

    /**
     * /boot/System.map-RELEASE: the kernel's text symbols at their link-time addresses,
     * sorted, one "address type name" line each, as Linux's build writes it. A KASLR boot
     * runs them all one offset away; /proc/kallsyms shows the live addresses (to root).
     */
    private void addSystemMap() throws IOException {
        if (!contains("/boot")) {
            dir("/boot", 0755, 0, 0);
        }
        java.util.TreeMap<Long, String> byAddress = new java.util.TreeMap<>(Long::compareUnsigned);
        new microlith.kernel.Kernel().text.symbols().forEach((name, addr) -> byAddress.putIfAbsent(addr, name));
        StringBuilder map = new StringBuilder();
        byAddress.forEach((addr, name) -> map.append(String.format("%016x T %s%n", addr, name)));
        file("/boot/System.map-" + microlith.kernel.uts.Utsname.RELEASE, map.toString().getBytes(StandardCharsets.UTF_8),
            0644, 0, 0);
    }

    /** The sample modules and their modules.dep, as /lib/modules/RELEASE/ (built by Depmod). */
    private void addModules() throws IOException {
        String base = "/lib/modules/" + microlith.kernel.uts.Utsname.RELEASE;
        for (String d : new String[] {"/lib", "/lib/modules", base, base + "/kernel"}) {
            if (!contains(d)) {
                dir(d, 0755, 0, 0);
            }
        }
        String list = new String(moduleResource("modules.list"), StandardCharsets.UTF_8);
        for (String ko : list.split("\n")) {
            if (!ko.isBlank()) {
                file(base + "/kernel/" + ko.trim(), moduleResource(ko.trim()), 0644, 0, 0);
            }
        }
        file(base + "/modules.dep", moduleResource("modules.dep"), 0644, 0, 0);
    }

    private static byte[] moduleResource(String name) throws IOException {
        try (InputStream in = Initramfs.class.getResourceAsStream("/initramfs-modules/" + name)) {
            if (in == null) {
                throw new IOException("module file " + name + " missing from the class path (run mvn install)");
            }
            return in.readAllBytes();
        }
    }

    private static byte[] resource(String rel) throws IOException {
        try (InputStream in = Initramfs.class.getResourceAsStream(ROOT + rel)) {
            if (in == null) {
                throw new IOException("initramfs file " + rel + " missing from the userland jar");
            }
            return in.readAllBytes();
        }
    }

    public boolean contains(String path) {
        return paths.contains(path);
    }

    public Initramfs dir(String path, int perm, int uid, int gid) {
        entry(path, 0040000 | perm, uid, gid, new byte[0]);
        return this;
    }

    public Initramfs file(String path, byte[] data, int perm, int uid, int gid) {
        entry(path, 0100000 | perm, uid, gid, data);
        return this;
    }

    /**
     * A file with more names (gen_init_cpio's hard links): entries sharing one inode
     * number with the link count, the data written once, with the last of them.
     */
    public Initramfs linkedFile(String[] links, String path, byte[] data, int perm, int uid, int gid) {
        int nlink = links.length + 1;
        // One inode number per name is used up (the links share the first), so the
        // next number is always the path count plus one, as standard() assumes.
        int shared = ino;
        ino += nlink;
        entry(path, 0100000 | perm, uid, gid, new byte[0], shared, nlink);
        for (int i = 0; i < links.length; i++) {
            entry(links[i], 0100000 | perm, uid, gid, i == links.length - 1 ? data : new byte[0], shared, nlink);
        }
        return this;
    }

    private void entry(String path, int mode, int uid, int gid, byte[] data) {
        entry(path, mode, uid, gid, data, ino++, 1);
    }

    private void entry(String path, int mode, int uid, int gid, byte[] data, int inode, int nlink) {
        paths.add(path);
        String name = path.startsWith("/") ? path.substring(1) : path;
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        // All timestamps are zero so the archive, and every boot, is reproducible.
        String hdr = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
            inode, mode, uid, gid, nlink, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0);
        out.writeBytes(hdr.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(nameBytes);
        pad();
        out.writeBytes(data);
        pad();
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    public byte[] build() {
        Initramfs copy = new Initramfs();
        copy.out.writeBytes(out.toByteArray());
        copy.ino = ino;
        copy.entry("TRAILER!!!", 0, 0, 0, new byte[0]);
        return copy.out.toByteArray();
    }
}

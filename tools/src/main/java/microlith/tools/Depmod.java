package microlith.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * depmod, run by the build: records each NAME.ko's parameters ({@link ModPost}), then
 * reads every NAME.ko in a directory and writes modules.dep in
 * Linux's format (one line per module, "kernel/a.ko: kernel/b.ko kernel/c.ko", every
 * dependency listed, nearest first, so modprobe loads them from the end) and
 * modules.list (the file names, which the initramfs builder reads).
 */
public final class Depmod {
    private Depmod() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Map<String, List<String>> deps = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        List<Path> kos;
        try (Stream<Path> s = Files.list(dir)) {
            kos = s.filter(p -> p.toString().endsWith(".ko")).sorted().toList();
        }
        for (Path ko : kos) {
            // modpost: record the parameters in the manifest once, at build time.
            Files.write(ko, ModPost.annotate(Files.readAllBytes(ko)));
            Manifest mf;
            try (InputStream in = Files.newInputStream(ko); JarInputStream jar = new JarInputStream(in)) {
                mf = jar.getManifest();
            }
            if (mf == null || mf.getMainAttributes().getValue("Module-Name") == null) {
                throw new IOException(ko + ": not a module (no Module-Name in its manifest)");
            }
            String name = mf.getMainAttributes().getValue("Module-Name").trim();
            String d = mf.getMainAttributes().getValue("Module-Depends");
            deps.put(name, d == null || d.isBlank() ? List.of() : List.of(d.trim().split("\\s*,\\s*")));
            files.put(name, "kernel/" + ko.getFileName());
        }
        StringBuilder out = new StringBuilder();
        for (String name : deps.keySet()) {
            Set<String> all = new LinkedHashSet<>();
            collect(name, deps, all, new ArrayList<>());
            out.append(files.get(name)).append(':');
            for (String d : all) {
                String f = files.get(d);
                if (f == null) {
                    throw new IOException(name + " depends on " + d + ", which is not built");
                }
                out.append(' ').append(f);
            }
            out.append('\n');
        }
        Files.writeString(dir.resolve("modules.dep"), out.toString(), StandardCharsets.UTF_8);
        StringBuilder list = new StringBuilder();
        for (Path ko : kos) {
            list.append(ko.getFileName()).append('\n');
        }
        Files.writeString(dir.resolve("modules.list"), list.toString(), StandardCharsets.UTF_8);
    }

    private static void collect(String name, Map<String, List<String>> deps, Set<String> out, List<String> path)
        throws IOException {
        if (path.contains(name)) {
            throw new IOException("dependency cycle: " + String.join(" -> ", path) + " -> " + name);
        }
        path.add(name);
        for (String d : deps.getOrDefault(name, List.of())) {
            out.add(d);
            collect(d, deps, out, path);
        }
        path.remove(path.size() - 1);
    }
}

package microlith.tools.kmod;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a .ko jar from chosen manifest attributes and chosen classes of this test class
 * path, so that a test can hand the kernel exactly the module (or the defect) it wants.
 * Starts from what the modules' Maven build writes; tests then change or drop attributes.
 * The bytes are reproducible: fixed entry order and timestamps.
 */
public final class KoBuilder {
    public static final String VERMAGIC = "6.1.0-microlith";
    private static final LocalDateTime DOS_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final List<Class<?>> classes = new ArrayList<>();

    private KoBuilder() {
    }

    /** A well-formed module NAME whose Module-Class is main (which is also packed). */
    public static KoBuilder module(String name, Class<?> main) {
        KoBuilder b = new KoBuilder();
        b.manifest.put("Manifest-Version", "1.0");
        b.manifest.put("Module-Name", name);
        b.manifest.put("Module-Class", main.getName());
        b.manifest.put("Module-Version", "1.0");
        b.manifest.put("Module-License", "GPL");
        b.manifest.put("Module-Author", "microlith tests");
        b.manifest.put("Module-Description", "test fixture " + name);
        b.manifest.put("Module-Depends", "");
        b.manifest.put("Module-Vermagic", VERMAGIC);
        b.classes.add(main);
        return b;
    }

    public KoBuilder attribute(String key, String value) {
        manifest.put(key, value);
        return this;
    }

    public KoBuilder without(String key) {
        manifest.remove(key);
        return this;
    }

    public KoBuilder license(String license) {
        return attribute("Module-License", license);
    }

    public KoBuilder depends(String... names) {
        return attribute("Module-Depends", String.join(",", names));
    }

    /** Packs another class (a helper the module class uses). */
    public KoBuilder withClass(Class<?> c) {
        classes.add(c);
        return this;
    }

    public byte[] build() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "META-INF/MANIFEST.MF", manifestText().getBytes(StandardCharsets.UTF_8));
            for (Class<?> c : classes) {
                String path = c.getName().replace('.', '/') + ".class";
                put(zip, path, classBytes(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The manifest in the jar format: "Key: value" lines, wrapped at 72 bytes, CRLF-ended. */
    private String manifestText() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : manifest.entrySet()) {
            String line = e.getKey() + ": " + e.getValue();
            out.append(line, 0, Math.min(72, line.length())).append("\r\n");
            for (int i = 72; i < line.length(); i += 71) {
                out.append(' ').append(line, i, Math.min(i + 71, line.length())).append("\r\n");
            }
        }
        return out.append("\r\n").toString();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(DOS_EPOCH);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] classBytes(String path) throws IOException {
        try (InputStream in = KoBuilder.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException(path + " is not on the test class path");
            }
            return in.readAllBytes();
        }
    }
}

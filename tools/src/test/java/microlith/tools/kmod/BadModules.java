package microlith.tools.kmod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Every broken module the loader must refuse cleanly, as FILE.ko bytes: faulty init code,
 * forbidden host APIs, symbol problems, bad manifests and files that are not jars at all.
 */
public final class BadModules {
    private BadModules() {
    }

    /** File name to contents, in a fixed order. */
    public static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("init_throws.ko", KoBuilder.module("init_throws", InitThrows.class).build());
        m.put("init_einval.ko", KoBuilder.module("init_einval", InitEinval.class).build());
        m.put("init_spins.ko", KoBuilder.module("init_spins", InitSpins.class).build());
        m.put("reflect.ko", KoBuilder.module("reflect", ReflectOnContext.class).build());
        m.put("forname.ko", KoBuilder.module("forname", ForNameKernel.class).build());
        m.put("hostfile.ko", KoBuilder.module("hostfile", ReadHostFile.class).build());
        m.put("gplonly.ko", KoBuilder.module("gplonly", GplOnlyUser.class).license("Proprietary").build());
        m.put("unknown_symbol.ko", KoBuilder.module("unknown_symbol", UnknownSymbolUser.class).build());
        m.put("cycle_a.ko", KoBuilder.module("cycle_a", CycleA.class).depends("cycle_b").build());
        m.put("cycle_b.ko", KoBuilder.module("cycle_b", CycleB.class).depends("cycle_a").build());
        m.put("vermagic.ko", KoBuilder.module("vermagic", Harmless.class).attribute("Module-Vermagic", "5.10.0").build());
        m.put("no_name.ko", KoBuilder.module("no_name", Harmless.class).without("Module-Name").build());
        m.put("no_class.ko", KoBuilder.module("no_class", Harmless.class).without("Module-Class").build());
        m.put("faulty.ko", KoBuilder.module("faulty", Faulty.class).build());
        m.put("pointers.ko", KoBuilder.module("pointers", Pointers.class).build());
        m.put("portclash.ko", KoBuilder.module("portclash", Harmless.class).attribute("Module-Ports", "0x3f8-0x3ff").build());
        m.put("irqclash.ko", KoBuilder.module("irqclash", Harmless.class).attribute("Module-Irqs", "4").build());
        m.put("garbage.ko", garbage());
        m.put("truncated.ko", truncated());
        return m;
    }

    /** Writes all() into dir and returns dir. */
    public static Path writeAll(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> e : all().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }

    /** Bytes that are no archive of any kind (fixed seed: the same every run). */
    private static byte[] garbage() {
        byte[] b = new byte[4096];
        new Random(5).nextBytes(b);
        return b;
    }

    /** A good module cut in half: the local headers are there, the central directory is not. */
    private static byte[] truncated() {
        byte[] whole = KoBuilder.module("truncated", Harmless.class).build();
        return Arrays.copyOf(whole, whole.length / 2);
    }
}

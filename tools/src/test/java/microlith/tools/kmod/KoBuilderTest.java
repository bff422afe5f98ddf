package microlith.tools.kmod;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The fixtures are what they claim to be, judged by the JDK's own jar reader. */
class KoBuilderTest {
    @Test
    void aModuleJarCarriesItsManifestAndClass() throws IOException {
        byte[] ko = KoBuilder.module("cycle_a", CycleA.class).depends("cycle_b").build();
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(ko))) {
            Manifest m = jar.getManifest();
            assertThat(m.getMainAttributes().getValue("Module-Name")).isEqualTo("cycle_a");
            assertThat(m.getMainAttributes().getValue("Module-Class")).isEqualTo(CycleA.class.getName());
            assertThat(m.getMainAttributes().getValue("Module-Depends")).isEqualTo("cycle_b");
            assertThat(m.getMainAttributes().getValue("Module-Vermagic")).isEqualTo("6.1.0-microlith");
            ZipEntry e = jar.getNextEntry();
            assertThat(e.getName()).isEqualTo("microlith/tools/kmod/CycleA.class");
            assertThat(jar.readAllBytes()).startsWith(0xCA, 0xFE, 0xBA, 0xBE);
        }
    }

    @Test
    void longAttributesAreWrappedAsTheJarFormatRequires() throws IOException {
        String text = "x".repeat(200);
        byte[] ko = KoBuilder.module("long", Harmless.class).attribute("Module-Description", text).build();
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(ko))) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Module-Description")).isEqualTo(text);
        }
    }

    @Test
    void droppedAttributesAreAbsentAndTheBytesAreReproducible() throws IOException {
        byte[] ko = KoBuilder.module("no_name", Harmless.class).without("Module-Name").build();
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(ko))) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Module-Name")).isNull();
        }
        assertThat(BadModules.all().get("no_name.ko")).isEqualTo(ko);
    }

    @Test
    void theDamagedFilesAreNotReadableJars() throws IOException {
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(BadModules.all().get("garbage.ko")))) {
            assertThat(jar.getManifest()).isNull();
            assertThat(jar.getNextEntry()).isNull();
        }
        assertThat(BadModules.all().get("truncated.ko")).hasSizeLessThan(
            KoBuilder.module("truncated", Harmless.class).build().length);
    }
}

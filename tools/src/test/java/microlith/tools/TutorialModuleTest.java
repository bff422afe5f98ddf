package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's "Writing a module", done as written: its copy-and-rename commands run on a
 * scratch copy of modules/hello (stale build output included), the copy is compiled and
 * packed as the modules' Maven build packs it (manifest from its pom.xml), and the shell
 * commands of its last step load, inspect and unload it in a booted machine.
 */
class TutorialModuleTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The fenced code blocks of the README section "Writing a module", indentation removed. */
    private static List<String> tutorialBlocks() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("## Writing a module");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^( *)```sh\\n(.*?)^ *```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(2).replaceAll("(?m)^" + m.group(1), ""));
        }
        return blocks;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(pom);
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1);
    }

    /** NAME.ko as modules/pom.xml builds it: the classes and a manifest from the module.* properties. */
    private static void pack(Path classes, String pom, Path ko) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Module-Name", property(pom, "module.name"));
        a.putValue("Module-Class", property(pom, "module.class"));
        a.putValue("Module-Description", property(pom, "module.description"));
        a.putValue("Module-License", "GPL");
        a.putValue("Module-Version", "0.1.0-SNAPSHOT");
        a.putValue("Module-Depends", "");
        a.putValue("Module-Vermagic", "6.1.0-microlith");
        Files.createDirectories(ko.getParent());
        try (OutputStream out = Files.newOutputStream(ko); JarOutputStream jar = new JarOutputStream(out, mf);
             Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(p));
                jar.closeEntry();
            }
        }
    }

    @Test
    @Timeout(120)
    void theTutorialBuildsAModuleThatLoads() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isExecutable(Path.of("/usr/bin/sed")),
            "needs bash and sed to run the tutorial's commands");
        List<String> blocks = tutorialBlocks();
        assertThat(blocks).as("code blocks of \"Writing a module\"").hasSize(3);

        // Step 1 on a scratch tree holding what it touches, with a stale build of hello in it.
        Path tree = Files.createTempDirectory(Path.of("target"), "tutorial").toAbsolutePath();
        copyTree(ROOT.resolve("modules/hello/src"), tree.resolve("modules/hello/src"));
        Files.copy(ROOT.resolve("modules/hello/pom.xml"), tree.resolve("modules/hello/pom.xml"));
        Files.copy(ROOT.resolve("modules/pom.xml"), tree.resolve("modules/pom.xml"));
        Files.createDirectories(tree.resolve("modules/hello/target"));
        Files.writeString(tree.resolve("modules/hello/target/hello.ko"), "stale");
        Process p = new ProcessBuilder("/bin/bash", "-e", "-c", blocks.get(0)).directory(tree.toFile())
            .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(said).isZero();

        Path mydrv = tree.resolve("modules/mydrv");
        assertThat(mydrv.resolve("target")).doesNotExist();
        assertThat(tree.resolve("modules/hello/src")).exists();
        String pom = Files.readString(mydrv.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>module-mydrv</artifactId>");
        assertThat(Files.readString(tree.resolve("modules/pom.xml"))).contains("<module>mydrv</module>");
        Path source = mydrv.resolve("src/main/java/microlith/modules/mydrv/MyDrv.java");
        assertThat(Files.readString(source)).contains("package microlith.modules.mydrv;", "class MyDrv ");

        // Step 3: compile the copy against the SDK alone, as the Maven build does.
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "needs a JDK's compiler");
        Path classes = tree.resolve("classes");
        Files.createDirectories(classes);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "--release", "17", "-d", classes.toString(), "-cp",
            System.getProperty("java.class.path"), source.toString());
        assertThat(rc).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(property(pom, "module.class")).isEqualTo("microlith.modules.mydrv.MyDrv");
        Path ko = mydrv.resolve("target").resolve(property(pom, "module.name") + ".ko");
        pack(classes, pom, ko);

        // Step 4: boot with --add as written, then type the shell commands.
        List<String> lines = new ArrayList<>(blocks.get(2).lines().toList());
        assertThat(lines.remove(0)).isEqualTo("./microlith boot --add modules/mydrv/target/mydrv.ko");
        Cli r = Cli.withInput(String.join("\n", lines) + "\n", "boot", "--quiet", "--add", ko.toString());
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).as(r.toString()).containsPattern("\nmydrv +\\d+ +0\n")
            .contains("mydrv: loaded at 0xffffffffa", "Hello, mydrv!\n")
            // The parameter before and after the write; the shell's "# " prompt may precede it.
            .containsPattern("(?m)^(# )*2$").containsPattern("(?m)^(# )*3$")
            .doesNotContain("rmmod:").doesNotContain("insmod:");
    }
}

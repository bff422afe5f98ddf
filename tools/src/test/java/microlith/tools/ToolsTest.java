package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's utilities against the host's GNU coreutils, diffutils, findutils and sed
 * (and util-linux's hexdump): every command line in userland/tests/tools/cases.txt runs
 * on the same fixtures (setup.sh) on both, in the C locale, and must print the same
 * standard output and end with the same status.
 */
class ToolsTest {
    private static final Path DIR = Path.of("..", "userland", "tests", "tools");
    private static final String MARK = "=#=#= case ";

    @TempDir
    Path tmp;

    private static List<String> cases() throws IOException {
        List<String> cases = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("cases.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                cases.add(line);
            }
        }
        return cases;
    }

    /** A script that makes the fixtures in directory $1 and runs every case, marked. */
    private static String driver(List<String> cases) {
        StringBuilder sb = new StringBuilder("cd \"$1\" || exit 1\n. \"$2\"\n");
        for (int i = 0; i < cases.size(); i++) {
            sb.append("echo '").append(MARK).append(i).append("'\n(\n").append(cases.get(i))
                .append("\n) 2>/dev/null\necho \"status $?\"\n");
        }
        return sb.toString();
    }

    private static Map<Integer, String> sections(String out) {
        Map<Integer, String> m = new TreeMap<>();
        int cur = -1;
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                if (cur >= 0) {
                    m.put(cur, sb.toString());
                }
                cur = Integer.parseInt(line.substring(MARK.length()).trim());
                sb.setLength(0);
            } else if (cur >= 0) {
                sb.append(line).append('\n');
            }
        }
        if (cur >= 0) {
            m.put(cur, sb.toString());
        }
        return m;
    }

    private static boolean gnuHost() {
        try {
            Process p = new ProcessBuilder("sed", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && v.contains("GNU");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @TestFactory
    Stream<DynamicTest> utilitiesBehaveAsGnuOnTheSameInput() throws Exception {
        assumeTrue(gnuHost(), "needs a host with GNU coreutils, diffutils, findutils and sed");
        List<String> cases = cases();
        Path driver = tmp.resolve("driver.sh");
        Files.writeString(driver, driver(cases));
        Path setup = DIR.resolve("setup.sh").toAbsolutePath();

        Path work = Files.createDirectories(tmp.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder("sh", driver.toString(), work.toString(), setup.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        p.getOutputStream().close();
        String host = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        Cli guest = Cli.run("run", "--add", driver.toString(), "--add", setup.toString(), "/bin/sh", "-c",
            // Through a pipe, as on the host: the console is a terminal, where ls would use columns.
            "mkdir /tmp/work && sh /host/driver.sh /tmp/work /host/setup.sh | cat");
        Map<Integer, String> h = sections(host), g = sections(guest.out);
        return java.util.stream.IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(cases.get(i), () -> {
            assumeTrue(h.get(i) != null && !h.get(i).endsWith("status 127\n"), "the host lacks a tool this case uses");
            assertThat(g.get(i)).as("guest output of: " + cases.get(i) + "\n" + guest.err).isEqualTo(h.get(i));
        }));
    }
}

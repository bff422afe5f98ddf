package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A shell script run as init (root) in a model of choice, with host files copied into the
 * image as /host/NAME and stderr merged into stdout in order; and the "== NAME" sections
 * such scripts print to label their output.
 */
final class GuestShell {
    private GuestShell() {
    }

    /** Runs script; hostFiles are names in dir, added with --add. */
    static Cli run(Path dir, String model, List<String> options, String script, String... hostFiles)
        throws IOException {
        Path file = Files.createTempFile(dir, "script", ".sh");
        Files.writeString(file, "exec 2>&1\n" + script);
        List<String> args = new ArrayList<>(List.of("run", "--model=" + model));
        args.addAll(options);
        for (String f : hostFiles) {
            args.add("--add");
            args.add(dir.resolve(f).toString());
        }
        args.addAll(List.of("--add", file.toString(), "/bin/sh", "/host/" + file.getFileName()));
        return Cli.run(args.toArray(String[]::new));
    }

    /** What the script printed after "== name" and before the next such line. */
    static String section(String out, String name) {
        int start = out.indexOf("== " + name + "\n");
        assertThat(start).as("section " + name + " in\n" + out).isGreaterThanOrEqualTo(0);
        start += name.length() + 4;
        int end = out.indexOf("\n== ", start - 1);
        return out.substring(start, end < 0 ? out.length() : end + 1);
    }
}

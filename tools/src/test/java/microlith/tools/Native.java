package microlith.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a userland binary on the host CPU, the reference every guest run is compared with. */
final class Native {
    final int status;
    final String out;

    private Native(int status, String out) {
        this.status = status;
        this.out = out;
    }

    static boolean available() {
        return System.getProperty("os.name").equals("Linux")
            && (System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("x86_64"));
    }

    static Path binary(String imagePath) {
        return Path.of("..", "userland").resolve(imagePath.substring(1));
    }

    static Native run(String stdin, String imagePath, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary(imagePath).toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(false);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("native run timed out: " + cmd);
        }
        int st = p.exitValue();
        return new Native(st, new String(out, StandardCharsets.UTF_8));
    }

    static boolean exists(String imagePath) {
        return Files.isExecutable(binary(imagePath));
    }
}

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

    /** Status and both output streams of one native run of an arbitrary host executable. */
    static final class Result {
        final int status;
        final String out;
        final String err;

        Result(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    /**
     * Runs {@code exe} (argv[0] is its path string as given) with exactly the environment
     * {@code env}, feeding {@code stdin} and capturing stdout and stderr separately.
     */
    static Result runFile(Path exe, java.util.Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        } catch (IOException e) {
            // the program exited without reading all of its input: not an error here
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("native run timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
            new String(err.join(), StandardCharsets.UTF_8));
    }
}

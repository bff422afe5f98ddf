package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Under {@code run} the program's fds 0-2 are what the host's are: a terminal only where
 * the host's is one; otherwise a byte stream that carries exactly the bytes given, both
 * ways, and ends as a pipe does. Compared with the same binaries run natively.
 */
class RunStdioTest {
    /** Every byte value, then random bytes: what a terminal would have cooked. */
    private static byte[] binary(int randomBytes) {
        byte[] b = new byte[256 * 4 + randomBytes];
        for (int i = 0; i < 256 * 4; i++) {
            b[i] = (byte) i;
        }
        byte[] r = new byte[randomBytes];
        new SplittableRandom(10).nextBytes(r);
        System.arraycopy(r, 0, b, 256 * 4, randomBytes);
        return b;
    }

    private static byte[] nativeRun(byte[] stdin, String imagePath, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Native.binary(imagePath).toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.join();
    }

    @Test
    @Timeout(120)
    void binaryDataPassesUnchangedBothWays() throws Exception {
        byte[] data = binary(300_000);
        Cli r = Cli.withBytes(data, "run", "/bin/cat");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.outBytes).isEqualTo(data);
        if (Native.available()) {
            assertThat(nativeRun(data, "/bin/cat")).isEqualTo(data);
        }
    }

    @Test
    @Timeout(120)
    void aMegabyteWrittenInOneCallArrivesWhole() throws Exception {
        // tail writes its whole input with one write(2) of 2 MB; the console takes it in
        // 64 KiB calls (the short counts the write loop continues from), never a watchdog error.
        byte[] data = binary(2_000_000);
        for (int i = 0; i < data.length; i++) {
            data[i] = data[i] == '\n' ? (byte) ' ' : data[i];
        }
        Cli r = Cli.withBytes(data, "run", "/bin/tail", "-n", "1");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.outBytes).isEqualTo(data);
    }

    @Test
    void terminalCharactersAreOrdinaryBytesOnAPipe() throws Exception {
        // ^C, ^\, ^D, CR, DEL and ^U: a terminal would signal, end, translate or erase.
        byte[] data = "a\u0003b\u001cc\u0004d\re\u007ff\u0015g\n".getBytes(StandardCharsets.ISO_8859_1);
        Cli wc = Cli.withBytes(data, "run", "/bin/wc", "-c");
        assertThat(wc.status).as(wc.toString()).isZero();
        assertThat(wc.out.strip()).isEqualTo(Integer.toString(data.length));
        if (Native.available()) {
            assertThat(new String(nativeRun(data, "/bin/wc", "-c"), StandardCharsets.UTF_8)).isEqualTo(wc.out);
        }
        assertThat(Cli.withBytes(data, "run", "/bin/cat").outBytes).isEqualTo(data);
    }

    @Test
    void theEndOfPipedInputIsEndOfFileForEveryReader() {
        Cli r = Cli.withInput("x\ny", "run", "/bin/sh", "-c", "cat; cat; wc -c; echo done");
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).isEqualTo("x\ny0\ndone\n");
    }

    @Test
    void noStreamIsATerminalWhenNoneOfTheHostsIs() throws Exception {
        Cli r = Cli.run("run", "/bin/sysinfo");
        assertThat(r.out).as(r.toString()).contains("stdio.isatty: 0 0 0\n");
        if (Native.available()) {
            assertThat(new String(nativeRun(new byte[0], "/bin/sysinfo"), StandardCharsets.UTF_8))
                .contains("stdio.isatty: 0 0 0\n");
        }
    }

    /** The isatty line of sysinfo run through a host shell inside a pseudo-terminal (script(1)). */
    private static String underPty(String command) throws Exception {
        Process p = new ProcessBuilder("script", "-qec", command, "/dev/null")
            .redirectInput(new File("/dev/null")).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8).replace("\r", "");
        return text.lines().filter(l -> l.startsWith("stdio.isatty:")).findFirst().orElse(text);
    }

    @Test
    @Timeout(300)
    void eachStreamIsATerminalExactlyWhereTheHostsIs() throws Exception {
        assumeTrue(Native.available(), "needs an x86-64 Linux host");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String microlith = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' microlith.tools.Main run";
        String host = Native.binary("/bin/sysinfo").toAbsolutePath().toString();
        String[] redirections = {"", " | cat", " < /dev/null", " 2>/dev/null | cat", " 2>&1 < /dev/null | cat"};
        for (String redirect : redirections) {
            String expected = underPty(host + redirect);
            assertThat(expected).matches("stdio\\.isatty: [01] [01] [01]");
            assertThat(underPty(microlith + " /bin/sysinfo" + redirect)).as(redirect).isEqualTo(expected);
        }
    }
}

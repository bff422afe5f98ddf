package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import microlith.tools.kmod.BadModules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A module's calls through function pointers (ModuleContext.functionAddress and
 * functionAt, kmod/Pointers) in both placements: its own function by address; machine
 * code it wrote into its kmalloc memory, which NX refuses and noexec=off lets run; code
 * that never returns, which the watchdog stops; and the kernel's prepare_kernel_cred and
 * commit_creds by their exported addresses. In ring 0 a refused call is an oops that kills
 * the caller; in a server the server dies and the caller gets EIO.
 */
class FunctionPointersTest {
    @TempDir
    static Path tmp;
    private static Path ko;

    @BeforeAll
    static void fixtures() throws IOException {
        ko = BadModules.writeAll(Files.createDirectories(tmp.resolve("ko"))).resolve("pointers.ko");
    }

    /** Runs `ringctl ioctl cmd` as uid 1000 with pointers.ko loaded; output, then the log. */
    private static Cli ioctl(String model, String mitigations, int cmd) throws IOException {
        Path file = Files.createTempFile(tmp, "p", ".sh");
        Files.writeString(file, "exec 2>&1\ninsmod /host/pointers.ko\nsu -c 'ringctl ioctl " + cmd + "' user\n"
            + "echo \"status $?\"\necho '== dmesg'\ndmesg\necho alive\n");
        return Cli.run("run", "--model=" + model, "--mitigations=" + mitigations, "--add", ko.toString(),
            "--add", file.toString(), "/bin/sh", "/host/" + file.getFileName());
    }

    @ParameterizedTest(name = "{0}, mitigations={1}, ioctl {2}")
    @CsvSource(delimiter = '|', value = {
        "monolithic  | all  | 1 | ok                               | pointers: 1 = 42",
        "monolithic  | all  | 2 | Killed                           | kernel tried to execute NX-protected page - exploit attempt? (uid: 1000)",
        "monolithic  | none | 2 | ok                               | pointers: 2 = 42",
        "monolithic  | none | 3 | Killed                           | watchdog: BUG: soft lockup - CPU#0 stuck for 1s! [ringctl:",
        "monolithic  | all  | 4 | ok                               | pointers: 4 = 0",
        "microkernel | all  | 1 | ok                               | pointers: 1 = 42",
        "microkernel | all  | 2 | ringctl: ioctl 0x2: Input/output error | pointers: server",
        "microkernel | none | 2 | ok                               | pointers: 2 = 42",
        "microkernel | none | 3 | ringctl: ioctl 0x3: Input/output error | ran past its deadline",
        "microkernel | all  | 4 | ringctl: ioctl 0x4: Input/output error | pointers: server",
    })
    void callsThroughAPointer(String model, String mitigations, int cmd, String shown, String logged)
        throws IOException {
        Cli r = ioctl(model, mitigations, cmd);
        assertThat(r.out).as(r.toString()).contains(shown.trim(), logged.trim(), "alive\n")
            .doesNotContain("Exception");
        String dmesg = r.out.substring(r.out.indexOf("== dmesg"));
        if (logged.contains("server")) {
            assertThat(dmesg).as(r.toString()).containsPattern("pointers: server \\[\\d+\\] died");
        }
        if (shown.trim().equals("Killed")) {
            assertThat(r.out).contains("status 137");
        }
    }
}

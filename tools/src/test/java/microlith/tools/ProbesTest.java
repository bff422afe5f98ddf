package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each ring-3 probe tries one privileged operation; the CPU must fault, the kernel must
 * kill the process with the right signal and a Linux-style log line, and then power off
 * normally (the kernel survived). The host kernel is the reference for the status.
 */
class ProbesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "hlt, 139, general protection fault",
        "cli, 139, general protection fault",
        "sti, 139, general protection fault",
        "in, 139, general protection fault",
        "out, 139, general protection fault",
        "ins, 139, general protection fault",
        "outs, 139, general protection fault",
        "movcr0r, 139, general protection fault",
        "movcr3w, 139, general protection fault",
        "movcr4r, 139, general protection fault",
        "rdmsr, 139, general protection fault",
        "wrmsr, 139, general protection fault",
        "lgdt, 139, general protection fault",
        "lidt, 139, general protection fault",
        "invlpg, 139, general protection fault",
        "swapgs, 139, general protection fault",
        "sysret, 139, general protection fault",
        "iretq, 139, general protection fault",
        "kread, 139, segfault at ffffffff81000000",
        "kwrite, 139, segfault at ffffffff81000000",
        "kdirect, 139, segfault at ffff888000000000",
        "null, 139, segfault at 0 ",
        "jmpkernel, 139, segfault at ffffffff81000000",
        "nx, 139, segfault at 7ff",
        "ud2, 132, trap invalid opcode",
        "stac, 132, trap invalid opcode",
        "clac, 132, trap invalid opcode",
        "div0, 136, trap divide error",
    })
    void privilegedOperationKillsOnlyTheProcess(String probe, int status, String logLine) throws Exception {
        Cli r = Cli.run("run", "--verbose", "/bin/probe", probe);
        assertThat(r.out).isEqualTo("probe: " + probe + "\n");
        assertThat(r.status).as(r.toString()).isEqualTo(status);
        assertThat(r.err).as(r.toString()).contains("probe[1]").contains(logLine)
            .contains("reboot: Power down").doesNotContain("Oops").doesNotContain("panic");
        if (Native.available()) {
            assertThat(Native.run("", "/bin/probe", probe).status).as("host status").isEqualTo(status);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"hlt", "kread", "ud2"})
    void logLineHasLinuxShape(String probe) {
        assumeTrue(true);
        Cli r = Cli.run("run", "--verbose", "/bin/probe", probe);
        assertThat(r.err).containsPattern(
            "(traps: probe\\[1\\] (general protection fault|trap invalid opcode) ip:[0-9a-f]+ sp:[0-9a-f]+ error:[0-9a-f]+ in probe\\[[0-9a-f]+\\+[0-9a-f]+\\])"
                + "|(probe\\[1\\]: segfault at [0-9a-f]+ ip [0-9a-f]{16} sp [0-9a-f]{16} error [0-9a-f]+ in probe\\[[0-9a-f]+\\+[0-9a-f]+\\])");
    }
}

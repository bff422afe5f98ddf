package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Boots the machine with each sample program and compares with the host CPU. */
class RunProgramsTest {
    @Test
    void helloPrintsAndExitsZero() {
        Cli r = Cli.run("run", "/bin/hello");
        assertThat(r.out).isEqualTo("Hello, world!\n");
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.err).isEmpty();
    }

    @Test
    void falseExitsOne() {
        assertThat(Cli.run("run", "/bin/false").status).isEqualTo(1);
        assertThat(Cli.run("run", "/bin/true").status).isZero();
    }

    @Test
    void echoPassesArgvIncludingOptionsAfterFile() {
        Cli r = Cli.run("run", "/bin/echo", "-n", "a b", "c");
        assertThat(r.out).isEqualTo("a b c");
    }

    @Test
    void catCopiesStdin() {
        String text = "first line\nsecond line\nno newline at end";
        Cli r = Cli.withInput(text, "run", "/bin/cat");
        assertThat(r.out).isEqualTo(text);
        assertThat(r.status).isZero();
    }

    @Test
    void syscallChecksAllPass() {
        Cli r = Cli.run("run", "/bin/syscalls");
        assertThat(r.out).as(r.toString()).contains("syscalls: all checks passed").doesNotContain("FAIL");
        assertThat(r.status).isZero();
    }

    @Test
    void initialStackFollowsTheSysVAbi() {
        Cli r = Cli.run("run", "/bin/sysinfo", "x", "y z");
        assertThat(r.out).contains("argc: 3", "argv[0]: /bin/sysinfo", "argv[1]: x", "argv[2]: y z",
            "auxv.AT_PAGESZ: 4096", "auxv.AT_PHNUM: 5", "auxv.AT_ENTRY_is_start: yes",
            "auxv.AT_RANDOM: non-null", "stack.argc_addr_mod16: 0", "pid: 1", "uname.machine: x86_64");
    }

    @Test
    void verboseShowsBootLogWithLstarOnStderrOnly() {
        Cli r = Cli.run("run", "--verbose", "--mitigations=smep,smap,nx", "/bin/hello");
        assertThat(r.out).isEqualTo("Hello, world!\n");
        assertThat(r.err).containsPattern("\\[ +0\\.\\d{6}\\] syscall: MSR_LSTAR = 0xffffffff81[0-9a-f]{6} \\(entry_SYSCALL_64\\)")
            .contains("direct map: 0xffff888000000000").contains(".text     : 0xffffffff81000000")
            .contains("modules   : 0xffffffffa0000000").contains("KASLR disabled on the kernel command line");
    }

    @Test
    void bootRunsTheShellOnTheConsole() {
        Cli r = Cli.withInput("echo hello from sh\nid\nls /etc\nexit 3\n", "boot");
        assertThat(r.out).contains("microlith version", "Run /sbin/init as init process", "hello from sh",
            "uid=0(root) gid=0(root)", "passwd");
        assertThat(r.status).as(r.toString()).isEqualTo(3);
    }

    @Test
    void theShellPassesItsSelftestUnderMicrolith() throws Exception {
        String expected = java.nio.file.Files.readString(java.nio.file.Path.of("..", "userland", "cmd", "selftest.expected"));
        Cli r = Cli.run("run", "/bin/sh", "-c", "sh /usr/share/selftest.sh > /tmp/out 2>&1; cat /tmp/out");
        assertThat(r.out).as(r.toString()).isEqualTo(expected);
    }

    @Test
    void anUnprivilegedUserCannotReadRootsFiles() {
        Cli r = Cli.withInput("su -c 'id; cat /root/secret' user\ncat /root/secret\n", "boot", "--quiet");
        assertThat(r.out).as(r.toString()).contains("uid=1000(user)", "cat: /root/secret: Permission denied",
            "only root may read this");
    }

    @Test
    void instructionLimitStopsARunawayGuest() {
        Cli r = Cli.run("run", "--max-instructions=200000", "/bin/loop", "100000000");
        assertThat(r.status).isEqualTo(124);
        assertThat(r.err).contains("instruction limit reached");
    }

    @Test
    void sameInputsGiveSameOutputAndCycles() {
        Cli a = Cli.run("run", "--stats", "/bin/sysinfo", "q");
        Cli b = Cli.run("run", "--stats", "/bin/sysinfo", "q");
        assertThat(a.out).isEqualTo(b.out);
        assertThat(a.err).contains("cycles=").isEqualTo(b.err);
    }

    static Stream<Arguments> programs() {
        return Stream.of(
            Arguments.of("", "/bin/hello", new String[0]),
            Arguments.of("", "/bin/echo", new String[] {"one", "two", "-n"}),
            Arguments.of("", "/bin/echo", new String[] {"-n", "no newline"}),
            Arguments.of("alpha\nbeta\n", "/bin/cat", new String[0]),
            Arguments.of("", "/bin/cat", new String[] {"nonexistent"}),
            Arguments.of("", "/bin/false", new String[0]),
            Arguments.of("", "/bin/true", new String[0]),
            Arguments.of("", "/bin/loop", new String[] {"1000"}),
            Arguments.of("", "/bin/loop", new String[] {"123457"}),
            Arguments.of("", "/bin/loop", new String[] {"bad"}),
            Arguments.of("", "/bin/syscalls", new String[0]));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("programs")
    void matchesTheHostCpu(String stdin, String program, String[] args) throws Exception {
        assumeTrue(Native.available(), "needs an x86-64 Linux host to run the reference");
        Native ref = Native.run(stdin, program, args);
        String[] cli = new String[args.length + 2];
        cli[0] = "run";
        cli[1] = program;
        System.arraycopy(args, 0, cli, 2, args.length);
        Cli r = Cli.withInput(stdin, cli);
        assertThat(r.out).as(r.toString()).isEqualTo(ref.out);
        assertThat(r.status).as(r.toString()).isEqualTo(ref.status);
    }

    @Test
    void hostElfRunsFromAHostPath() {
        Cli r = Cli.run("run", Native.binary("/bin/echo").toString(), "from", "host");
        assertThat(r.out).isEqualTo("from host\n");
        assertThat(r.status).isZero();
    }
}

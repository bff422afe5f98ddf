package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Programs whose right answer depends on this kernel rather than the host: the
 * process-table limit, users and permissions, and Ctrl-C on the console. They are built
 * with musl-gcc into userland/tests/build/guest (skipped, with the reason, without it).
 */
class GuestProgramsTest {
    private static final Path DIR = Path.of("..", "userland", "tests", "build", "guest");

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(Native.available(), "needs an x86-64 Linux host to build the guest programs");
        Process p;
        try {
            p = new ProcessBuilder("make", "-s", "-C", Path.of("..", "userland", "tests").toString())
                .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "make is not installed");
            return;
        }
        p.getInputStream().readAllBytes();
        p.waitFor(5, TimeUnit.MINUTES);
        assumeTrue(Files.isExecutable(DIR.resolve("perms")), "musl-gcc is not installed; guest programs not built");
    }

    private static Cli run(String stdin, String name) {
        return Cli.withInput(stdin, "run", DIR.resolve(name).toString());
    }

    @Test
    void forkBombIsContainedAndTheSystemRecovers() {
        Cli r = run("", "forkbomb");
        assertThat(r.out).as(r.toString())
            .contains("contained: EAGAIN after 127 forks; reaped 127").contains("fork works again: 3");
        assertThat(r.status).isZero();
    }

    @Test
    void tooManyThreadsMeetEagainAndTheProcessRecovers() {
        Cli r = run("", "threadlimit");
        assertThat(r.out).as(r.toString())
            .contains("contained: EAGAIN after 127 threads").contains("all 127 ran and were joined")
            .contains("creation works again: yes");
        assertThat(r.status).isZero();
    }

    @Test
    void libgccFeatureProbesSeeWhatTheCpuImplements() {
        // __builtin_cpu_supports reads CPUID's feature leaves only for vendors libgcc knows.
        Cli r = run("", "cpufeatures");
        assertThat(r.out).as(r.toString()).isEqualTo("vendor AuthenticAMD max-leaf 7 amd 1\n"
            + "cmov 1 sse 1 sse2 1 popcnt 1 sse3 0 ssse3 0 sse4.2 0 avx 0 avx2 0 bmi 0\n");
    }

    @Test
    void aPreemptedRestartableSequenceResumesAtItsAbortHandler() {
        Cli r = run("", "rseqpreempt");
        assertThat(r.out).as(r.toString()).isEqualTo("register: 0\nalone, short section: committed\n"
            + "with a runnable sibling, long sections: aborted within 100 tries\n"
            + "alone again, short section: committed\n");
    }

    @Test
    void unprivilegedUserIsHeldByPermissions() {
        Cli r = run("", "perms");
        assertThat(r.out).as(r.toString()).contains(
            "root reads secret: ok", "uid=1000 gid=1000", "user reads secret: Permission denied",
            "user reads motd: ok", "user writes motd: Permission denied",
            "user unlinks secret in sticky /tmp: Operation not permitted", "user creates own file: ok",
            "user chmods secret: Operation not permitted", "user becomes root: Operation not permitted",
            "user mkdir in /: Permission denied", "file made by user is owned by 1000",
            "user runs a 0700 program of root's: Permission denied",
            "user runs a program in a 0700 directory: Permission denied", "user runs /bin/true: ok",
            "user mounts on a missing directory: No such file or directory",
            "user mounts on /mnt: Operation not permitted",
            "user unmounts a missing directory: No such file or directory",
            "user unmounts /proc: Operation not permitted");
    }

    @Test
    void aRamfsFileStopsAtItsMaximumSize() {
        Cli r = run("", "bigfile");
        assertThat(r.out).as(r.toString()).isEqualTo("write at 1610612736: File too large\n"
            + "write at 2147483632: File too large\nwrite at 1073741823: 1 of 2\n"
            + "write at 1073741824: File too large\nwrite at 9223372036854775807: File too large\n"
            + "size 1073741824\nunlink: ok\n");
        assertThat(r.status).isZero();
    }

    @Test
    void theOomKillerTakesTheLargestProcessNotInit() {
        Cli r = run("", "oom");
        assertThat(r.out).as(r.toString()).isEqualTo("parent touched 8 MiB: ok\nchild: killed by the OOM killer\n");
        assertThat(r.status).isZero();
    }

    @Test
    void ctrlCKillsOnlyTheForegroundJob() {
        // ^C is a terminal's character: boot keeps the console a terminal whatever feeds it
        // (run would give a program whose stdin is not a terminal a plain byte stream).
        Cli r = Cli.withInput("\u0003", "boot", "--quiet", "--add", DIR.resolve("ctrlc").toString(), "--init",
            "/host/ctrlc");
        assertThat(r.out).as(r.toString()).isEqualTo("child: signaled=1 sig=2; parent still here\n");
        assertThat(r.status).isZero();
    }

    @Test
    void backgroundGroupsMeetSigttinAndSigttouAndCtrlZStopsTheForegroundJob() {
        // What Linux's tty layer does for the same program on a terminal (n_tty's
        // job_control, tty_check_change, isig for VSUSP): see jobtty.c. It runs from the
        // login shell on the console, as a user would start it: a child of init would
        // make orphaned process groups, which a terminal never stops. Keys arrive one at
        // a time as the guest waits for them, so ^Z reaches the last test's reader.
        Cli r = Cli.typing("/host/jobtty\n\u001a", "boot", "--quiet", "--add", DIR.resolve("jobtty").toString());
        assertThat(r.out).as(r.toString()).contains(String.join("\n",
            "foreground is us: yes",
            "background read: stopped by 21",
            "background read, SIGTTIN ignored: exited 2",
            "background write with TOSTOP: stopped by 22",
            "x",
            "background write without TOSTOP: exited 4",
            "background tcsetattr: stopped by 22",
            "background tcsetattr, SIGTTOU ignored: exited 6",
            "foreground reader after Ctrl-Z: stopped by 20",
            "take the terminal back: ok",
            "after SIGCONT and SIGTERM: killed by 15",
            "tcsetpgrp to a missing group: No such process", ""));
        assertThat(r.status).isZero();
    }

    @Test
    void execResetsCaughtSignalsAndKeepsIgnoredOnes() {
        Cli r = Cli.run("run", "--add", DIR.resolve("sigexec").toString(), "/host/sigexec");
        // What Linux prints for the same binary (POSIX execve, flush_signal_handlers).
        assertThat(r.out).as(r.toString())
            .isEqualTo("before exec: SIGUSR1 a handler\nafter exec: SIGUSR1 SIG_DFL, SIGUSR2 SIG_IGN\n");
        assertThat(r.status).isZero();
    }
}

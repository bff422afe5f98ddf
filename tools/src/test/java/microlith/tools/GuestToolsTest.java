package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The utilities whose output depends on this machine rather than on their input (top,
 * df, free, uptime, date, hostname), the editor on the raw console, hard links, and
 * poweroff/reboot/halt through reboot(2).
 */
class GuestToolsTest {
    private static Cli sh(String script) {
        return Cli.run("run", "/bin/sh", "-c", "exec 2>&1\n" + script);
    }

    @Test
    void systemViewsReadProc() {
        // run's stdin is a pipe here (not a terminal), so stty asks the console; ramfs has
        // no block counts, so df shows zeros for it as GNU df does for any such filesystem.
        Cli r = sh("top -b -n 1 | head -6; df | head -2; free; uptime; hostname; date -u; which ls; stty size </dev/tty");
        assertThat(r.out).as(r.toString())
            .containsPattern("(?m)^top - \\d\\d:\\d\\d:\\d\\d up .*load average: 0\\.00, 0\\.00, 0\\.00$")
            .containsPattern("(?m)^Tasks: +\\d+ total, +\\d+ running")
            .containsPattern("(?m)^  PID USER +PR +NI +VIRT +RES +S +%CPU +%MEM +TIME\\+ COMMAND$")
            .containsPattern("(?m)^Filesystem +1K-blocks +Used +Available +Use% Mounted on$")
            .containsPattern("(?m)^rootfs +0 +0 +0 +- /$")
            .containsPattern("(?m)^Mem: +65536 +\\d+ +\\d+ ")
            .containsPattern("(?m)^ \\d\\d:\\d\\d:\\d\\d up .* load average: ")
            .containsPattern("(?m)^microlith$")
            .containsPattern("(?m)^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d UTC \\d{4}$")
            .contains("/bin/ls\n", "\n24 80\n");
    }

    @Test
    void lnMakesHardLinksThatStatAndLsCount() {
        Cli r = sh("echo data > /tmp/a; ln /tmp/a /tmp/b; ln -v /tmp/a /tmp/c; stat -c '%h %s' /tmp/b; "
            + "rm /tmp/a; cat /tmp/c; stat -c %h /tmp/c; ln /tmp/c /tmp/b; echo $?");
        assertThat(r.out).as(r.toString()).isEqualTo("'/tmp/c' => '/tmp/a'\n3 5\ndata\n2\n"
            + "ln: failed to create hard link '/tmp/b' => '/tmp/c': File exists\n1\n");
        // Every utility of the toolbox is one file with a link per name.
        Cli links = sh("stat -c %h /bin/sed /sbin/reboot /bin/toolbox | sort -u");
        assertThat(Integer.parseInt(links.out.trim())).as(links.toString()).isGreaterThan(30);
    }

    @Test
    void scriptsWithAnInterpreterLineRunFromAnyProgram() {
        // execve of "#!interpreter [arg]" runs the interpreter (Linux's binfmt_script),
        // so xargs and find can run scripts too, and interpreters may be scripts.
        Cli r = sh("printf '#!/bin/sh\\necho ran $0 $1\\n' > /tmp/s; chmod +x /tmp/s; /tmp/s one; "
            + "echo two | xargs /tmp/s; find /tmp/s -exec {} three \\;; "
            + "printf '#!/tmp/s -x\\n' > /tmp/u; chmod +x /tmp/u; /tmp/u four");
        assertThat(r.out).as(r.toString()).isEqualTo("ran /tmp/s one\nran /tmp/s two\nran /tmp/s three\nran /tmp/s -x\n");
    }

    @Test
    void viEditsAFileOnTheRawConsole() {
        Cli r = Cli.typing("printf 'one\\ntwo\\n' > /tmp/f\nvi /tmp/f\n" + "jA and more\u001b" + "ggOzero\u001b" + ":wq\n"
            + "cat /tmp/f\n", "boot", "--quiet");
        assertThat(r.out).as(r.toString()).contains("# cat /tmp/f\nzero\none\ntwo and more\n");
    }

    @Test
    void onlyRootMayPowerOff() {
        Cli r = Cli.withInput("su -c poweroff user\necho still up\npoweroff\necho never\n", "boot", "--quiet");
        assertThat(r.out).as(r.toString()).contains("poweroff: must be superuser.", "still up").doesNotContain("never");
        assertThat(r.status).isZero();
    }

    @Test
    void rebootBootsTheMachineAgainAndHaltStopsIt() {
        Cli r = Cli.typing("reboot\necho after reboot\nhalt\necho never\n", "boot");
        assertThat(r.out).as(r.toString()).contains("reboot: Restarting system", "after reboot", "reboot: System halted")
            .doesNotContain("never");
        assertThat(r.out.split("Run /sbin/init as init process", -1)).hasSize(3);
        assertThat(r.status).isZero();
    }
}

package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Debian's busybox-static (a glibc static binary) under microlith and on the host, side by
 * side: its shell (pipelines, command substitution, loops, functions, here-documents,
 * background jobs, traps) and some forty applets, each script compared byte for byte. The
 * shell starts applets by running itself again through /proc/self/exe. Only applets of
 * Debian's build are used: a command that is not one would run the host's own program.
 */
class BusyBoxTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/", "TERM", "linux", "PATH", "/sbin:/bin");
    private static final String STDIN = "banana\napple\ncherry\napple\n42 17 5\n";

    private static final String[][] SCRIPTS = {
        {"pipeline", "sort | uniq -c | sort -rn | head -3"},
        {"substitution", "x=$(echo inner | tr a-z A-Z); echo \"got $x\"; echo \"nested $(echo $(echo deep))\""},
        {"loops", "for i in 1 2 3; do echo \"for $i\"; done; n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; echo while $n"},
        {"functions", "f() { echo \"args $# first $1\"; return 3; }; f a b c; echo status $?"},
        {"heredoc", "cat <<EOF\nline one\n  indented $((6*7))\nEOF"},
        {"case", "for w in apple zebra 12; do case $w in a*) echo starts-a;; [0-9]*) echo number;; *) echo other;; esac; done"},
        {"subshell-status", "(exit 4); echo $?; false || echo or-branch; true && echo and-branch"},
        {"background", "sleep 0 & wait $!; echo waited $?"},
        {"text", "sed -n 's/an/AN/gp' | tr -d 'a' | rev"},
        {"awk", "awk '{ n += NF } END { print NR, n }'"},
        {"cut-wc", "cut -c1-3 | wc -l; echo abc def | wc -w"},
        {"grep", "grep -n apple; grep -c x; echo $?"},
        {"arith", "expr 6 \\* 7; seq 2 3 11 | xargs echo; printf '%05d %x %s\\n' 42 255 str"},
        {"hashes", "md5sum; echo hi | sha256sum; echo hi | base64"},
        {"od", "printf 'ab\\001' | od -An -tx1"},
        {"sort-keys", "printf 'b 2\\na 10\\nc 1\\n' | sort -k2 -n; printf '3\\n1\\n2\\n' | sort -r | tac"},
        {"files", "rm -rf /tmp/bbtest; mkdir -p /tmp/bbtest/x/y && cd /tmp/bbtest && echo data > x/f && cp x/f g "
            + "&& mv g h && ln -s h l && readlink l && cat l && ls -1 . x && find . -name f && cd / && rm -r /tmp/bbtest "
            + "&& echo removed"},
        {"test", "[ -d / ] && echo dir; [ -e /nonexistent ] || echo missing; test 3 -gt 2 && echo gt"},
        {"basename", "basename /a/b/c.txt .txt; dirname /a/b/c.txt"},
        {"fold-factor", "echo abcdefghij | fold -w 3; factor 360"},
        {"dd", "dd if=/dev/zero bs=512 count=3 2>/dev/null | wc -c"},
        {"yes-head", "yes x | head -n 3"},
        {"nested-sh", "sh -c 'echo inner $0 $1' zero one; echo outer"},
        {"exit-status", "sh -c 'exit 7'; echo $?"},
        {"env", "FOO=bar env | grep FOO; echo ${UNSET:-default}"},
        {"gzip-tar", "rm -rf /tmp/bbtar; mkdir -p /tmp/bbtar/d && cd /tmp/bbtar && echo one > d/a && echo two > d/b "
            + "&& tar cf t.tar d && rm -r d && tar xf t.tar && cat d/a d/b && echo squeeze | gzip -c | gunzip -c "
            + "&& cd / && rm -r /tmp/bbtar"},
        {"columns", "printf '1 a\\n2 b\\n' > /tmp/bbc1; printf '1 x\\n2 y\\n' > /tmp/bbc2; paste /tmp/bbc1 /tmp/bbc2; "
            + "nl /tmp/bbc1; cmp /tmp/bbc1 /tmp/bbc1 && echo same; "
            + "rm /tmp/bbc1 /tmp/bbc2"},
        {"hexdump-tee", "echo hex | hexdump -C; echo tee | tee /tmp/bbtee >/dev/null; cat /tmp/bbtee; rm /tmp/bbtee"},
        {"signals-trap", "trap 'echo trapped' USR1; kill -USR1 $$; kill -0 $$ && echo alive; "
            + "sh -c 'kill -TERM $$'; echo killed $?"},
        {"timeout-sleep", "sleep 0.05; timeout 1 true; echo $?; uname -m"},
    };

    private static Path busybox() {
        for (String p : new String[] {"/bin/busybox", "/usr/bin/busybox"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> busyboxBehavesAsOnTheHost() {
        assumeTrue(Native.available(), "needs an x86-64 Linux host for the reference run");
        Path bb = busybox();
        assumeTrue(bb != null, "busybox is not installed (Debian: apt-get install busybox-static)");
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] s : SCRIPTS) {
            tests.add(DynamicTest.dynamicTest(s[0], () -> compare(bb, s[1])));
        }
        return tests.stream();
    }

    private static void compare(Path bb, String script) throws Exception {
        Native.Result host = Native.runFile(bb, ENV, STDIN, "sh", "-c", script);
        Cli guest = Cli.withInput(STDIN, "run", "--max-instructions=4000000000", "--", bb.toString(), "sh", "-c", script);
        assertThat(guest.out).as("stdout of: %s%n--- microlith stderr ---%n%s", script, guest.err).isEqualTo(host.out);
        assertThat(guest.status).as("status of: %s", script).isEqualTo(host.status);
    }
}

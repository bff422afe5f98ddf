package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The shell on the console as a person uses it: keys arrive one at a time through the
 * terminal (Cli.typing), the line editor turns escape sequences and control keys into
 * the command that runs, and job control stops and resumes the foreground job.
 */
class InteractiveShellTest {
    private static final String LEFT = "\u001b[D", RIGHT = "\u001b[C", UP = "\u001b[A", HOME = "\u001b[H", END = "\u001b[F";

    /** Boots to the login shell, types keys, and returns the console transcript after the boot log. */
    private static String session(String keys) {
        Cli r = Cli.typing(keys, "boot", "--quiet");
        int start = r.out.indexOf("root@microlith:");
        return start < 0 ? r.toString() : r.out.substring(start);
    }

    /** The output lines of the command typed at the prompt that ends with text. */
    private static String after(String transcript, String typed) {
        int i = transcript.indexOf(typed + "\n");
        return i < 0 ? "<" + typed + " not found in>\n" + transcript : transcript.substring(i + typed.length() + 1);
    }

    @Test
    void arrowsHomeAndEndEditTheLine() {
        String t = session("echo abd" + LEFT + "c\n" + "cho start" + HOME + "e" + END + " end\n" + "echo ab" + LEFT + LEFT + RIGHT + "X\n");
        assertThat(t).contains("\nabcd\n", "\nstart end\n", "\naXb\n");
    }

    @Test
    void emacsControlKeysEdit() {
        String t = session("garbage\u0015echo fresh\n"            // Ctrl-U kills the line
            + "echo keep drop" + LEFT.repeat(4) + "\u000b\n"           // Ctrl-K kills to the end
            + "echo one two\u0017three\n"                               // Ctrl-W kills a word
            + "cho hi\u0001e\u0005 there\n"                             // Ctrl-A / Ctrl-E
            + "echo abx\u007fc\n"                                       // Backspace
            + "echo no\u0003echo yes\n");                               // Ctrl-C abandons the line
        assertThat(t).contains("\nfresh\n", "\nkeep\n", "\none three\n", "\nhi there\n", "\nabc\n", "\nyes\n")
            .doesNotContain("\nno\n", "garbage: not found");
    }

    @Test
    void historyArrowsAndReverseSearchRecallCommands() {
        String t = session("echo first\necho second\n" + UP + UP + "\n" + "\u0012firs\n" + "cat ~/.sh_history\n");
        // A command repeated at once is kept once (as bash's HISTCONTROL=ignoredups).
        assertThat(after(t, "cat ~/.sh_history")).startsWith("echo first\necho second\necho first\ncat ~/.sh_history\n");
        assertThat(t.split("\nfirst\n", -1)).hasSize(4);
    }

    @Test
    void tabCompletesCommandsAndPaths() {
        String t = session("ech\t hi\n" + "cat /etc/pass\t\n" + "ls /usr/sh\t\n");
        assertThat(t).contains("echo hi\nhi\n", "cat /etc/passwd \nroot:x:0:0:", "ls /usr/share/\nselftest.sh\n");
    }

    @Test
    void ctrlZStopsTheForegroundJobAndFgBgResumeIt() {
        String t = session("cat\nline\n\u001a" + "jobs\n" + "fg\n" + "more\n\u0004"
            + "cat > /tmp/bgread\n\u001a" + "bg\n" + "jobs\n" + "kill %1\n" + "jobs\n" + "echo done\n");
        assertThat(t).contains("cat\nline\n", "\n[1]+  Stopped                 cat\n");
        assertThat(after(t, "# fg")).startsWith("cat\nmore\n");
        // A background job reading the terminal is stopped by SIGTTIN.
        assertThat(after(t, "# bg")).startsWith("[1]+ cat >/tmp/bgread &\n");
        assertThat(t).contains("[1]+  Stopped (tty input)     cat >/tmp/bgread\n");
        // kill continues a stopped job so that the signal is acted on (as bash does).
        assertThat(after(t, "# kill %1")).contains("[1]+  Terminated              cat >/tmp/bgread\n");
        assertThat(t).contains("\ndone\n");
    }

    @Test
    void theLoginShellHasTheProfilesPromptAndAliases() {
        String t = session("cd /usr/share\nalias ll\nexit\n");
        assertThat(t).startsWith("root@microlith:/# cd /usr/share\nroot@microlith:/usr/share# alias ll\nll='ls -l'\n");
    }
}

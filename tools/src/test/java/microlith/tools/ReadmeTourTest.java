package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's tour of the shell is a console transcript: what follows each prompt
 * (and each "> " continuation prompt) is typed at the login shell of a booted machine,
 * and the console must show exactly the transcript.
 */
class ReadmeTourTest {
    private static final Pattern PROMPT = Pattern.compile("^\\S+@microlith:[^#$]*[#$] |^> ");

    @Test
    void theTourIsWhatTheConsoleShows() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("<!-- tour -->"), to = readme.indexOf("<!-- /tour -->");
        assertThat(from).isPositive();
        String block = readme.substring(readme.indexOf("```\n", from) + 4, readme.lastIndexOf("```", to));
        StringBuilder keys = new StringBuilder();
        for (String line : block.split("\n")) {
            Matcher m = PROMPT.matcher(line);
            if (m.find() && m.end() < line.length()) {
                keys.append(line.substring(m.end())).append('\n');
            }
        }
        String transcript = block.endsWith("\n") ? block.substring(0, block.length() - 1) : block;
        Cli r = Cli.typing(keys.toString(), "boot", "--quiet");
        int start = r.out.indexOf("root@microlith:");
        assertThat(start).as(r.toString()).isGreaterThanOrEqualTo(0);
        // After the last prompt the input ends: the shell logs out and init powers off.
        assertThat(r.out.substring(start)).as(r.toString()).isEqualTo(transcript + "\n");
        assertThat(r.status).isZero();
    }
}

package microlith.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void parsesParamsFlagsAndInitArguments() {
        CommandLine c = new CommandLine("console=ttyS2 quiet init=/bin/echo -- a \"b c\" --x");
        assertThat(c.get("console", "?")).isEqualTo("ttyS2");
        assertThat(c.has("quiet")).isTrue();
        assertThat(c.get("init", "")).isEqualTo("/bin/echo");
        assertThat(c.initArgs()).containsExactly("a", "b c", "--x");
    }

    @Test
    void quoteRoundTripsAwkwardArguments() {
        String[] args = {"", "sp ace", "quo\"te", "back\\slash", "--", "x=y"};
        StringBuilder sb = new StringBuilder("init=/x --");
        for (String a : args) {
            sb.append(' ').append(CommandLine.quote(a));
        }
        assertThat(new CommandLine(sb.toString()).initArgs()).containsExactly(args);
    }

    @Test
    void badNumbersFallBackToTheDefault() {
        assertThat(new CommandLine("loglevel=x").getInt("loglevel", 7)).isEqualTo(7);
    }
}

package microlith.kernel.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/syscalls.md says of every call what the syscall table really holds. */
class SyscallDocTest {
    private static final Path DOC = Path.of("..", "docs", "syscalls.md");
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| ([a-z_0-9]+) \\| (implemented|partial|missing) \\|");

    @Test
    void everyRowMatchesTheTable() throws Exception {
        SyscallTable table = new SyscallTable(new Services());
        List<String> wrong = new ArrayList<>();
        int rows = 0;
        int[] counts = new int[3];
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = ROW.matcher(line);
            if (!m.find()) {
                continue;
            }
            rows++;
            int nr = Integer.parseInt(m.group(1));
            String status = m.group(3);
            counts[status.equals("implemented") ? 0 : status.equals("partial") ? 1 : 2]++;
            if (!SyscallNames.name(nr).equals(m.group(2))) {
                wrong.add(nr + ": named " + m.group(2) + ", the kernel says " + SyscallNames.name(nr));
            }
            if (table.implemented(nr) == status.equals("missing")) {
                wrong.add(nr + " " + m.group(2) + ": the table says " + status + ", the kernel "
                    + (table.implemented(nr) ? "implements it" : "does not"));
            }
        }
        assertThat(wrong).as("docs/syscalls.md is stale: run python3 docs/tools/syscalls_table.py").isEmpty();
        assertThat(rows).isEqualTo(SyscallNames.count() - unnamed());
        String text = Files.readString(DOC);
        assertThat(text).contains("**" + counts[0] + " implemented, " + counts[1] + " partial,\n" + counts[2] + " missing**");
    }

    /** Numbers in the name table's range that Linux leaves unused. */
    private static int unnamed() {
        int n = 0;
        for (int i = 0; i < SyscallNames.count(); i++) {
            if (SyscallNames.name(i).equals("syscall_" + i)) {
                n++;
            }
        }
        return n;
    }
}

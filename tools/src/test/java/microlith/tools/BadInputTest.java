package microlith.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A FILE that cannot run gets one line naming the problem and a shell's status. */
class BadInputTest {
    @TempDir
    Path dir;

    private void assertOneLine(Cli r, int status, String text) {
        assertThat(r.status).as(r.toString()).isEqualTo(status);
        assertThat(r.err.strip()).as(r.toString()).contains(text).doesNotContain("\n").doesNotContain("Exception");
        assertThat(r.out).isEmpty();
    }

    @Test
    void missingFile() {
        assertOneLine(Cli.run("run", dir.resolve("nope").toString()), 127, "No such file or directory");
        assertOneLine(Cli.run("run", "/bin/does-not-exist-anywhere"), 127, "No such file or directory");
    }

    @Test
    void notElf() throws Exception {
        Path f = dir.resolve("script.txt");
        Files.writeString(f, "#!/bin/sh\necho hi\n");
        assertOneLine(Cli.run("run", f.toString()), 126, "not an ELF file");
    }

    @Test
    void directory() {
        assertOneLine(Cli.run("run", dir.toString()), 126, "Is a directory");
    }

    @Test
    void thirtyTwoBit() throws Exception {
        byte[] elf = Files.readAllBytes(Native.binary("/bin/hello"));
        elf[4] = 1; // ELFCLASS32
        Path f = dir.resolve("elf32");
        Files.write(f, elf);
        assertOneLine(Cli.run("run", f.toString()), 126, "32-bit ELF");
    }

    @Test
    void truncated() throws Exception {
        byte[] elf = Files.readAllBytes(Native.binary("/bin/hello"));
        Path f = dir.resolve("short");
        Files.write(f, Arrays.copyOf(elf, 40));
        assertOneLine(Cli.run("run", f.toString()), 126, "truncated ELF file");
        Files.write(f, Arrays.copyOf(elf, 300));
        assertOneLine(Cli.run("run", f.toString()), 126, "truncated ELF file");
    }

    @Test
    void dynamicallyLinked() throws Exception {
        Path host = Path.of("/bin/true");
        if (!Files.exists(host)) {
            return;
        }
        byte[] data = Files.readAllBytes(host);
        if (data.length < 64 || data[4] != 2) {
            return;
        }
        Path f = dir.resolve("dyn");
        Files.write(f, data);
        assertOneLine(Cli.run("run", f.toString()), 126, "dynamically linked");
    }

    @Test
    void unknownModelIsRefusedClearly() {
        Cli r = Cli.run("run", "--model=exokernel", "/bin/hello");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("unknown model");
    }
}

package microlith.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CpioTest {
    private static void entry(ByteArrayOutputStream o, String name, int mode, byte[] data) {
        entry(o, name, mode, data, 1, 1);
    }

    private static void entry(ByteArrayOutputStream o, String name, int mode, byte[] data, int ino, int nlink) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        String h = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
            ino, mode, 0, 0, nlink, 0, data.length, 0, 0, 0, 0, n.length, 0);
        o.writeBytes(h.getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(n);
        while (o.size() % 4 != 0) {
            o.write(0);
        }
        o.writeBytes(data);
        while (o.size() % 4 != 0) {
            o.write(0);
        }
    }

    @Test
    void unpacksDirectoriesAndFiles() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        entry(o, "bin", 0040755, new byte[0]);
        entry(o, "bin/x", 0100755, "abc".getBytes(StandardCharsets.US_ASCII));
        entry(o, "etc/deep/file", 0100644, "z".getBytes(StandardCharsets.US_ASCII));
        entry(o, "TRAILER!!!", 0, new byte[0]);
        RamFs fs = new RamFs();
        assertThat(Cpio.unpack(o.toByteArray(), fs)).isEqualTo(3);
        assertThat(new String(fs.lookup("/bin/x").data, StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(fs.lookup("/bin/x").mode).isEqualTo(0100755);
        assertThat(fs.lookup("/etc/deep").isDir()).isTrue();
        assertThat(fs.lookup("/nope")).isNull();
    }

    @Test
    void entriesSharingAnInodeAreHardLinksWithTheDataOfAnyOfThem() throws Exception {
        // gen_init_cpio's hard links: one inode number, the link count, data on the last.
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        entry(o, "bin/a", 0100755, new byte[0], 7, 3);
        entry(o, "bin/b", 0100755, new byte[0], 7, 3);
        entry(o, "sbin/c", 0100755, "tool".getBytes(StandardCharsets.US_ASCII), 7, 3);
        entry(o, "bin/other", 0100644, "x".getBytes(StandardCharsets.US_ASCII), 8, 1);
        entry(o, "TRAILER!!!", 0, new byte[0]);
        RamFs fs = new RamFs();
        assertThat(Cpio.unpack(o.toByteArray(), fs)).isEqualTo(4);
        Inode a = fs.lookup("/bin/a");
        assertThat(fs.lookup("/bin/b")).isSameAs(a);
        assertThat(fs.lookup("/sbin/c")).isSameAs(a);
        assertThat(new String(a.data, StandardCharsets.US_ASCII)).isEqualTo("tool");
        assertThat(a.nlink()).isEqualTo(3);
        assertThat(fs.lookup("/bin/other").nlink()).isEqualTo(1);
        assertThat(fs.remove("/bin", "a", false)).isZero();
        assertThat(fs.lookup("/bin/b").nlink()).isEqualTo(2);
    }

    @Test
    void rejectsGarbageAndTruncation() {
        assertThatThrownBy(() -> Cpio.unpack("hello".getBytes(StandardCharsets.US_ASCII), new RamFs()))
            .isInstanceOf(Cpio.FormatException.class);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        entry(o, "a", 0100644, new byte[100]);
        byte[] cut = java.util.Arrays.copyOf(o.toByteArray(), 150);
        assertThatThrownBy(() -> Cpio.unpack(cut, new RamFs())).isInstanceOf(Cpio.FormatException.class);
    }
}

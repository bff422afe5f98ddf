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
        java.util.Map<String, Integer> modes = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> data = new java.util.LinkedHashMap<>();
        assertThat(Cpio.unpack(o.toByteArray(), (path, mode, uid, gid, mtime, rdev, d, off, len) -> {
            modes.put(path, mode);
            data.put(path, new String(d, off, len, StandardCharsets.US_ASCII));
        })).isEqualTo(3);
        assertThat(modes).containsExactly(java.util.Map.entry("/bin", 0040755), java.util.Map.entry("/bin/x", 0100755),
            java.util.Map.entry("/etc/deep/file", 0100644));
        assertThat(data.get("/bin/x")).isEqualTo("abc");
        assertThat(data.get("/etc/deep/file")).isEqualTo("z");
    }

    @Test
    void entriesSharingAnInodeAreLinkedToTheFirstNameThenWritten() throws Exception {
        // gen_init_cpio's hard links: one inode number, the link count, data on the last.
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        entry(o, "bin/a", 0100755, new byte[0], 7, 3);
        entry(o, "bin/b", 0100755, new byte[0], 7, 3);
        entry(o, "sbin/c", 0100755, "tool".getBytes(StandardCharsets.US_ASCII), 7, 3);
        entry(o, "bin/other", 0100644, "x".getBytes(StandardCharsets.US_ASCII), 8, 1);
        entry(o, "bin/d", 0040755, new byte[0], 9, 2);
        entry(o, "bin/e", 0040755, new byte[0], 9, 2);
        entry(o, "TRAILER!!!", 0, new byte[0]);
        java.util.List<String> calls = new java.util.ArrayList<>();
        int n = Cpio.unpack(o.toByteArray(), new Cpio.Sink() {
            @Override
            public void entry(String path, int mode, int uid, int gid, long mtime, long rdev, byte[] d, int off, int len) {
                calls.add(path + " " + new String(d, off, len, StandardCharsets.US_ASCII));
            }

            @Override
            public void link(String path, String target) {
                calls.add("link " + path + " -> " + target);
            }
        });
        assertThat(n).isEqualTo(6);
        // Only regular files are linked: directories sharing a number stay separate.
        assertThat(calls).containsExactly("/bin/a ", "link /bin/b -> /bin/a", "/bin/b ", "link /sbin/c -> /bin/a",
            "/sbin/c tool", "/bin/other x", "/bin/d ", "/bin/e ");
    }

    @Test
    void rejectsGarbageAndTruncation() {
        assertThatThrownBy(() -> Cpio.unpack("hello".getBytes(StandardCharsets.US_ASCII), (p, m, u, g, t, r, d, off, len) -> { }))
            .isInstanceOf(Cpio.FormatException.class);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        entry(o, "a", 0100644, new byte[100]);
        byte[] cut = java.util.Arrays.copyOf(o.toByteArray(), 150);
        assertThatThrownBy(() -> Cpio.unpack(cut, (p, m, u, g, t, r, d, off, len) -> { })).isInstanceOf(Cpio.FormatException.class);
    }
}

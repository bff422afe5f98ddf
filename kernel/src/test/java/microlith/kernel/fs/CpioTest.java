package microlith.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CpioTest {
    private static void entry(ByteArrayOutputStream o, String name, int mode, byte[] data) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        String h = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
            1, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, n.length, 0);
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
    void rejectsGarbageAndTruncation() {
        assertThatThrownBy(() -> Cpio.unpack("hello".getBytes(StandardCharsets.US_ASCII), (p, m, u, g, t, r, d, off, len) -> { }))
            .isInstanceOf(Cpio.FormatException.class);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        entry(o, "a", 0100644, new byte[100]);
        byte[] cut = java.util.Arrays.copyOf(o.toByteArray(), 150);
        assertThatThrownBy(() -> Cpio.unpack(cut, (p, m, u, g, t, r, d, off, len) -> { })).isInstanceOf(Cpio.FormatException.class);
    }
}

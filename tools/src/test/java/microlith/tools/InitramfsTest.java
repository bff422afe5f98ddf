package microlith.tools;

import java.io.IOException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InitramfsTest {
    @Test
    void thePrebuiltImageIsTheOneTheListDescribes() throws IOException {
        assertThat(Initramfs.class.getResource("/initramfs-base/initramfs.cpio")).as("built by mvn").isNotNull();
        assertThat(Initramfs.standard().build()).isEqualTo(Initramfs.fromList().build());
    }

    @Test
    void filesAddedAfterThePrebuiltPartContinueTheArchive() throws IOException {
        Initramfs a = Initramfs.standard().file("/host/x", new byte[] {1, 2, 3}, 0755, 0, 0);
        Initramfs b = Initramfs.fromList().file("/host/x", new byte[] {1, 2, 3}, 0755, 0, 0);
        assertThat(a.build()).isEqualTo(b.build());
        assertThat(a.contains("/host/x")).isTrue();
        assertThat(a.contains("/bin/sh")).isTrue();
    }
}

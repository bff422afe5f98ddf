package microlith.kernel.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The loader's validation against the committed userland binaries and mangled copies. */
class ElfImageTest {
    private static byte[] hello() throws Exception {
        try (InputStream in = ElfImageTest.class.getResourceAsStream("/initramfs/bin/hello")) {
            return in.readAllBytes();
        }
    }

    @Test
    void acceptsAStaticExecutable() throws Exception {
        ElfImage e = ElfImage.parse(hello());
        assertThat(e.type).isEqualTo(ElfImage.ET_EXEC);
        assertThat(e.entry).isGreaterThanOrEqualTo(0x400000L);
        assertThat(e.segments).anyMatch(s -> s.type == ElfImage.PT_LOAD && (s.flags & ElfImage.PF_X) != 0);
        assertThat(e.execStack).isFalse();
    }

    @Test
    void namesEachProblem() throws Exception {
        byte[] ok = hello();
        assertThatThrownBy(() -> ElfImage.parse("#!/bin/sh\n".getBytes())).hasMessageContaining("not an ELF");
        assertThatThrownBy(() -> ElfImage.parse(Arrays.copyOf(ok, 20))).hasMessageContaining("truncated");
        byte[] c32 = ok.clone();
        c32[4] = 1;
        assertThatThrownBy(() -> ElfImage.parse(c32)).hasMessageContaining("32-bit");
        byte[] arm = ok.clone();
        ByteBuffer.wrap(arm).order(ByteOrder.LITTLE_ENDIAN).putShort(18, (short) 183);
        assertThatThrownBy(() -> ElfImage.parse(arm)).hasMessageContaining("not x86-64");
        byte[] rel = ok.clone();
        ByteBuffer.wrap(rel).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) 1);
        assertThatThrownBy(() -> ElfImage.parse(rel)).hasMessageContaining("relocatable");
        byte[] dyn = ok.clone();
        ByteBuffer b = ByteBuffer.wrap(dyn).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(32);
        b.putInt((int) phoff, ElfImage.PT_INTERP);
        assertThatThrownBy(() -> ElfImage.parse(dyn)).hasMessageContaining("dynamically linked");
        assertThatThrownBy(() -> ElfImage.parse(Arrays.copyOf(ok, 400))).hasMessageContaining("truncated");
    }
}

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

    /** Offsets and sizes are u64s from the file: sums that overflow must be refused, never thrown over. */
    @Test
    void overflowingOffsetsAndSizesAreFormatErrorsNotJavaExceptions() throws Exception {
        byte[] ok = hello();
        long phoff = ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).getLong(32);
        // The fuzzer's find: PT_INTERP at offset 64 with p_filesz 0x7fff...: offset + size wrapped negative.
        byte[] interp = ok.clone();
        ByteBuffer b = ByteBuffer.wrap(interp).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) phoff, ElfImage.PT_INTERP);
        b.putLong((int) phoff + 8, 64);
        b.putLong((int) phoff + 32, Long.MAX_VALUE);
        assertThatThrownBy(() -> ElfImage.parse(interp)).isInstanceOf(ElfImage.FormatException.class)
            .hasMessageContaining("dynamically linked");
        byte[] load = ok.clone();
        b = ByteBuffer.wrap(load).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong((int) phoff + 8, Long.MAX_VALUE);
        b.putLong((int) phoff + 32, 2);
        assertThatThrownBy(() -> ElfImage.parse(load)).isInstanceOf(ElfImage.FormatException.class)
            .hasMessageContaining("past end of file");
        byte[] headers = ok.clone();
        ByteBuffer.wrap(headers).order(ByteOrder.LITTLE_ENDIAN).putLong(32, Long.MAX_VALUE - 8);
        assertThatThrownBy(() -> ElfImage.parse(headers)).isInstanceOf(ElfImage.FormatException.class)
            .hasMessageContaining("program headers past end of file");
    }

    /** An entry point outside the user half could only be reached by an IRET that faults in ring 0. */
    @Test
    void anEntryPointOutsideUserSpaceIsRefused() throws Exception {
        for (long entry : new long[] {0x0000800000000000L, 0xffffffff81000000L, 0x00007ffffffff000L}) {
            byte[] e = hello();
            ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN).putLong(24, entry);
            assertThatThrownBy(() -> ElfImage.parse(e)).isInstanceOf(ElfImage.FormatException.class)
                .hasMessageContaining("outside user space");
        }
    }
}

package microlith.kernel.proc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Init's argv and envp as the boot loader hands them over in its setup data, so that they
 * may be as large as execve allows (ARG_MAX) instead of fitting on the 4 KiB kernel
 * command line:
 *
 * <pre>
 * u32 argc   u32 envc   argc + envc NUL-terminated strings, argv first
 * </pre>
 */
public record InitArgs(List<String> argv, List<String> envp) {
    /** The environment Linux gives init when the command line adds none (plus a PATH). */
    public static final List<String> DEFAULT_ENVP = List.of("HOME=/", "TERM=linux", "PATH=/sbin:/bin");

    public byte[] encode() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(argv.size()).putInt(envp.size())
            .array());
        for (List<String> list : List.of(argv, envp)) {
            for (String s : list) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
        }
        return out.toByteArray();
    }

    /** The arguments in blob, or null if it is not well formed. */
    public static InitArgs decode(byte[] blob) {
        if (blob.length < 8) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int argc = b.getInt();
        int envc = b.getInt();
        if (argc < 0 || envc < 0 || (long) argc + envc > blob.length) {
            return null;
        }
        List<String> argv = new ArrayList<>(argc);
        List<String> envp = new ArrayList<>(envc);
        int p = 8;
        for (int i = 0; i < argc + envc; i++) {
            int end = p;
            while (end < blob.length && blob[end] != 0) {
                end++;
            }
            if (end == blob.length) {
                return null;
            }
            (i < argc ? argv : envp).add(new String(blob, p, end - p, StandardCharsets.UTF_8));
            p = end + 1;
        }
        return new InitArgs(argv, envp);
    }
}

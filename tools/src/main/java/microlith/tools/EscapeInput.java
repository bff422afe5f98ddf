package microlith.tools;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Console input with a QEMU-style escape for raw-mode sessions, where Ctrl-C belongs to
 * the guest: Ctrl-A then x stops the machine; Ctrl-A Ctrl-A sends one Ctrl-A.
 */
final class EscapeInput extends FilterInputStream {
    private static final int CTRL_A = 1;
    private final Runnable onExit;
    private boolean escape;

    EscapeInput(InputStream in, Runnable onExit) {
        super(in);
        this.onExit = onExit;
    }

    @Override
    public int read() throws IOException {
        for (;;) {
            int b = super.read();
            if (b < 0) {
                return b;
            }
            if (escape) {
                escape = false;
                if (b == 'x' || b == 'X') {
                    onExit.run();
                    return -1;
                }
                if (b == CTRL_A) {
                    return b;
                }
                continue;
            }
            if (b == CTRL_A) {
                escape = true;
                continue;
            }
            return b;
        }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int b = read();
        if (b < 0) {
            return -1;
        }
        buf[off] = (byte) b;
        return 1;
    }

    @Override
    public int available() throws IOException {
        return escape ? 0 : Math.min(super.available(), 1);
    }
}

package microlith.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process with captured streams. */
final class Cli {
    final int status;
    final String out;
    final String err;
    /** stdout exactly as written. */
    final byte[] outBytes;

    private Cli(int status, byte[] out, String err) {
        this.status = status;
        this.outBytes = out;
        this.out = new String(out, StandardCharsets.UTF_8);
        this.err = err;
    }

    static Cli withInput(String stdin, String... args) {
        return withBytes(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static Cli withBytes(byte[] stdin, String... args) {
        return withStream(new ByteArrayInputStream(stdin), args);
    }

    /**
     * Console input that arrives one byte whenever the guest waits for input, as a
     * person types: the machine takes only what is available when it idles, so each
     * key reaches whatever reads the terminal at that moment (a line editor, or a
     * foreground job that Ctrl-Z then stops).
     */
    static Cli typing(String keys, String... args) {
        byte[] b = keys.getBytes(StandardCharsets.UTF_8);
        InputStream slow = new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < b.length ? b[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                buf[off] = (byte) c;
                return 1;
            }

            @Override
            public int available() {
                return 0;
            }
        };
        return withStream(slow, args);
    }

    static synchronized Cli withStream(InputStream stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(stdin);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            System.out.flush();
            return new Cli(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Cli run(String... args) {
        return withInput("", args);
    }

    @Override
    public String toString() {
        return "status=" + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}

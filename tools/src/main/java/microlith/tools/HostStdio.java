package microlith.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which of the host's standard streams (fd 0, 1, 2) are terminals, so that a program
 * under {@code run} gets a terminal exactly where it would natively. On Linux the answer
 * comes from the file each descriptor names in /proc/self/fd, as ttyname(3) finds it: a
 * pseudo-terminal (/dev/pts/N), a virtual console or serial line (/dev/ttyN, /dev/ttySN)
 * or /dev/console; anything else (a pipe, a file, a socket, /dev/null) is not one. This
 * avoids loading a native library on every run. Without /proc, the JVM's own test
 * (System.console(): stdin and stdout both terminals) decides for all three.
 */
final class HostStdio {
    private HostStdio() {
    }

    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.matches("/dev/tty[A-Za-z]*[0-9]*")
                || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return !Files.isDirectory(Path.of("/proc/self/fd")) && System.console() != null;
        }
    }
}
